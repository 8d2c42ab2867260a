import { afterEach, describe, expect, it } from 'vitest';
import { isVideoPost, titleOf, descriptionOf } from '../support/requests.js';
import { startWorld, type World } from '../support/world.js';

/** JOB_TIMEOUT_MINUTES=0.05: three seconds watched at fal. */
const TIMEOUT_MS = 3_000;

/**
 * A video fal made while the bot was down is paid for: a restart longer than the job timeout must
 * still deliver it (fal is asked first), and the timeout counts only time spent watching.
 */
describe('resuming after downtime longer than the job timeout', () => {
	let world: World | undefined;
	afterEach(async () => {
		await world?.close();
		world = undefined;
	});

	it('asks fal first and delivers the video it made meanwhile, from the one submit', async () => {
		world = await startWorld({ progressIntervalMs: 100, env: { JOB_TIMEOUT_MINUTES: String(TIMEOUT_MS / 60_000) } });
		world.fal.script({ queuePositions: [1, 0], queueStepMs: 300, runMs: 500 });
		const image = world.discord.addAttachment('source-1024x576.png');
		const { token } = await world.discord.dispatchChatInput({
			name: 'animate',
			options: [{ name: 'image', type: 11, value: image.id }],
			attachments: [image],
		});
		await expect.poll(() => world!.fal.submits.length, { timeout: 15_000 }).toBe(1);
		const { requestId } = world.fal.submits[0]!;
		await world.bot.stop(500);

		// The downtime itself: longer than the whole timeout, while fal finishes the job.
		const stoppedAt = Date.now();
		await expect.poll(() => Date.now() - stoppedAt, { timeout: TIMEOUT_MS * 3, interval: 250 }).toBeGreaterThan(TIMEOUT_MS + 500);
		expect(world.fal.job(requestId)?.status).toBe('COMPLETED');

		const before = world.fal.requestsFor(requestId).length;
		await world.restart();
		const video = await world.discord.waitForRequest(isVideoPost, 15_000);
		expect(video.status).toBe(200);
		expect(world.fal.submits).toHaveLength(1);
		// The restarted bot's first question to fal about this request is its status.
		expect(world.fal.requestsFor(requestId)[before]?.kind).toBe('status');
		const gaveUp = world.discord.requests.filter((r) => r.path.includes(token) && /took too long/.test(descriptionOf(r)));
		expect(gaveUp).toEqual([]);
		await world.discord.waitForRequest((r) => r.path.includes(token) && /Video ready/.test(titleOf(r)), 10_000);
	});

	it('counts only the time watched: a job queued past the timeout is asked about once more, then given up', async () => {
		world = await startWorld({ progressIntervalMs: 100, env: { JOB_TIMEOUT_MINUTES: String(TIMEOUT_MS / 60_000) } });
		world.fal.script({ queuePositions: [5, 4, 3, 2, 1, 0], queueStepMs: 2_000 });
		const image = world.discord.addAttachment('source-1024x576.png');
		const { token } = await world.discord.dispatchChatInput({
			name: 'animate',
			options: [{ name: 'image', type: 11, value: image.id }],
			attachments: [image],
		});
		const failed = await world.discord.waitForRequest((r) => r.path.includes(token) && /could not be made/.test(titleOf(r)), 15_000);
		expect(descriptionOf(failed)).toContain('It took too long, so I gave up on it.');
		const { requestId } = world.fal.submits.at(-1)!;
		const kinds = world.fal.requestsFor(requestId).map((r) => r.kind);
		// Watched over the stream, then one status request when the time ran out, then cancelled.
		expect(kinds.slice(-2)).toEqual(['status', 'cancel']);
	});
});
