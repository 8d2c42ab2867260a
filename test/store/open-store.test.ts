import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseInUseError } from '../../src/store/database.js';
import { openStores, type StoreConfig, type Stores } from '../../src/store/open-store.js';
import { createTestDatabase, postgresMissing } from './contract/dialects.js';
import { newJob } from './sample-job.js';

const BASE: Omit<StoreConfig, 'databasePath'> = {
	falModel: 'fal-ai/svd',
	limits: { jobsPerUser: 2, userCooldownMs: 10_000, guildJobsPerDay: 200 },
};

const opened: Stores[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	await Promise.all(opened.splice(0).map((stores) => stores.close()));
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const track = (stores: Stores) => {
	opened.push(stores);
	return stores;
};

/** A job written and read back, and the fallback settings in force: the stores work. */
async function roundTrip(stores: Stores) {
	const job = await stores.jobs.insert(newJob(), 1000);
	expect(await stores.jobs.get(job.id)).toEqual(job);
	expect((await stores.settings.get('g1')).model).toBe('fal-ai/svd');
}

describe('openStores', () => {
	it('opens SQLite at DATABASE_PATH when DATABASE_URL is unset, one process per file', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'animate-open-store-'));
		cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
		const databasePath = join(dir, 'bot.sqlite');
		const stores = track(openStores({ ...BASE, databasePath, databaseUrl: undefined }));
		expect(stores.kind).toBe('sqlite');
		await stores.ready;
		await roundTrip(stores);
		expect(() => openStores({ ...BASE, databasePath })).toThrow(DatabaseInUseError);
		await stores.close();
		await stores.close();
	});

	it('refuses to start on a PostgreSQL server it cannot reach: ready rejects, and close still works', async () => {
		// Port 1 on loopback: nothing listens there, so the connection is refused at once.
		const stores = openStores({ ...BASE, databasePath: ':memory:', databaseUrl: 'postgres://postgres@127.0.0.1:1/none' });
		expect(stores.kind).toBe('postgres');
		await expect(stores.ready).rejects.toThrow(/ECONNREFUSED/);
		await expect(stores.jobs.get('any')).rejects.toThrow(/ECONNREFUSED/);
		await stores.close();
	});

	describe.skipIf(postgresMissing !== undefined)(`with PostgreSQL${postgresMissing ? ` (skipped: ${postgresMissing})` : ''}`, () => {
		it.each(['postgres', 'postgresql'])('opens PostgreSQL for a %s:// DATABASE_URL, migrated before the first query', async (scheme) => {
			const database = await createTestDatabase();
			cleanups.push(database.drop);
			const url = database.url.replace(/^postgres(ql)?:/, `${scheme}:`);
			const stores = track(openStores({ ...BASE, databasePath: '/nonexistent/never-created.sqlite', databaseUrl: url }));
			expect(stores.kind).toBe('postgres');
			// No await of `ready` first: the stores wait for the migrations themselves.
			await roundTrip(stores);
			await stores.ready;
			await stores.close();
			await stores.close();
		});
	});
});
