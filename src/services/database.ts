import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

export type Database = BetterSqlite3.Database;

/** Schema changes, applied in order; the database's user_version says how many ran. */
const MIGRATIONS: readonly string[] = [
	`CREATE TABLE jobs (
		id TEXT PRIMARY KEY,
		state TEXT NOT NULL,
		guild_id TEXT NOT NULL,
		channel_id TEXT NOT NULL,
		user_id TEXT NOT NULL,
		interaction_id TEXT NOT NULL,
		application_id TEXT NOT NULL,
		interaction_token TEXT NOT NULL,
		interaction_at INTEGER NOT NULL,
		deferred INTEGER NOT NULL DEFAULT 0,
		token_expired INTEGER NOT NULL DEFAULT 0,
		attachment_size_limit INTEGER NOT NULL,
		progress_message_id TEXT,
		model TEXT NOT NULL,
		request_id TEXT,
		sources TEXT NOT NULL,
		image_url TEXT,
		mask_url TEXT,
		depth_maps_url TEXT,
		depth_frames INTEGER,
		notes TEXT,
		motion INTEGER NOT NULL,
		noise REAL NOT NULL,
		seed INTEGER NOT NULL,
		steps INTEGER NOT NULL,
		delivered_message_id TEXT,
		delivered_via TEXT,
		error TEXT,
		retry_of TEXT,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		submitted_at INTEGER,
		finished_at INTEGER
	);
	CREATE INDEX jobs_unfinished ON jobs (created_at) WHERE state NOT IN ('delivered', 'failed', 'cancelled');
	CREATE INDEX jobs_by_user ON jobs (user_id, created_at);
	CREATE INDEX jobs_by_guild ON jobs (guild_id, created_at);`,
	// Server settings, opt-outs, and what a job came from (reactions and context menus have a post).
	`CREATE TABLE guild_settings (
		guild_id TEXT PRIMARY KEY,
		settings TEXT NOT NULL,
		updated_at INTEGER NOT NULL
	);
	CREATE TABLE optouts (
		user_id TEXT PRIMARY KEY,
		created_at INTEGER NOT NULL
	);
	ALTER TABLE jobs ADD COLUMN trigger TEXT NOT NULL DEFAULT 'command';
	ALTER TABLE jobs ADD COLUMN source_message_id TEXT;
	ALTER TABLE jobs ADD COLUMN source_author_id TEXT;
	ALTER TABLE jobs ADD COLUMN fps INTEGER;
	ALTER TABLE jobs ADD COLUMN cost_usd REAL NOT NULL DEFAULT 0;
	CREATE INDEX jobs_by_guild_cost ON jobs (guild_id, submitted_at) WHERE cost_usd > 0;`,
];

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
