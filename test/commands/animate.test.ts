import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../fakes/discord/index.js';
import { readFixture } from '../support/fixtures.js';
import { startWorld, type World } from '../support/world.js';

const ATTACHMENT = 11;
const INTEGER = 4;
const NUMBER = 10;

type FalInput = Record<string, unknown>;
const inputOf = (submit: { input: unknown } | undefined): FalInput => (submit?.input ?? {}) as FalInput;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface MessageBody {
	content?: string;
	flags?: number;
	embeds?: { title?: string; description?: string; url?: string; fields?: { name: string; value: string }[] }[];
	components?: { components: { custom_id?: string; label?: string }[] }[];
}

let world: World;

beforeAll(async () => {
	world = await startWorld({ progressIntervalMs: 150 });
});
afterAll(async () => {
	// Discord would have refused any malformed body with a 400; the fake validates every one.
	const refused = world?.discord.requests.filter((r) => r.status === 400 || r.status === 413) ?? [];
	await world?.close();
	expect(refused.map((r) => `${r.route} ${JSON.stringify(r.response)}`)).toEqual([]);
});
beforeEach(() => {
	world.fal.setDefaultScript({ queuePositions: [1, 0], queueStepMs: 40, runMs: 120, logs: ['Step 10/20', 'Step 20/20'] });
});

type Option = { name: string; type: number; value: string | number };

/** Runs /animate with the given fixtures/options and returns the interaction's id and token. */
async function animate(files: Record<string, string | { bytes: Buffer; filename: string }>, options: Option[] = [], user = world.discord.users[0]) {
	const attachments = Object.entries(files).map(([name, source]) => {
		const attachment =
			typeof source === 'string' ? world.discord.addAttachment(source, {}) : world.discord.addAttachment(source.bytes, { filename: source.filename });
		return { name, attachment };
	});
	const earlier = new Set(world.discord.requests);
	const dispatched = await world.discord.dispatchChatInput({
		name: 'animate',
		options: [...attachments.map(({ name, attachment }) => ({ name, type: ATTACHMENT, value: attachment.id })), ...options],
		attachments: attachments.map(({ attachment }) => attachment),
		...(user ? { user } : {}),
	});
	/** True for requests recorded after this dispatch, so one test never reads another's. */
	const fresh = (r: RecordedRequest) => !earlier.has(r);
	return { ...dispatched, fresh };
}

const forInteraction = (token: string) => (r: RecordedRequest) => r.path.includes(token);
const isChannelPost = (r: RecordedRequest) => r.route === 'POST /channels/:channel/messages';

/** The last edit of the progress reply whose embed title matches. */
async function progressEdit(token: string, title: RegExp, timeoutMs = 10_000): Promise<MessageBody> {
	const request = await world.discord.waitForRequest(
		(r) => r.method === 'PATCH' && forInteraction(token)(r) && title.test((r.body as MessageBody)?.embeds?.[0]?.title ?? ''),
		timeoutMs,
	);
	return request.body as MessageBody;
}

/** The private refusal: the public placeholder is deleted and an ephemeral follow-up explains. */
async function refusal(token: string, timeoutMs = 5_000): Promise<string> {
	const followUp = await world.discord.waitForRequest((r) => r.route === 'POST /webhooks/:app/:token' && forInteraction(token)(r), timeoutMs);
	expect((followUp.body as MessageBody).flags! & 64).toBe(64);
	await world.discord.waitForRequest((r) => r.method === 'DELETE' && forInteraction(token)(r));
	return (followUp.body as MessageBody).content ?? '';
}

