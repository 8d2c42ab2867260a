import { describe, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process.js';
import { clusterMissing, skippedBecause, useCluster } from '../support/cluster.js';
import { useFakes } from '../support/fakes.js';
import { animate, videoPosts } from './drive.js';
import { freePort } from '../support/free-port.js';
import { mostAtOnce } from '../support/spans.js';

const JOBS = 50;
const MAX_FAL_JOBS = 10;

/**
 * A gateway process and a worker process on one queue; the gateway process, which drives jobs too,
 * is killed with SIGKILL half-way through 50 jobs. The worker finishes every one: each video
 * posted exactly once, fal asked exactly once per job, never more than MAX_FAL_JOBS at fal at once.
 * (The kill lands wherever it lands; interrupted-submit.test.ts pins the two moments inside a submit.)
 */
describe.skipIf(clusterMissing !== undefined)(`killing a process of the cluster${skippedBecause}`, () => {
	const fakes = useFakes();
	const cluster = useCluster(fakes);

	it(`delivers all ${JOBS} jobs exactly once with ${JOBS} submits when the gateway process is killed mid-way`, async () => {
		fakes.fal.setDefaultScript({ queuePositions: [1, 0], queueStepMs: 500, runMs: 2_000 });
		// Webhook mode, fal's webhooks reaching the worker (as a load balancer routes them to a live process):
		// a submit the kill interrupts is then found by its webhook instead of being made twice.
		const workerPort = await freePort();
		const env = {
			MAX_FAL_JOBS: String(MAX_FAL_JOBS),
			LOG_LEVEL: 'info',
			FAL_WEBHOOK_URL: `http://127.0.0.1:${workerPort}/fal/webhook`,
			FAL_WEBHOOK_JWKS_URL: fakes.fal.jwksUrl,
			// How long fal may take to name a submit the kill cut off (the jobs take 3 s at fal).
			JOB_TIMEOUT_MINUTES: '0.25',
		};
		const gateway = new BotProcess(cluster.env({ ...env, ROLE: 'all', HTTP_PORT: String(await freePort()) }));
		const worker = new BotProcess(cluster.env({ ...env, ROLE: 'worker', HTTP_PORT: String(workerPort) }));
		try {
			await Promise.all([
				gateway.waitForLog((line) => line.msg.startsWith('commands '), 15_000),
				worker.waitForLog((line) => line.msg === 'worker started (REST only)', 15_000),
			]);
			const submitsBefore = fakes.fal.submits.length;
			for (let i = 0; i < JOBS; i += 1) await animate(fakes.discord, { user: i % 3 });
			// Mid-way: some videos posted, and the gateway process driving jobs of its own.
			await expect.poll(() => videoPosts(fakes.discord).length, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(15);
			// Killed while it drives jobs of its own (under load the worker may briefly hold them all: wait for one).
			const drivenByGateway = () => gateway.count((line) => line.msg === 'job submitted') - gateway.count((line) => line.msg === 'job delivered');
			await expect.poll(drivenByGateway, { timeout: 30_000, interval: 10 }).toBeGreaterThan(0);
			expect(await gateway.kill('SIGKILL')).toBeNull();
			const killedAt = Date.now();

			await expect.poll(() => videoPosts(fakes.discord).length, { timeout: 90_000, interval: 100 }).toBeGreaterThanOrEqual(JOBS);
			const finishedAfterKillMs = Date.now() - killedAt;
			// A graceful stop lets deliveries under way finish, so a duplicate, if any, is posted before it exits.
			await worker.kill('SIGTERM');

			const posts = videoPosts(fakes.discord);
			const footers = posts.map((post) => post.embeds[0]?.footer?.text ?? '?');
			const twice = footers.filter((footer, i) => footers.indexOf(footer) !== i);
			if (twice.length > 0 || posts.length !== JOBS) {
				// Shown by vitest with the failure: which job was posted twice, through which route.
				// eslint-disable-next-line no-console
				console.error(
					`DEBUG posts=${posts.length} dup=${JSON.stringify(twice)} nonces=${JSON.stringify(posts.filter((p) => twice.includes(p.embeds[0]?.footer?.text ?? '')).map((p) => [p.id, p.nonce, p.timestamp, p.webhook_id, p.interaction_metadata ? 'int' : '']))}\n`,
				);
			}
			expect(posts).toHaveLength(JOBS);
			const jobIds = new Set(posts.map((post) => post.embeds[0]?.footer?.text));
			expect(jobIds.size).toBe(JOBS);
			const submits = fakes.fal.submits.slice(submitsBefore);
			expect(submits).toHaveLength(JOBS);
			const spans = submits.map(({ requestId }) => {
				const job = fakes.fal.job(requestId)!;
				return { from: job.submittedAt, to: job.completedAt ?? Date.now() };
			});
			expect(mostAtOnce(spans)).toBeLessThanOrEqual(MAX_FAL_JOBS);
			// The worker took over the killed process's jobs (their locks lapse after 10 s) and finished the rest.
			expect(finishedAfterKillMs).toBeLessThan(45_000);
		} finally {
			await Promise.all([gateway.kill('SIGKILL'), worker.kill('SIGKILL')]);
		}
	}, 180_000);
});
