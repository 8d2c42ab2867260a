import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../fakes/discord/index.js';
import type { FalErrorType, JobScript } from '../../fakes/fal/index.js';
import { bodyOf, descriptionOf, isVideoPost, titleOf } from '../support/requests.js';
import { startWorld, type World } from '../support/world.js';

/**
 * fal accepts every submit and fails at the result (queue-errors.md): each failure must end the
 * job within a minute, in plain words, with Try again; only an unreachable fal is waited out.
 */
let world: World;
beforeAll(async () => {
	world = await startWorld({ progressIntervalMs: 100, env: { FAL_OUTAGE_MINUTES: '5' } });
});
afterAll(async () => {
	await world?.close();
});

async function animate(script: JobScript) {
	world.fal.script(script);
	const image = world.discord.addAttachment('source-1024x576.png');
	const earlier = new Set(world.discord.requests);
	const dispatched = await world.discord.dispatchChatInput({
		name: 'animate',
		options: [{ name: 'image', type: 11, value: image.id }],
		attachments: [image],
	});
	const mine = (r: RecordedRequest) => !earlier.has(r) && r.path.includes(dispatched.token);
	return { ...dispatched, mine };
}

const cardTitled = (mine: (r: RecordedRequest) => boolean, title: RegExp, timeoutMs = 20_000) =>
	world.discord.waitForRequest((r) => mine(r) && r.method === 'PATCH' && title.test(titleOf(r)), timeoutMs);

describe('a failure fal reports after COMPLETED', () => {
	it.each<[FalErrorType, RegExp]>([
		['content_policy_violation', /fal's content checker refused this image/],
		['image_too_small', /fal says the image is too small for this model/],
		['runner_server_error', /fal reported an error while making it/],
		['request_timeout', /fal gave up on it: the model took too long/],
	])('%s ends the job in plain words with Try again, never as "Posting"', async (type, words) => {
		const submits = world.fal.submits.length;
		const { mine } = await animate({ queuePositions: [0], runMs: 100, fail: { type } });
		const failed = await cardTitled(mine, /could not be made/);
		expect(descriptionOf(failed)).toMatch(words);
		expect(descriptionOf(failed)).toMatch(/error id `[0-9a-f]{8}`/);
		expect(bodyOf(failed).components?.[0]?.components[0]?.label).toBe('Try again');
		// The result is fetched before the job turns to posting: a failure never shows as "Posting".
		expect(world.discord.requests.filter((r) => mine(r) && /Posting your video/.test(titleOf(r)))).toEqual([]);
		expect(world.fal.submits).toHaveLength(submits + 1);
		const requestId = world.fal.submits.at(-1)!.requestId;
		// The job completed at fal 100 ms after its submit; it must end within a minute of that.
		const submittedAt = world.fal.requestsFor(requestId).find((r) => r.kind === 'submit')!.at;
		expect(failed.at - submittedAt).toBeLessThan(60_000);
	});

	it('a 503 that fal names at the result (the status said nothing) is a failure, not an outage to wait out', async () => {
		const { mine } = await animate({ queuePositions: [0], runMs: 100, fail: { type: 'runner_disconnected', statusError: false } });
		// @fal-ai/client itself retries a 503 result three times (about 7 s) before it gives up.
		const failed = await cardTitled(mine, /could not be made/, 30_000);
		expect(descriptionOf(failed)).toMatch(/fal reported an error while making it \(error id `[0-9a-f]{8}`\)/);
		expect(bodyOf(failed).components?.[0]?.components[0]?.label).toBe('Try again');
		expect(world.discord.requests.filter((r) => mine(r) && /Posting your video|isn't answering/.test(`${titleOf(r)} ${descriptionOf(r)}`))).toEqual(
			[],
		);
	});

	it('names the /animate option when fal refuses an input at the result (422)', async () => {
		world.fal.script({ queuePositions: [0], runMs: 50, reject422: { field: 'cond_aug', msg: 'Input should be less than or equal to 10' } });
		const image = world.discord.addAttachment('source-1024x576.png');
		const { token } = await world.discord.dispatchChatInput({
			name: 'animate',
			options: [
				{ name: 'image', type: 11, value: image.id },
				{ name: 'noise', type: 10, value: 9 },
			],
			attachments: [image],
		});
		const followUp = await world.discord.waitForRequest((r) => r.route === 'POST /webhooks/:app/:token' && r.path.includes(token));
		expect(bodyOf(followUp).flags! & 64).toBe(64);
		expect(bodyOf(followUp).content).toBe('fal refused the request. `noise`: Input should be less than or equal to 10');
	});
});

describe('fal unreachable before it finished', () => {
	it('is waited out, and the card says so while it waits', async () => {
		const submits = world.fal.submits.length;
		const { mine } = await animate({ queuePositions: [0], runMs: 300, unavailable: { status: 503, kinds: ['status', 'stream'], forMs: 2_500 } });
		const waiting = await world.discord.waitForRequest((r) => mine(r) && r.method === 'PATCH' && /isn't answering right now/.test(descriptionOf(r)));
		expect(descriptionOf(waiting)).toMatch(/next try <t:\d+:R>/);
		await world.discord.waitForRequest((r) => r.route === 'POST /channels/:channel/messages' && isVideoPost(r) && r.at > waiting.at, 30_000);
		expect(world.fal.submits).toHaveLength(submits + 1);
	});

	it('can be cancelled during the wait', async () => {
		const { mine } = await animate({ queuePositions: [0], runMs: 300, unavailable: { status: 503, kinds: ['status', 'stream'] } });
		const waiting = await world.discord.waitForRequest((r) => mine(r) && r.method === 'PATCH' && /isn't answering right now/.test(descriptionOf(r)));
		const cancelId = bodyOf(waiting).components?.[0]?.components[0]?.custom_id;
		expect(cancelId).toMatch(/^animate:cancel:/);
		const message = world.discord.messages(world.discord.channelId).at(-1)!;
		await world.discord.dispatchButton({ customId: cancelId!, message, user: world.discord.users[0]! });
		const cancelled = await cardTitled(mine, /Cancelled/, 5_000);
		expect(cancelled.at - waiting.at).toBeLessThan(5_000);
		world.fal.recover(world.fal.submits.at(-1)!.requestId);
	});
});