describe('/animate happy path', () => {
	it.each(['source-1024x576.png', 'square-768.jpg', 'small-640x360.webp'])('%s → deferred, uploaded, submitted, video posted', async (fixture) => {
		const submitsBefore = world.fal.submits.length;
		const { id, token, fresh } = await animate({ image: fixture });

		const defer = await world.discord.waitForRequest((r) => r.route === 'POST /interactions/:id/:token/callback' && r.path.includes(id));
		expect((defer.body as { type: number }).type).toBe(5);
		// with_response: the bot learns the progress message id at once, for use after the token expires.
		expect(defer.status).toBe(200);
		expect(defer.query['with_response']).toBe('true');

		const post = await world.discord.waitForRequest(
			(r) => fresh(r) && isChannelPost(r) && (r.body as MessageBody).content?.includes('your video is ready') === true,
		);
		const submit = world.fal.submits[submitsBefore]!;
		expect(world.fal.submits).toHaveLength(submitsBefore + 1);
		// The image reached fal through fal storage, byte for byte.
		const upload = world.fal.upload(inputOf(submit)['image_url'] as string);
		expect(upload?.sha256).toBe(sha256(readFixture(fixture)));
		expect(inputOf(submit)).toMatchObject({ motion_bucket_id: 127, cond_aug: 0.02, steps: 20 });
		const seed = inputOf(submit)['seed'] as number;
		expect(Number.isInteger(seed)).toBe(true);

		const body = post.body as MessageBody;
		expect(body.content).toContain(`<@${world.discord.users[0]!.id}>`);
		expect(body.embeds?.[0]?.fields).toContainEqual({ name: 'Seed', value: `\`${seed}\``, inline: true });
		expect(post.files).toHaveLength(1);
		expect(post.files[0]).toMatchObject({ filename: `animate-${seed}.mp4`, sha256: sha256(readFixture('svd-output-25f-1024x576.mp4')) });

		const done = await progressEdit(token, /Video ready/);
		expect(done.embeds?.[0]?.description).toMatch(/https?:\/\/\S+\/channels\/\d+\/\d+\/\d+/);
		expect(done.components).toEqual([]);
	});

	it('sends every option to fal under its own name, with mask and depth maps uploaded', async () => {
		const submitsBefore = world.fal.submits.length;
		const { fresh } = await animate({ image: 'source-1024x576.png', mask: 'mask-1024x576.png', depth_maps: 'depth-maps-25.zip' }, [
			{ name: 'motion', type: INTEGER, value: 200 },
			{ name: 'noise', type: NUMBER, value: 0.5 },
			{ name: 'seed', type: INTEGER, value: 42 },
			{ name: 'steps', type: INTEGER, value: 30 },
		]);
		const post = await world.discord.waitForRequest(
			(r) => fresh(r) && isChannelPost(r) && (r.body as MessageBody).embeds?.[0]?.fields?.some((f) => f.value === '`42`') === true,
		);
		const input = inputOf(world.fal.submits[submitsBefore]);
		expect(input).toMatchObject({ motion_bucket_id: 200, cond_aug: 0.5, seed: 42, steps: 30 });
		expect(world.fal.upload(input['mask_image_url'] as string)?.sha256).toBe(sha256(readFixture('mask-1024x576.png')));
		const zip = world.fal.upload(input['control_maps_data_url'] as string);
		expect(zip?.contentType).toBe('application/zip');
		expect((post.body as MessageBody).embeds?.[0]?.fields).toContainEqual({ name: 'Depth maps', value: '25 frames', inline: true });
	});

	it('animates the first frame of an animated GIF and says so', async () => {
		const { token } = await animate({ image: 'animated-320x180.gif' });
		const queued = await progressEdit(token, /queue|Generating/);
		expect(queued.embeds?.[0]?.description).toContain('is animated, so its first frame was used');
	});
});

