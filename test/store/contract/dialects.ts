/**
 * The two databases the store contract runs against: SQLite in memory, and PostgreSQL in a fresh
 * database made for each test file (dropped after it) and emptied before each test.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import type { SettingsFallback } from '../../../src/domain/settings.js';
import type { JobStore, SettingsStore } from '../../../src/jobs/ports.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { SqliteSettingsStore } from '../../../src/store/guild-settings.js';
import { SqliteJobStore } from '../../../src/store/job-store.js';
import { PostgresJobStore } from '../../../src/store/postgres/job-store.js';
import { migratePostgres } from '../../../src/store/postgres/migrations.js';
import { PostgresSettingsStore } from '../../../src/store/postgres/settings-store.js';
import { createTestDatabase, postgresUnreachable } from '../../support/services.js';

export { createTestDatabase } from '../../support/services.js';

/** Why PostgreSQL cannot be used (asked once per test file), or undefined when it can. */
export const postgresMissing = await postgresUnreachable();

/** One test's view of a clean database. */
export interface StoreFixture {
	readonly jobs: JobStore;
	readonly settings: (fallback: SettingsFallback) => SettingsStore;
	/** The jobs as a second process would open them: PostgreSQL, its own pool; SQLite, the same store (one file, one process). */
	readonly otherProcess: () => JobStore;
	/** Resolves once another admission waits for a lock a test holds (PostgreSQL: seen in pg_locks). */
	readonly untilWaiting: () => Promise<void>;
	/** A row as stored, columns as named in the database. */
	readonly raw: (table: 'jobs' | 'guild_settings' | 'optouts', key: string) => Promise<Record<string, unknown> | undefined>;
	/** How token_expired is stored: 0/1 in SQLite, a boolean in PostgreSQL. */
	readonly stored: { readonly true: unknown; readonly false: unknown };
}

export interface Dialect {
	readonly name: 'SQLite' | 'PostgreSQL';
	/** Registers the hooks in the current describe; returns the fixture of the running test. */
	use(): () => StoreFixture;
}

const KEY_COLUMN = { jobs: 'id', guild_settings: 'guild_id', optouts: 'user_id' } as const;

const sqlite: Dialect = {
	name: 'SQLite',
	use() {
		let db: Database;
		let fixture: StoreFixture;
		beforeEach(() => {
			db = openDatabase(':memory:');
			const jobs = new SqliteJobStore(db);
			fixture = {
				jobs,
				settings: (fallback) => new SqliteSettingsStore(db, fallback),
				otherProcess: () => jobs,
				// The queue is in this process: once the event loop has run every pending callback, a
				// second admission that did not start is waiting for its turn.
				untilWaiting: () => new Promise((resolve) => setImmediate(resolve)),
				raw: async (table, key) =>
					db.prepare(`SELECT * FROM ${table} WHERE ${KEY_COLUMN[table]} = ?`).get(key) as Record<string, unknown> | undefined,
				stored: { true: 1, false: 0 },
			};
		});
		afterEach(() => db.close());
		return () => fixture;
	},
};

const postgres: Dialect = {
	name: 'PostgreSQL',
	use() {
		let database: { url: string; drop: () => Promise<void> };
		let pool: pg.Pool;
		let fixture: StoreFixture;
		const extraPools: pg.Pool[] = [];
		beforeAll(async () => {
			database = await createTestDatabase();
			pool = new pg.Pool({ connectionString: database.url });
			// Dropping the database ends idle connections server-side; that is not a test failure.
			pool.on('error', () => undefined);
			await migratePostgres(pool);
		});
		afterAll(async () => {
			await pool?.end();
			await database?.drop();
		});
		beforeEach(async () => {
			await pool.query('TRUNCATE jobs, guild_settings, optouts');
			fixture = {
				jobs: new PostgresJobStore(pool),
				settings: (fallback) => new PostgresSettingsStore(pool, fallback),
				otherProcess: () => {
					const other = new pg.Pool({ connectionString: database.url });
					other.on('error', () => undefined);
					extraPools.push(other);
					return new PostgresJobStore(other);
				},
				untilWaiting: async () => {
					for (;;) {
						const { rows } = await pool.query<{ n: string }>(
							"SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
						);
						if (Number(rows[0]!.n) > 0) return;
						await new Promise((resolve) => setTimeout(resolve, 10));
					}
				},
				raw: async (table, key) => {
					const { rows } = await pool.query<Record<string, unknown>>(`SELECT * FROM ${table} WHERE ${KEY_COLUMN[table]} = $1`, [key]);
					return rows[0];
				},
				stored: { true: true, false: false },
			};
		});
		afterEach(async () => {
			await Promise.all(extraPools.splice(0).map((other) => other.end()));
		});
		return () => fixture;
	},
};

/**
 * Runs the same cases against both databases. Without a PostgreSQL server the PostgreSQL half is
 * reported as skipped, its title naming what is missing (CI starts one, and fails without it).
 */
export function contract(title: string, cases: (fixture: () => StoreFixture, dialect: Dialect['name']) => void): void {
	describe(`${title} — SQLite`, () => cases(sqlite.use(), 'SQLite'));
	describe.skipIf(postgresMissing !== undefined)(`${title} — PostgreSQL${postgresMissing ? ` (skipped: ${postgresMissing})` : ''}`, () =>
		cases(postgres.use(), 'PostgreSQL'),
	);
}

/** JSON as stored: text in SQLite, already parsed from JSONB in PostgreSQL. */
export const parsed = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
