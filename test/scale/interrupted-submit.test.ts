import { describe, expect, it } from 'vitest';
import type { SubmitHoldPoint } from '../../fakes/fal/index.js';
import { BotProcess } from '../support/bot-process.js';
import { clusterMissing, skippedBecause, useCluster } from '../support/cluster.js';
import { useFakes } from '../support/fakes.js';
import { freePort } from '../support/free-port.js';
import { animate, videoPosts } from './drive.js';

/**
 * fal's queue takes no idempotency key, so the moment that matters is a process killed while its
 * submit is in the air. The fake fal holds the submit exactly there, the process is SIGKILLed, and a
 * second process (webhook mode, where fal's webhooks reach it) must finish the job with one submit
 * in all and one post.
 */
describe.skipIf(clusterMissing !== undefined)(`a process killed in the middle of a fal submit${skippedBecause}`, () => {
	const fakes = useFakes();
	const cluster = useCluster(fakes);

	async function killMidSubmit(at: SubmitHoldPoint) {
		fakes.fal.setDefaultScript({ queuePositions: [0], queueStepMs: 200, runMs: 1_000 });
		// fal retries a webhook for an hour; here, long enough for the second process to be listening.
		fakes.fal.setWebhookRetry({ delaysMs: [500, 1_000, 2_000, 4_000, 8_000] });
		const survivorPort = await freePort();
		const env = {
			FAL_WEBHOOK_URL: `http://127.0.0.1:${survivorPort}/fal/webhook`,
			FAL_WEBHOOK_JWKS_URL: fakes.fal.jwksUrl,
			// fal gets as long as the bot lets a request take to name an interrupted submit; 6 s here.
			JOB_TIMEOUT_MINUTES: '0.1',
			LOG_LEVEL: 'info',
		};
		const first = new BotProcess(cluster.env({ ...env, ROLE: 'all', HTTP_PORT: String(await freePort()) }));
		let survivor: BotProcess | undefined;
		const postsBefore = videoPosts(fakes.discord).length;
		const submitsBefore = fakes.fal.submits.length;
		try {
			await first.waitForLog((line) => line.msg.startsWith('commands '), 15_000);
			const hold = fakes.fal.holdNextSubmit(at);
			await animate(fakes.discord);
			await hold.reached;
			// Started only now (a BotProcess starts when made), so the job can only be the first process's;
			// up before the kill, so fal's webhook finds it listening.
			survivor = new BotProcess(cluster.env({ ...env, ROLE: 'worker', HTTP_PORT: String(survivorPort) }));
			await survivor.waitForLog((line) => line.msg === 'worker started (REST only)', 15_000);
			expect(await first.kill('SIGKILL')).toBeNull();
			// The held submit saw its caller die: before-accept it never reached the queue; after-accept its id was never sent.
			expect(await hold.ended).toBe('hung-up');

			await expect.poll(() => videoPosts(fakes.discord).length, { timeout: 60_000, interval: 100 }).toBe(postsBefore + 1);
			// A graceful stop lets anything under way finish: a second submit or post, if any, happens before it exits.
			await survivor.kill('SIGTERM');
			expect(videoPosts(fakes.discord)).toHaveLength(postsBefore + 1);
			return { submits: fakes.fal.submits.slice(submitsBefore), survivor };
		} finally {
			await Promise.all([first.kill('SIGKILL'), survivor?.kill('SIGKILL')]);
		}
	}

	it("after fal accepted it: fal's webhook names the job, and it is carried on with no second submit", async () => {
		const { submits, survivor } = await killMidSubmit('after-accept');
		expect(submits).toHaveLength(1);
		expect(survivor.count((line) => line.msg === 'fal named a submit whose answer was never recorded')).toBe(1);
		expect(survivor.count((line) => line.msg === 'job submitted')).toBe(0);
	}, 90_000);

	it('before fal took it: no webhook comes, and after JOB_TIMEOUT_MINUTES it is submitted once more', async () => {
		const { submits, survivor } = await killMidSubmit('before-accept');
		// The held request died with its caller: fal has exactly the one the survivor made.
		expect(submits).toHaveLength(1);
		expect(survivor.count((line) => line.msg === 'fal never named the interrupted submit; submitting again')).toBe(1);
		expect(survivor.count((line) => line.msg === 'job submitted')).toBe(1);
	}, 90_000);
});