describe('/animate refuses bad input before anything reaches fal', () => {
	const bigPng = () => Buffer.concat([readFixture('source-1024x576.png'), Buffer.alloc(21 * 1024 * 1024)]);
	const bomb = () => Buffer.from(zipSync({ 'depth_000.png': [new Uint8Array(64 * 1024 * 1024), { level: 9 }] }));
	const noImages = () => Buffer.from(zipSync({ 'README.txt': new TextEncoder().encode('nothing to see') }));

	it.each([
		['a text file named .png', () => ({ image: 'not-an-image.png' }), /is a text file, not an image/],
		['a truncated PNG', () => ({ image: 'truncated.png' }), /damaged or cut short/],
		['an oversize image', () => ({ image: { bytes: bigPng(), filename: 'huge.png' } }), /`huge.png` is 21\.\d MB; the limit is 20\.0 MB/],
		['a zip bomb', () => ({ image: 'source-1024x576.png', depth_maps: { bytes: bomb(), filename: 'depth.zip' } }), /looks like a zip bomb/],
		[
			'a zip without images',
			() => ({ image: 'source-1024x576.png', depth_maps: { bytes: noImages(), filename: 'depth.zip' } }),
			/has no images in it/,
		],
		['a mask of another shape', () => ({ image: 'source-1024x576.png', mask: 'square-768.jpg' }), /mask must have the same shape/],
	] as const)('%s', async (_case, files, message) => {
		const submitsBefore = world.fal.submits.length;
		const uploadsBefore = world.fal.uploads.length;
		const { token } = await animate(files());
		expect(await refusal(token)).toMatch(message);
		expect(world.fal.submits).toHaveLength(submitsBefore);
		expect(world.fal.uploads).toHaveLength(uploadsBefore);
	});

	it('explains a fal 422 in terms of the option the user typed', async () => {
		world.fal.script({ reject422: { field: 'motion_bucket_id', msg: 'ensure this value is less than or equal to 200' } });
		const { token } = await animate({ image: 'source-1024x576.png' }, [{ name: 'motion', type: INTEGER, value: 250 }]);
		expect(await refusal(token)).toMatch(/fal refused the request\. `motion`: ensure this value/);
	});
});

describe('/animate failures, size limits and permissions', () => {
	it('reports a failed fal job with Try again, and the next /animate still works', async () => {
		world.fal.script({ outcome: 'error', errorMessage: 'CUDA out of memory' });
		const { token } = await animate({ image: 'source-1024x576.png' });
		const failed = await progressEdit(token, /could not be made/);
		expect(failed.embeds?.[0]?.description).toMatch(/fal reported an error while making it \(error id `[0-9a-f]{8}`\)/);
		const retry = failed.components?.[0]?.components[0];
		const failedSubmit = world.fal.submits.at(-1);
		expect(world.fal.job(failedSubmit!.requestId)?.failed).toBe(true);
		expect(retry?.label).toBe('Try again');

		const second = await animate({ image: 'square-768.jpg' });
		await progressEdit(second.token, /Video ready/);

		// Try again resubmits the same uploaded inputs without downloading from Discord again.
		const submitsBefore = world.fal.submits.length;
		const message = world.discord.messages(world.discord.channelId).at(-1)!;
		const earlier = new Set(world.discord.requests);
		await world.discord.dispatchButton({ customId: retry!.custom_id!, message, user: world.discord.users[0]! });
		await world.discord.waitForRequest((r) => !earlier.has(r) && isChannelPost(r), 10_000);
		expect(world.fal.submits).toHaveLength(submitsBefore + 1);
		expect(inputOf(world.fal.submits[submitsBefore])['image_url']).toBe(inputOf(failedSubmit)['image_url']);
	});

	it('posts a link when the video is over the upload limit, and says why', async () => {
		world.fal.script({ resultFile: Buffer.concat([readFixture('svd-output-25f-1024x576.mp4'), Buffer.alloc(11 * 1024 * 1024)]) });
		const { fresh } = await animate({ image: 'source-1024x576.png' });
		const post = await world.discord.waitForRequest(
			(r) => fresh(r) && isChannelPost(r) && /over this server's 10\.0 MB upload limit/.test((r.body as MessageBody).content ?? ''),
		);
		expect(post.files).toHaveLength(0);
		expect((post.body as MessageBody).embeds?.[0]?.url).toMatch(/^http/);
	});

	it('delivers through the follow-up when the bot may not post in the channel', async () => {
		world.discord.denyChannel(world.discord.channelId);
		try {
			const { token, fresh } = await animate({ image: 'source-1024x576.png' });
			const denied = await world.discord.waitForRequest((r) => fresh(r) && isChannelPost(r) && r.status === 403);
			expect(denied.status).toBe(403);
			const followUp = await world.discord.waitForRequest(
				(r) => r.route === 'POST /webhooks/:app/:token' && forInteraction(token)(r) && r.files.length === 1,
			);
			expect(followUp.status).toBe(200);
			const done = await progressEdit(token, /Video ready/);
			expect(done.embeds?.[0]?.description).toContain("couldn't post in this channel");
		} finally {
			world.discord.allowChannel(world.discord.channelId);
		}
	});
});

