import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

export type Database = BetterSqlite3.Database;

/**
 * Opens (creating if needed) the bot's SQLite database and brings its schema up to date. WAL with
 * synchronous=NORMAL: a write is in the WAL when it returns, so a state written before a step
 * survives the process crashing or being killed during that step; only a power loss or OS crash
 * can drop the last commits. FULL would fsync every state change and stall the event loop, which
 * also has to acknowledge interactions within Discord's 3 seconds.
 */
export function openDatabase(path: string): Database {
	if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
	const db = new BetterSqlite3(path);
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = NORMAL');
	db.pragma('busy_timeout = 5000');
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
