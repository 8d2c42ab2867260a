import { expect, it, onTestFinished } from 'vitest';
import type { JobStore } from '../../../src/jobs/ports.js';
import { newJob } from '../sample-job.js';
import { contract } from './dialects.js';

const T0 = Date.UTC(2025, 5, 10, 12, 0, 0);

/** A promise the test resolves when it chooses. */
function gate(): { promise: Promise<void>; open: () => void } {
	let open!: () => void;
	const promise = new Promise<void>((resolve) => (open = resolve));
	return { promise, open };
}

/** Fails a test stuck behind a lock it should never have waited for, instead of hanging until the test timeout. */
const within = <T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> =>
	Promise.race([
		promise,
		new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms).unref()),
	]);

/**
 * Holds an admission open for `scope` after it inserted a job: returns once the job is in (not yet
 * committed), with the way to let it finish.
 */
async function holdAdmission(store: JobStore, scope: { userId: string; guildId: string }, events: string[]) {
	const inside = gate();
	const release = gate();
	// A failing test still lets its admission end, so the next test's cleanup is not stuck behind it.
	onTestFinished(async () => {
		release.open();
		await done.catch(() => undefined);
	});
	const done = store.exclusive(scope, async (tx) => {
		events.push('first in');
		const job = await tx.insert(newJob(scope), T0);
		inside.open();
		await release.promise;
		events.push('first out');
		return job;
	});
	await within(Promise.race([inside.promise, done]), 'the first admission');
	return { done, release: release.open };
}

contract('JobStore.exclusive', (fixture, dialect) => {
	const across = dialect === 'PostgreSQL' ? ' (two pools: two processes)' : '';

	it(`runs two admissions of one member one after another; the second sees the first’s job${across}`, async () => {
		const { jobs, otherProcess, untilWaiting } = fixture();
		const events: string[] = [];
		const first = await holdAdmission(jobs, { userId: 'alice', guildId: 'g1' }, events);
		const second = otherProcess().exclusive({ userId: 'alice', guildId: 'g2' }, async (tx) => {
			events.push('second in');
			const active = await tx.activeCountForUser('alice');
			await tx.insert(newJob({ userId: 'alice', guildId: 'g2' }), T0 + 1);
			return active;
		});
		await within(untilWaiting(), 'waiting for the second admission to queue');
		// The second has asked and is waiting: it has not started its checks.
		expect(events).toEqual(['first in']);
		first.release();
		const [job, seen] = await Promise.all([first.done, second]);
		expect(seen).toBe(1);
		expect(events).toEqual(['first in', 'first out', 'second in']);
		expect(await jobs.get(job.id)).toEqual(job);
		expect(await jobs.activeCountForUser('alice')).toBe(2);
	});

	it(`runs two admissions in one server one after another, for its daily and monthly caps${across}`, async () => {
		const { jobs, otherProcess, untilWaiting } = fixture();
		const events: string[] = [];
		const first = await holdAdmission(jobs, { userId: 'alice', guildId: 'g1' }, events);
		const second = otherProcess().exclusive({ userId: 'bob', guildId: 'g1' }, async (tx) => {
			events.push('second in');
			return { today: await tx.countForGuildSince('g1', T0), committed: await tx.committedSince('g1', T0) };
		});
		await within(untilWaiting(), 'waiting for the second admission to queue');
		expect(events).toEqual(['first in']);
		first.release();
		const [, seen] = await Promise.all([first.done, second]);
		expect(seen.today).toBe(1);
		expect(seen.committed).toBeCloseTo(newJob().costUsd, 10);
	});

	it(`lets members of different servers through while another admission is open${across}`, async () => {
		const { jobs, otherProcess } = fixture();
		const events: string[] = [];
		const first = await holdAdmission(jobs, { userId: 'alice', guildId: 'g1' }, events);
		const other = await within(
			otherProcess().exclusive({ userId: 'bob', guildId: 'g2' }, (tx) => tx.insert(newJob({ userId: 'bob', guildId: 'g2' }), T0)),
			'bob’s admission while alice’s is open',
		);
		expect(events).toEqual(['first in']);
		expect(await jobs.get(other.id)).toEqual(other);
		first.release();
		await first.done;
		expect(events).toEqual(['first in', 'first out']);
	});

	it('undoes every write of an admission that fails, and lets the next one in', async () => {
		const { jobs } = fixture();
		const existing = await jobs.insert(newJob({ userId: 'alice' }), T0);
		let inserted = '';
		const failing = jobs.exclusive({ userId: 'alice', guildId: 'g1' }, async (tx) => {
			inserted = (await tx.insert(newJob({ userId: 'alice' }), T0 + 1)).id;
			await tx.update(existing.id, { state: 'failed', error: 'overwritten' }, T0 + 2);
			await tx.update(existing.id, { notes: [{ kind: 'text', text: 'twice' }] }, T0 + 3);
			// What a refusal after the insert would look like.
			expect(await tx.activeCountForUser('alice')).toBe(1);
			throw new Error('refused after the writes');
		});
		await expect(failing).rejects.toThrow('refused after the writes');
		expect(inserted).not.toBe('');
		expect(await jobs.get(inserted)).toBeUndefined();
		expect(await jobs.get(existing.id)).toEqual(existing);
		// The member is not left locked out.
		const next = await within(
			jobs.exclusive({ userId: 'alice', guildId: 'g1' }, async (tx) => tx.activeCountForUser('alice')),
			'the admission after a failed one',
		);
		expect(next).toBe(1);
	});

	it('returns what the work returns and keeps its writes', async () => {
		const { jobs } = fixture();
		const job = await jobs.exclusive({ userId: 'alice', guildId: 'g1' }, (tx) => tx.insert(newJob({ userId: 'alice' }), T0));
		expect(await jobs.get(job.id)).toEqual(job);
	});
});
