import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GlobalSlots } from '../../../src/jobs/global-slots.js';
import { createLogger } from '../../../src/logger.js';
import { PostgresJobStore } from '../../../src/store/postgres/job-store.js';
import { migratePostgres } from '../../../src/store/postgres/migrations.js';
import { PostgresSlotLedger } from '../../../src/store/postgres/slot-ledger.js';
import { createTestDatabase, postgresMissing } from '../contract/dialects.js';
import { newJob } from '../sample-job.js';

/** The fal slots shared by processes: two ledgers on two pools stand for two processes. */
describe.skipIf(postgresMissing !== undefined)(`fal slots in PostgreSQL${postgresMissing ? ` (skipped: ${postgresMissing})` : ''}`, () => {
	let database: { url: string; drop: () => Promise<void> };
	const pools: pg.Pool[] = [];
	const pool = () => {
		const created = new pg.Pool({ connectionString: database.url });
		// Dropping the database ends the idle connections server-side; an idle client's error is not a test failure.
		created.on('error', () => undefined);
		pools.push(created);
		return created;
	};
	let jobs: PostgresJobStore;
	let created = 0;
	/** A job of `userId` prepared and waiting for a slot, created in order. */
	const waiting = async (userId: string) => (await jobs.insert(newJob({ userId }), 1_000 + ++created)).id;
	const toWaiting = async (id: string) => jobs.update(id, { state: 'waiting' });

	beforeAll(async () => {
		database = await createTestDatabase();
		await migratePostgres(pool());
		jobs = new PostgresJobStore(pool());
	});
	afterAll(async () => {
		await Promise.all(pools.map((p) => p.end()));
		await database?.drop();
	});
	beforeEach(async () => {
		await pools[0]!.query('TRUNCATE jobs, fal_slots');
	});

	it('grants at most the capacity across two processes, and a released or finished job frees its slot', async () => {
		const a = new PostgresSlotLedger(pool());
		const b = new PostgresSlotLedger(pool());
		const ids = [await waiting('u1'), await waiting('u2'), await waiting('u3')];
		for (const id of ids) await toWaiting(id);
		const [first, second] = await Promise.all([a.admit([ids[0]!, ids[2]!], 2), b.admit([ids[1]!], 2)]);
		const granted = [...first.granted, ...second.granted];
		expect(granted).toHaveLength(2);
		const left = ids.find((id) => !granted.includes(id))!;
		expect((await a.admit([left], 2)).granted).toEqual([]);
		// A holder that ends without releasing (its process died after finishing) no longer counts.
		await jobs.update(granted[0]!, { state: 'delivered' });
		expect((await b.admit([left], 2)).granted).toEqual([left]);
	});

	it('serves the member with the fewest jobs at fal first, then the oldest job, and reports places', async () => {
		const ledger = new PostgresSlotLedger(pool());
		const alice = [await waiting('alice'), await waiting('alice'), await waiting('alice')];
		const bob = await waiting('bob');
		for (const id of [...alice, bob]) await toWaiting(id);
		// One slot: alice's oldest job is first (both hold none, hers is older).
		const one = await ledger.admit([...alice, bob], 1);
		expect(one.granted).toEqual([alice[0]]);
		// Bob holds none and alice one: bob is next though his job is newer than her other two.
		expect(one.places.get(bob)).toBe(0);
		expect(one.places.get(alice[1]!)).toBe(1);
		expect(one.places.get(alice[2]!)).toBe(2);
		const two = await ledger.admit([alice[1]!, alice[2]!, bob], 2);
		expect(two.granted).toEqual([bob]);
	});

	it('counts the jobs of every process waiting for a slot: not those holding one, at fal, or not yet prepared', async () => {
		const a = new PostgresSlotLedger(pool());
		const b = new PostgresSlotLedger(pool());
		const ids = [await waiting('u1'), await waiting('u2'), await waiting('u3'), await waiting('u4')];
		expect(await a.countWaiting()).toBe(0);
		for (const id of ids.slice(0, 3)) await toWaiting(id);
		expect(await b.countWaiting()).toBe(3);
		expect((await a.admit(ids.slice(0, 3), 1)).granted).toHaveLength(1);
		expect(await b.countWaiting()).toBe(2);
		await jobs.update(ids[1]!, { state: 'cancelled' });
		expect(await a.countWaiting()).toBe(1);
	});

	it('GlobalSlots waits for a slot freed by another process and shows the place meanwhile', async () => {
		const log = createLogger({ level: 'silent', secrets: [] });
		const here = new GlobalSlots(new PostgresSlotLedger(pool()), 1, log, 50);
		const elsewhere = new PostgresSlotLedger(pool());
		const [held, mine] = [await waiting('u1'), await waiting('u2')];
		for (const id of [held, mine]) await toWaiting(id);
		expect((await elsewhere.admit([held], 1)).granted).toEqual([held]);
		// As the runner does: submitted, then it leaves fal and releases its slot.
		await jobs.update(held, { state: 'queued', requestId: 'request-1' });
		const places: number[] = [];
		here.onChange((positions) => places.push(positions.get(mine)!));
		let granted = false;
		const acquired = here.acquire(mine, 'u2', new AbortController().signal).then(() => (granted = true));
		await expect.poll(() => places.length).toBeGreaterThan(0);
		expect(places[0]).toBe(0);
		expect(granted).toBe(false);
		await jobs.update(held, { state: 'delivering' });
		await elsewhere.release(held);
		await acquired;
		expect(granted).toBe(true);
	});
});
