import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION, type Database } from '../../src/store/database.js';
import { SqliteJobStore } from '../../src/store/job-store.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { jobRow, newJob } from './sample-job.js';

const DROPPED = ['deferred', 'retry_of', 'delivered_via'];

const columns = (db: Database) => (db.pragma('table_info(jobs)') as { name: string }[]).map((column) => column.name);
const version = (db: Database) => db.pragma('user_version', { simple: true }) as number;
const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

let dir: string;
const open: Database[] = [];
const track = (db: Database) => {
	open.push(db);
	return db;
};

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'animate-migrations-'));
});

afterEach(() => {
	for (const db of open.splice(0)) if (db.open) db.close();
	rmSync(dir, { recursive: true, force: true });
});

/** A database as a version-2 bot left it: the first two migrations, and rows written in that schema. */
function version2Database(path: string, rows: Record<string, unknown>[]): void {
	const db = new BetterSqlite3(path);
	db.exec(MIGRATIONS[0]!);
	db.exec(MIGRATIONS[1]!);
	const insert = db.prepare(
		`INSERT INTO jobs (id, state, guild_id, channel_id, user_id, interaction_id, application_id, interaction_token,
			interaction_at, deferred, token_expired, attachment_size_limit, model, sources, notes, motion, noise, seed, steps,
			delivered_via, retry_of, created_at, updated_at, trigger, cost_usd, submitted_at)
		VALUES (@id, @state, 'g1', 'c1', 'u1', 'i1', 'app1', 'tok', 1000, 1, @tokenExpired, 8388608, 'fal-ai/svd', @sources,
			@notes, 127, 0.02, 7, 20, 'channel', @retryOf, 1000, 2000, 'reaction', 0.08, 1500)`,
	);
	for (const row of rows) insert.run(row);
	db.pragma('user_version = 2');
	db.close();
}

const sources = JSON.stringify({ image: { url: 'https://cdn.example/a.png', name: 'a.png' } });

describe('openDatabase migrations', () => {
	it('creates a fresh database at the current schema version, without the dropped columns', () => {
		const db = track(openDatabase(':memory:'));
		expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
		expect(version(db)).toBe(SCHEMA_VERSION);
		const names = columns(db);
		for (const dropped of DROPPED) expect(names).not.toContain(dropped);
		// Every column is a field of the row type and every field has a column.
		expect(names.map(camel).sort()).toEqual(Object.keys(jobRow()).sort());
		const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
			(table) => table.name,
		);
		expect(tables).toEqual(['guild_settings', 'jobs', 'optouts']);
	});

	it('upgrades a version-2 database: old columns gone, text notes kept as text notes, the rest as it was', async () => {
		const path = join(dir, 'bot.sqlite');
		version2Database(path, [
			{ id: 'old-1', state: 'running', tokenExpired: 1, sources, notes: 'That post has 2 images; I animated the first one.', retryOf: 'old-0' },
			{ id: 'old-2', state: 'delivered', tokenExpired: 0, sources, notes: null, retryOf: null },
		]);

		const db = track(openDatabase(path));
		expect(version(db)).toBe(SCHEMA_VERSION);
		const names = columns(db);
		for (const dropped of DROPPED) expect(names).not.toContain(dropped);
		expect(names.sort()).toEqual(columns(track(openDatabase(':memory:'))).sort());

		const store = new SqliteJobStore(db);
		expect(await store.get('old-1')).toMatchObject({
			state: 'running',
			tokenExpired: true,
			notes: [{ kind: 'text', text: 'That post has 2 images; I animated the first one.' }],
			sources: JSON.parse(sources) as unknown,
			trigger: 'reaction',
			// Every job from before locales was worded in English.
			locale: 'en-US',
			costUsd: 0.08,
			submittedAt: 1500,
			createdAt: 1000,
			updatedAt: 2000,
		});
		expect(await store.get('old-2')).toMatchObject({ state: 'delivered', tokenExpired: false, notes: [] });
		expect((await store.unfinished()).map((job) => job.id)).toEqual(['old-1']);
	});

	it('is idempotent: opening an up-to-date database again changes nothing', async () => {
		const path = join(dir, 'nested', 'bot.sqlite');
		const first = openDatabase(path);
		const store = new SqliteJobStore(first);
		const job = await store.insert(newJob({ notes: [{ kind: 'text', text: 'kept once' }] }), 5000);
		first.close();

		const again = track(openDatabase(path));
		expect(version(again)).toBe(SCHEMA_VERSION);
		expect(await new SqliteJobStore(again).get(job.id)).toEqual(job);
		again.close();

		// An upgraded database, opened a second time, does not wrap its text notes twice.
		const old = join(dir, 'old.sqlite');
		version2Database(old, [{ id: 'old-1', state: 'queued', tokenExpired: 0, sources, notes: 'a note', retryOf: null }]);
		openDatabase(old).close();
		const reopened = track(openDatabase(old));
		expect(version(reopened)).toBe(SCHEMA_VERSION);
		expect((await new SqliteJobStore(reopened).get('old-1'))?.notes).toEqual([{ kind: 'text', text: 'a note' }]);
	});
});
