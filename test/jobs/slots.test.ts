import { describe, expect, it } from 'vitest';
import { FalSlots } from '../../src/jobs/slots.js';

const never = new AbortController().signal;

describe('FalSlots', () => {
	it('grants at once under the cap and queues over it', async () => {
		const slots = new FalSlots(2);
		await slots.acquire('a1', 'alice', never);
		await slots.acquire('b1', 'bob', never);
		let granted = false;
		void slots.acquire('c1', 'carol', never).then(() => (granted = true));
		await Promise.resolve();
		expect(granted).toBe(false);
		expect(slots.queued).toBe(1);
		slots.release('', 'alice');
		await expect.poll(() => granted).toBe(true);
		expect(slots.used).toBe(2);
	});

	it('gives a free slot to the user with the fewest jobs at fal, not to whoever asked first', async () => {
		const slots = new FalSlots(1);
		await slots.acquire('a1', 'alice', never);
		const served: string[] = [];
		const wait = (job: string, user: string) => slots.acquire(job, user, never).then(() => served.push(job));
		const all = [wait('a2', 'alice'), wait('a3', 'alice'), wait('b1', 'bob'), wait('c1', 'carol')];
		expect(Object.fromEntries(slots.positions())).toEqual({ b1: 0, c1: 1, a2: 2, a3: 3 });
		slots.release('', 'alice');
		await expect.poll(() => served).toEqual(['b1']);
		slots.release('', 'bob');
		await expect.poll(() => served).toEqual(['b1', 'c1']);
		slots.release('', 'carol');
		slots.release('', 'alice');
		slots.release('', 'alice');
		await Promise.all(all);
		expect(served).toEqual(['b1', 'c1', 'a2', 'a3']);
	});

	it('drops a waiter whose job is cancelled, and tells listeners the new places', async () => {
		const slots = new FalSlots(1);
		await slots.acquire('a1', 'alice', never);
		const cancel = new AbortController();
		const seen: Array<Record<string, number>> = [];
		slots.onChange((positions) => seen.push(Object.fromEntries(positions)));
		const waiting = slots.acquire('b1', 'bob', cancel.signal);
		void slots.acquire('c1', 'carol', never);
		cancel.abort(new Error('cancelled'));
		await expect(waiting).rejects.toThrow('cancelled');
		expect(seen.at(-1)).toEqual({ c1: 0 });
		expect(slots.queued).toBe(1);
	});

	it('lets a job already at fal take a slot over the cap', async () => {
		const slots = new FalSlots(1);
		await slots.acquire('a1', 'alice', never);
		await slots.acquire('r1', 'bob', never, true);
		expect(slots.used).toBe(2);
	});
});