describe('/animate when fal is down', () => {
	it('says fal is not answering, submits nothing, and works again once fal is back', async () => {
		world.fal.setDown(true);
		try {
			const { token } = await animate({ image: 'source-1024x576.png' });
			// @fal-ai/client retries a refused connection three times with backoff (about 7 s) first.
			expect(await refusal(token, 20_000)).toMatch(/fal\.ai \(the video service\) isn't answering right now, so nothing was submitted/);
		} finally {
			world.fal.setDown(false);
		}
		const { token } = await animate({ image: 'source-1024x576.png' });
		await progressEdit(token, /Video ready/);
	});
});

describe('/animate progress and cancel', () => {
	it('cancel while queued cancels at fal; only the requester may cancel', async () => {
		world.fal.script({ queuePositions: [6, 5, 4, 3, 2, 1, 0], queueStepMs: 1_000, runMs: 100 });
		const { token } = await animate({ image: 'source-1024x576.png' });
		const queued = await progressEdit(token, /Waiting in the fal queue/);
		const cancelId = queued.components?.[0]?.components[0]?.custom_id;
		expect(cancelId).toMatch(/^animate:cancel:/);
		const requestId = world.fal.submits.at(-1)!.requestId;
		const message = world.discord.messages(world.discord.channelId).at(-1)!;

		const stranger = await world.discord.dispatchButton({ customId: cancelId!, message, user: world.discord.users[1]! });
		const strangerReply = await world.discord.waitForRequest(
			(r) => r.route === 'POST /interactions/:id/:token/callback' && r.path.includes(stranger.id),
		);
		expect((strangerReply.body as { type: number; data: MessageBody }).data.content).toContain('Only the person who started this job');

		await world.discord.dispatchButton({ customId: cancelId!, message, user: world.discord.users[0]! });
		const cancelled = await progressEdit(token, /Cancelled/);
		expect(cancelled.embeds?.[0]?.description).toContain('Cancelled while waiting in the queue');
		expect(world.fal.requestsFor(requestId).some((r) => r.kind === 'cancel')).toBe(true);
		expect(world.fal.job(requestId)?.cancelled).toBe(true);
	});

	it('throttles progress edits of a long job and follows fal with the status stream', async () => {
		// 40 queue updates and 20 step logs over ~6 s: each would be an edit without throttling.
		world.fal.script({
			queuePositions: Array.from({ length: 40 }, (_, i) => 39 - i),
			queueStepMs: 75,
			runMs: 3_000,
			logs: Array.from({ length: 20 }, (_, i) => `Step ${i + 1}/20`),
		});
		const { token } = await animate({ image: 'source-1024x576.png' });
		await progressEdit(token, /Video ready/, 20_000);
		const requestId = world.fal.submits.at(-1)!.requestId;
		const calls = world.discord.requests.filter(forInteraction(token));
		const edits = calls.filter((r) => r.method === 'PATCH');
		// 150 ms base interval growing by a quarter per edit: about a dozen edits over 6 s, not 60.
		expect(edits.length).toBeGreaterThanOrEqual(4);
		expect(edits.length).toBeLessThanOrEqual(14);
		expect(world.discord.requests.filter((r) => r.status === 429)).toHaveLength(0);
		// submit + one status stream + result, whatever the job's length.
		expect(world.fal.requestCount(requestId)).toBeLessThanOrEqual(3);
	});
});
