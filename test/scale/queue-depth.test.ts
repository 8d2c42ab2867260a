import { describe, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process.js';
import { clusterMissing, skippedBecause, useCluster } from '../support/cluster.js';
import { useFakes } from '../support/fakes.js';
import { animate } from './drive.js';
import { freePort } from '../support/free-port.js';

/** animate_queue_depth as a process's /metrics answers it now. */
async function depth(port: number): Promise<number | undefined> {
	const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
	const line = text.split('\n').find((l) => l.startsWith('animate_queue_depth '));
	return line === undefined ? undefined : Number(line.split(' ')[1]);
}

/**
 * On the shared queue the gauge counts the jobs no process has taken yet (BullMQ) and those
 * waiting for a global fal slot (PostgreSQL), the same in every process.
 */
describe.skipIf(clusterMissing !== undefined)(`animate_queue_depth across processes${skippedBecause}`, () => {
	const fakes = useFakes();
	const cluster = useCluster(fakes);

	it('counts jobs on the queue while no worker runs, then those waiting for the one fal slot', async () => {
		const gatewayPort = await freePort();
		const gateway = new BotProcess(cluster.env({ ROLE: 'gateway', HTTP_PORT: String(gatewayPort), LOG_LEVEL: 'info' }));
		let worker: BotProcess | undefined;
		try {
			await gateway.waitForLog((line) => line.msg.startsWith('commands '), 15_000);
			expect(await depth(gatewayPort)).toBe(0);
			// Each job stays at fal until released.
			fakes.fal.setDefaultScript({ outcome: 'never' });
			for (let i = 0; i < 3; i += 1) await animate(fakes.discord, { user: i % 3 });
			// A gateway-only process drives nothing: all three wait on the queue for a worker.
			await expect.poll(() => depth(gatewayPort), { timeout: 10_000 }).toBe(3);

			const workerPort = await freePort();
			worker = new BotProcess(cluster.env({ ROLE: 'worker', HTTP_PORT: String(workerPort), MAX_FAL_JOBS: '1', LOG_LEVEL: 'info' }));
			await expect.poll(() => fakes.fal.submits.length, { timeout: 20_000 }).toBe(1);
			// Taken by the worker; one at fal, two waiting for its slot: both processes say so.
			await expect.poll(() => depth(gatewayPort), { timeout: 10_000 }).toBe(2);
			expect(await depth(workerPort)).toBe(2);

			fakes.fal.release(fakes.fal.submits[0]!.requestId);
			await expect.poll(() => fakes.fal.submits.length, { timeout: 10_000 }).toBe(2);
			await expect.poll(() => depth(workerPort), { timeout: 10_000 }).toBe(1);
			fakes.fal.release(fakes.fal.submits[1]!.requestId);
			await expect.poll(() => fakes.fal.submits.length, { timeout: 10_000 }).toBe(3);
			await expect.poll(() => depth(gatewayPort), { timeout: 10_000 }).toBe(0);
			fakes.fal.release(fakes.fal.submits[2]!.requestId);
			await worker.waitForLog((line) => line.msg === 'job delivered' && line['requestId'] === fakes.fal.submits[2]!.requestId, 15_000);
		} finally {
			await Promise.all([gateway.kill('SIGTERM'), worker?.kill('SIGTERM')]);
		}
	}, 90_000);
});
