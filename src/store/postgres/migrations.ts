import type { Pool, PoolClient } from 'pg';

/**
 * PostgreSQL schema changes, applied in order and recorded in schema_migrations. Version 1 is the
 * SQLite schema at its current version (src/store/migrations.ts) in PostgreSQL's types: BIGINT for
 * milliseconds (and the seed, which is unsigned 32-bit), DOUBLE PRECISION for noise and cost, JSONB
 * for sources, notes and settings, BOOLEAN for token_expired. SQLite's history (dropped columns,
 * text notes) never happened here, so it starts from the end state.
 */
export const POSTGRES_MIGRATIONS: readonly { readonly name: string; readonly sql: string }[] = [
	{
		name: 'jobs, guild settings and opt-outs',
		sql: `CREATE TABLE jobs (
			id TEXT PRIMARY KEY,
			state TEXT NOT NULL,
			guild_id TEXT NOT NULL,
			channel_id TEXT NOT NULL,
			user_id TEXT NOT NULL,
			interaction_id TEXT NOT NULL,
			application_id TEXT NOT NULL,
			interaction_token TEXT NOT NULL,
			interaction_at BIGINT NOT NULL,
			token_expired BOOLEAN NOT NULL DEFAULT FALSE,
			attachment_size_limit BIGINT NOT NULL,
			progress_message_id TEXT,
			model TEXT NOT NULL,
			request_id TEXT,
			sources JSONB NOT NULL,
			image_url TEXT,
			mask_url TEXT,
			depth_maps_url TEXT,
			depth_frames INTEGER,
			notes JSONB,
			motion INTEGER NOT NULL,
			noise DOUBLE PRECISION NOT NULL,
			seed BIGINT NOT NULL,
			steps INTEGER NOT NULL,
			fps INTEGER,
			delivered_message_id TEXT,
			error TEXT,
			trigger TEXT NOT NULL DEFAULT 'command',
			source_message_id TEXT,
			source_author_id TEXT,
			cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
			produced_at BIGINT,
			fal_watch_ms BIGINT NOT NULL DEFAULT 0,
			delivery_route TEXT,
			created_at BIGINT NOT NULL,
			updated_at BIGINT NOT NULL,
			submitted_at BIGINT,
			finished_at BIGINT
		);
		CREATE INDEX jobs_unfinished ON jobs (created_at) WHERE state NOT IN ('delivered', 'failed', 'cancelled');
		CREATE INDEX jobs_by_user ON jobs (user_id, created_at);
		CREATE INDEX jobs_by_guild ON jobs (guild_id, created_at);
		CREATE INDEX jobs_by_guild_cost ON jobs (guild_id, submitted_at) WHERE cost_usd > 0;
		CREATE INDEX jobs_by_guild_produced ON jobs (guild_id, produced_at) WHERE produced_at IS NOT NULL;
		CREATE INDEX jobs_by_request ON jobs (request_id) WHERE request_id IS NOT NULL;
		CREATE TABLE guild_settings (
			guild_id TEXT PRIMARY KEY,
			settings JSONB NOT NULL,
			updated_at BIGINT NOT NULL
		);
		CREATE TABLE optouts (
			user_id TEXT PRIMARY KEY,
			created_at BIGINT NOT NULL
		);`,
	},
	{
		// The fal slots held across processes (REDIS_URL): a row from admission until the job leaves fal.
		name: 'fal slots',
		sql: `CREATE TABLE fal_slots (
			job_id TEXT PRIMARY KEY,
			user_id TEXT NOT NULL,
			granted_at BIGINT NOT NULL
		);`,
	},
	{
		// Models beyond SVD: the member's prompt, duration, resolution… (as given) and an end frame.
		name: 'model choices',
		sql: `ALTER TABLE jobs ADD COLUMN choices JSONB NOT NULL DEFAULT '{}';
		ALTER TABLE jobs ADD COLUMN end_image_url TEXT;`,
	},
	{
		// User installs: a job in a server or group DM the bot is not in reaches its member only through the interaction.
		name: 'job reach',
		sql: `ALTER TABLE jobs ADD COLUMN reach TEXT NOT NULL DEFAULT 'channel';`,
	},
	{
		// The member's language: a job's card and video are worded in it, after restarts too. Jobs from
		// before were all worded in English.
		name: 'job locale',
		sql: `ALTER TABLE jobs ADD COLUMN locale TEXT NOT NULL DEFAULT 'en-US';`,
	},
	{
		// fal's queue takes no idempotency key: each submit is announced before it is sent, so a job
		// whose submit a crash interrupted is known, and fal's webhook can name it (jobs/interrupted-submit.ts).
		name: 'submit attempts',
		sql: `ALTER TABLE jobs ADD COLUMN submit_attempt TEXT;
		ALTER TABLE jobs ADD COLUMN submit_attempt_at BIGINT;`,
	},
];

export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

/**
 * Brings the schema up to date. Each migration runs in its own transaction holding one advisory
 * lock, so processes starting together take turns: the second finds the version already recorded
 * and skips it, instead of failing halfway on "relation already exists". schema_migrations itself
 * is created under the same lock, since CREATE TABLE IF NOT EXISTS is not safe against a
 * concurrent creator. Returns how many migrations this call applied.
 */
export async function migratePostgres(pool: Pool): Promise<number> {
	const client = await pool.connect();
	let applied = 0;
	try {
		for (const [index, migration] of POSTGRES_MIGRATIONS.entries()) {
			const version = index + 1;
			if (await inTransaction(client, () => applyOnce(client, version, migration))) applied += 1;
		}
	} finally {
		client.release();
	}
	return applied;
}

async function applyOnce(client: PoolClient, version: number, migration: { name: string; sql: string }): Promise<boolean> {
	await client.query("SELECT pg_advisory_xact_lock(hashtextextended('animate-bot:migrations', 0))");
	await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
	)`);
	const done = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version]);
	if (done.rowCount) return false;
	await client.query(migration.sql);
	await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, migration.name]);
	return true;
}

/** Runs `work` between BEGIN and COMMIT on one client, rolling back (and rethrowing) on error. */
export async function inTransaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
	await client.query('BEGIN');
	try {
		const result = await work();
		await client.query('COMMIT');
		return result;
	} catch (error) {
		// A failed ROLLBACK (connection gone) must not hide the error that caused it.
		await client.query('ROLLBACK').catch(() => undefined);
		throw error;
	}
}
