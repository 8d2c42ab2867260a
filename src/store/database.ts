import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

export type Database = BetterSqlite3.Database;

/** A second process opened the same database file: two would both drive, and post, the same jobs. */
export class DatabaseInUseError extends Error {
	public constructor(path: string) {
		super(
			`Another animate-bot process is using the database ${path}. Stop it first, or give this one its own DATABASE_PATH ` +
				'(one SQLite file serves one process; several processes need PostgreSQL).',
		);
		this.name = 'DatabaseInUseError';
	}
}

const isBusy = (error: unknown) => error instanceof Error && 'code' in error && /^SQLITE_BUSY/.test(String(error.code));

/**
 * Opens (creating if needed) the bot's SQLite database and brings its schema up to date. WAL with
 * synchronous=NORMAL: a write is in the WAL when it returns, so a state written before a step
 * survives the process crashing or being killed during that step; only a power loss or OS crash
 * can drop the last commits. FULL would fsync every state change and stall the event loop, which
 * also has to acknowledge interactions within Discord's 3 seconds.
 *
 * The file is locked for this process alone (EXCLUSIVE locking, released by the OS when the
 * process dies): a second process opening it fails at once with DatabaseInUseError.
 */
export function openDatabase(path: string): Database {
	const inMemory = path === ':memory:';
	if (!inMemory) mkdirSync(dirname(path), { recursive: true });
	const db = new BetterSqlite3(path);
	try {
		db.pragma('busy_timeout = 0');
		if (!inMemory) db.pragma('locking_mode = EXCLUSIVE');
		db.pragma('journal_mode = WAL');
		db.pragma('synchronous = NORMAL');
		// Takes the exclusive lock now rather than at the first write.
		db.exec('BEGIN IMMEDIATE; COMMIT;');
		db.pragma('busy_timeout = 5000');
	} catch (error) {
		db.close();
		if (isBusy(error)) throw new DatabaseInUseError(path);
		throw error;
	}
	const version = db.pragma('user_version', { simple: true }) as number;
	for (let next = version; next < MIGRATIONS.length; next += 1) {
		db.transaction(() => {
			db.exec(MIGRATIONS[next]!);
			db.pragma(`user_version = ${next + 1}`);
		})();
	}
	return db;
}

export const SCHEMA_VERSION = MIGRATIONS.length;
