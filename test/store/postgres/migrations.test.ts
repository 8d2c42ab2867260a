import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/database.js';
import { PostgresJobStore } from '../../../src/store/postgres/job-store.js';
import { migratePostgres, POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION } from '../../../src/store/postgres/migrations.js';
import { createTestDatabase, postgresMissing } from '../contract/dialects.js';
import { jobRow, newJob } from '../sample-job.js';

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

describe.skipIf(postgresMissing !== undefined)(`migratePostgres${postgresMissing ? ` (skipped: ${postgresMissing})` : ''}`, () => {
	// A fresh database per test: each one starts from nothing, as a first deployment does.
	let database: Awaited<ReturnType<typeof createTestDatabase>>;
	const pools: pg.Pool[] = [];
	const pool = () => {
		const opened = new pg.Pool({ connectionString: database.url });
		// Dropping the database ends idle connections server-side; that is not a test failure.
		opened.on('error', () => undefined);
		pools.push(opened);
		return opened;
	};
	const versions = async (on: pg.Pool) =>
		(await on.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((row) => row.version);

	beforeEach(async () => {
		database = await createTestDatabase();
	});
	afterEach(async () => {
		await Promise.all(pools.splice(0).map((opened) => opened.end()));
		await database.drop();
	});

	it('brings a fresh database to the latest version, with the SQLite schema’s tables, columns and indexes', async () => {
		const db = pool();
		expect(await migratePostgres(db)).toBe(POSTGRES_SCHEMA_VERSION);
		expect(POSTGRES_SCHEMA_VERSION).toBe(POSTGRES_MIGRATIONS.length);
		expect(await versions(db)).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));

		const tables = await db.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
		expect(tables.rows.map((row) => row.name)).toEqual(['fal_slots', 'guild_settings', 'jobs', 'optouts', 'schema_migrations']);
		// Every column is a field of the row type and every field has a column.
		const columns = await db.query<{ name: string }>("SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'jobs'");
		expect(columns.rows.map((row) => camel(row.name)).sort()).toEqual(Object.keys(jobRow()).sort());
		// The same indexes as SQLite at its current version, for the same queries.
		const sqlite = openDatabase(':memory:');
		const sqliteIndexes = (
			sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]
		).map((row) => row.name);
		sqlite.close();
		const indexes = await db.query<{ name: string }>(
			"SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' ORDER BY indexname",
		);
		expect(indexes.rows.map((row) => row.name)).toEqual(sqliteIndexes);
	});

	it('changes nothing when run again on an up-to-date database, and keeps its rows', async () => {
		const db = pool();
		await migratePostgres(db);
		const job = await new PostgresJobStore(db).insert(newJob({ notes: [{ kind: 'text', text: 'kept once' }] }), 5000);
		expect(await migratePostgres(db)).toBe(0);
		expect(await versions(db)).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
		expect(await new PostgresJobStore(db).get(job.id)).toEqual(job);
	});

	it('gives the jobs of a database from before locales the English they were worded in', async () => {
		const db = pool();
		// The schema as it was before the locale column, recorded as migratePostgres records it.
		const before = POSTGRES_MIGRATIONS.findIndex((migration) => migration.name === 'job locale');
		await db.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
		for (const [index, migration] of POSTGRES_MIGRATIONS.slice(0, before).entries()) {
			await db.query(migration.sql);
			await db.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [index + 1, migration.name]);
		}
		const { locale: _locale, ...older } = newJob();
		await new PostgresJobStore(db).insert(older as ReturnType<typeof newJob>, 1000);
		expect(await migratePostgres(db)).toBe(POSTGRES_MIGRATIONS.length - before);
		expect(await new PostgresJobStore(db).get(older.id)).toMatchObject({ id: older.id, locale: 'en-US' });
	});

	it('lets two processes starting together migrate once between them, both ending up ready', async () => {
		const [a, b] = [pool(), pool()];
		const applied = await Promise.all([migratePostgres(a), migratePostgres(b)]);
		// Each migration ran in exactly one of them; the other found it recorded and skipped it.
		expect(applied.reduce((sum, n) => sum + n, 0)).toBe(POSTGRES_SCHEMA_VERSION);
		expect(await versions(a)).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
		const job = await new PostgresJobStore(a).insert(newJob(), 1000);
		expect(await new PostgresJobStore(b).get(job.id)).toEqual(job);
	});

	it('rolls back a migration that fails, recording nothing', async () => {
		const db = pool();
		// A table in the way of the first migration, as a half-manual setup might leave.
		await db.query('CREATE TABLE jobs (id TEXT)');
		await expect(migratePostgres(db)).rejects.toThrow(/already exists/);
		// Not even schema_migrations: it was created in the same transaction, so nothing says version 1 ran.
		const tables = await db.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
		expect(tables.rows.map((row) => row.name)).toEqual(['jobs']);
		// Once the way is clear, the same migration runs in full.
		await db.query('DROP TABLE jobs');
		expect(await migratePostgres(db)).toBe(POSTGRES_SCHEMA_VERSION);
		expect(await versions(db)).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
	});
});
