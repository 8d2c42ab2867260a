import { describe, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process.js';
import { clusterMissing, skippedBecause, useCluster } from '../support/cluster.js';
import { useFakes } from '../support/fakes.js';
import { isVideoPost } from '../support/requests.js';
import { animate, cardEdit } from './drive.js';
import { freePort } from '../support/free-port.js';

/** Webhook mode's status poll in the bot (src/jobs/watch-at-fal.ts, WEBHOOK_POLL_MS). */
const STATUS_POLL_MS = 15_000;

/**
 * fal's webhook reaches the gateway process (as a load balancer may route it) while a worker
 * process drives the job: the gateway tells the worker over Redis, and the worker takes the result
 * at once instead of at its next status poll.
 */
describe.skipIf(clusterMissing !== undefined)(`a fal webhook reaching a process that does not drive the job${skippedBecause}`, () => {
	const fakes = useFakes();
	const cluster = useCluster(fakes);

	it('is passed to the driving worker over Redis, which delivers well before its status poll, with no status request', async () => {
		const gatewayPort = await freePort();
		const webhook = {
			FAL_WEBHOOK_URL: `http://127.0.0.1:${gatewayPort}/fal/webhook`,
			FAL_WEBHOOK_JWKS_URL: fakes.fal.jwksUrl,
			LOG_LEVEL: 'debug',
		};
		const gateway = new BotProcess(cluster.env({ ...webhook, ROLE: 'gateway', HTTP_PORT: String(gatewayPort) }));
		const worker = new BotProcess(cluster.env({ ...webhook, ROLE: 'worker', HTTP_PORT: String(await freePort()) }));
		try {
			await Promise.all([
				gateway.waitForLog((line) => line.msg.startsWith('commands '), 15_000),
				worker.waitForLog((line) => line.msg === 'worker started (REST only)', 15_000),
			]);
			// About 1 s at fal: done long before the worker's first status poll, 15 s after it starts waiting.
			fakes.fal.script({ queuePositions: [1, 0], queueStepMs: 300, runMs: 400 });
			const { token } = await animate(fakes.discord);
			const submitted = await worker.waitForLog((line) => line.msg === 'job submitted', 15_000);
			const requestId = String(submitted['requestId']);

			const post = await fakes.discord.waitForRequest(isVideoPost, STATUS_POLL_MS);
			const completedAt = fakes.fal.job(requestId)!.completedAt!;
			// The webhook went to the gateway (its URL, naming the job's submit attempt), which drives nothing; the worker heard of it over Redis.
			expect(fakes.fal.webhookDeliveries.filter((d) => d.requestId === requestId).map((d) => `${d.url.split('?')[0]} ${d.status}`)).toEqual([
				`${webhook.FAL_WEBHOOK_URL} 200`,
			]);
			await worker.waitForLog((line) => line.msg === 'fal webhook taken by another process' && line['requestId'] === requestId);
			await worker.waitForLog((line) => line.msg === 'job delivered' && line['requestId'] === requestId);
			// Taken at once: no status poll ran (its first is 15 s after the wait began), only the result was asked for.
			expect(post.at - completedAt).toBeLessThan(STATUS_POLL_MS / 3);
			expect(fakes.fal.requestsFor(requestId).map((r) => r.kind)).toEqual(['submit', 'result']);
			await cardEdit(fakes.discord, token, /Video ready/);
		} finally {
			await Promise.all([gateway.kill('SIGTERM'), worker.kill('SIGTERM')]);
		}
	}, 60_000);
});
