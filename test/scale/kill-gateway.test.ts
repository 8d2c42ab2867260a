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
 * posted exactly once, fal asked once per job (in webhook mode exactly), never more than
 * MAX_FAL_JOBS at fal at once.
 * (The kill lands wherever it lands; interrupted-submit.test.ts pins the two moments inside a submit.)
 */
describe.skipIf(clusterMissing !== undefined)(`killing a process of the cluster${skippedBecause}`, () => {
	const fakes = useFakes();
	const cluster = useCluster(fakes);

	/**
	 * Webhook mode, fal's webhooks reaching the worker (as a load balancer routes them to a live
	 * process): a submit the kill cut off is found by its webhook, so fal is asked exactly once per
	 * job. Stream mode (the default) has nothing that can find it: such a submit is made again, and
	 * each one is logged, so fal may see one more per interrupted submit, never more.
	 */
	it.each(['webhook', 'stream'] as const)(
		`%s mode: all ${JOBS} jobs posted exactly once when the gateway process is killed mid-way`,
		async (mode) => {
			fakes.fal.setDefaultScript({ queuePositions: [1, 0], queueStepMs: 500, runMs: 2_000 });
			const workerPort = await freePort();
			const env = {
				MAX_FAL_JOBS: String(MAX_FAL_JOBS),
				LOG_LEVEL: 'info',
				// How long fal may take to name a submit the kill cut off (the jobs take 3 s at fal).
				JOB_TIMEOUT_MINUTES: '0.25',
				...(mode === 'webhook' ? { FAL_WEBHOOK_URL: `http://127.0.0.1:${workerPort}/fal/webhook`, FAL_WEBHOOK_JWKS_URL: fakes.fal.jwksUrl } : {}),
			};
			const gateway = new BotProcess(cluster.env({ ...env, ROLE: 'all', HTTP_PORT: String(await freePort()) }));
			const worker = new BotProcess(cluster.env({ ...env, ROLE: 'worker', HTTP_PORT: String(workerPort) }));
			try {
				await Promise.all([
					gateway.waitForLog((line) => line.msg.startsWith('commands '), 15_000),
					worker.waitForLog((line) => line.msg === 'worker started (REST only)', 15_000),
				]);
				const submitsBefore = fakes.fal.submits.length;
				const postsBefore = videoPosts(fakes.discord).length;
				const posted = () => videoPosts(fakes.discord).slice(postsBefore);
				for (let i = 0; i < JOBS; i += 1) await animate(fakes.discord, { user: i % 3 });
				// Mid-way: some videos posted, and the gateway process driving jobs of its own.
				await expect.poll(() => posted().length, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(15);
				// Killed while it drives jobs of its own (under load the worker may briefly hold them all: wait for one).
				const drivenByGateway = () => gateway.count((line) => line.msg === 'job submitted') - gateway.count((line) => line.msg === 'job delivered');
				await expect.poll(drivenByGateway, { timeout: 30_000, interval: 10 }).toBeGreaterThan(0);
				expect(await gateway.kill('SIGKILL')).toBeNull();
				const killedAt = Date.now();

				await expect.poll(() => posted().length, { timeout: 90_000, interval: 100 }).toBeGreaterThanOrEqual(JOBS);
				const finishedAfterKillMs = Date.now() - killedAt;
				// A graceful stop lets deliveries under way finish, so a duplicate, if any, is posted before it exits.
				await worker.kill('SIGTERM');

				// Each post's footer names its job: a job posted twice shows up here by its footer.
				const footers = posted().map((post) => post.embeds[0]?.footer?.text ?? '?');
				expect(
					footers.filter((footer, i) => footers.indexOf(footer) !== i),
					'posted twice',
				).toEqual([]);
				expect(footers).toHaveLength(JOBS);
				const submits = fakes.fal.submits.slice(submitsBefore);
				const madeAgain = worker.count((line) => line.msg === 'submit was interrupted and stream mode cannot find it at fal; submitting again');
				if (mode === 'webhook') expect(submits).toHaveLength(JOBS);
				else expect(submits.length).toBeLessThanOrEqual(JOBS + madeAgain);
				expect(submits.length).toBeGreaterThanOrEqual(JOBS);
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
		},
		180_000,
	);
});
