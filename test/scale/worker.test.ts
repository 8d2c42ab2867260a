import { describe, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process.js';
import { clusterMissing, skippedBecause, useCluster } from '../support/cluster.js';
import { useFakes } from '../support/fakes.js';
import { animate, cardEdit } from './drive.js';
import { freePort } from '../support/free-port.js';

/**
 * A worker process (ROLE=worker: no gateway, REST only) drives the jobs a gateway-only process
 * (ROLE=gateway) accepts, and the member's Cancel, which reaches the gateway, stops the job there.
 */
describe.skipIf(clusterMissing !== undefined)(`a gateway process and a worker process${skippedBecause}`, () => {
	const fakes = useFakes();
	const cluster = useCluster(fakes);

	it('the worker answers /readyz once its database and queue answer, with no gateway connection', async () => {
		const port = await freePort();
		const worker = new BotProcess(cluster.env({ ROLE: 'worker', HTTP_PORT: String(port) }));
		try {
			await worker.waitForLog((line) => line.msg === 'worker started (REST only)', 15_000);
			const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
			expect(ready.status).toBe(200);
			// It never opened a gateway session: every session the fake saw is another process's.
			expect([...fakes.discord.gateway.sessions.values()]).toHaveLength(0);
		} finally {
			await worker.kill('SIGTERM');
		}
	});

	it('a Cancel pressed through the gateway process stops the job the worker drives', async () => {
		const gateway = new BotProcess(cluster.env({ ROLE: 'gateway' }));
		const worker = new BotProcess(cluster.env({ ROLE: 'worker' }));
		try {
			await Promise.all([
				gateway.waitForLog((line) => line.msg.startsWith('commands '), 15_000),
				worker.waitForLog((line) => line.msg === 'worker started (REST only)', 15_000),
			]);
			fakes.fal.script({ queuePositions: [6, 5, 4, 3, 2, 1, 0], queueStepMs: 1_000, runMs: 100 });
			const { id, token } = await animate(fakes.discord);
			const queued = await cardEdit(fakes.discord, token, /Waiting in the fal queue/);
			const submitted = await worker.waitForLog((line) => line.msg === 'job submitted');
			const requestId = String(submitted['requestId']);
			const body = queued.body as { components?: { components: { custom_id?: string }[] }[] };
			const cancelId = body.components?.[0]?.components[0]?.custom_id;
			expect(cancelId).toMatch(/^animate:cancel:/);
			const message = fakes.discord.interaction(id)!.original!;

			await fakes.discord.dispatchButton({ customId: cancelId!, message, user: fakes.discord.users[0]! });
			const cancelled = await cardEdit(fakes.discord, token, /Cancelled/);
			expect((cancelled.body as { embeds: { description?: string }[] }).embeds[0]?.description).toContain('Cancelled while waiting in the queue');
			await worker.waitForLog((line) => line.msg === 'cancel from another process');
			expect(fakes.fal.job(requestId)?.cancelled).toBe(true);
			// The gateway process only took the interaction and the button: the worker drove the job.
			expect(gateway.count((line) => line.msg === 'job submitted' || line.msg === 'job cancelled')).toBe(0);
			expect(worker.count((line) => line.msg === 'job cancelled')).toBe(1);
		} finally {
			await Promise.all([gateway.kill('SIGTERM'), worker.kill('SIGTERM')]);
		}
	});

	it('SIGTERM to the worker driving a job puts it back on the queue, and another worker finishes it at once', async () => {
		const gateway = new BotProcess(cluster.env({ ROLE: 'gateway' }));
		const workers = [0, 1].map(() => new BotProcess(cluster.env({ ROLE: 'worker' })));
		try {
			await Promise.all([
				gateway.waitForLog((line) => line.msg.startsWith('commands '), 15_000),
				...workers.map((worker) => worker.waitForLog((line) => line.msg === 'worker started (REST only)', 15_000)),
			]);
			const submitsBefore = fakes.fal.submits.length;
			fakes.fal.script({ queuePositions: [3, 2, 1, 0], queueStepMs: 1_000, runMs: 500 });
			const { token } = await animate(fakes.discord);
			await cardEdit(fakes.discord, token, /Waiting in the fal queue/);
			const driving = await Promise.any(workers.map((worker) => worker.waitForLog((line) => line.msg === 'job submitted').then(() => worker)));
			const other = workers.find((worker) => worker !== driving)!;
			expect(await driving.kill('SIGTERM')).toBe(0);
			const pausedAt = Date.now();
			await other.waitForLog((line) => line.msg === 'job delivered', 15_000);
			// Well before a lapsed lock (10 s) would have handed it over: the paused run went back to the queue.
			expect(Date.now() - pausedAt).toBeLessThan(8_000);
			expect(fakes.fal.submits.length - submitsBefore).toBe(1);
			await cardEdit(fakes.discord, token, /Video ready/);
		} finally {
			await Promise.all([gateway.kill('SIGTERM'), ...workers.map((worker) => worker.kill('SIGTERM'))]);
		}
	});
});
