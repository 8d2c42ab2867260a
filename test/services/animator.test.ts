import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { UserError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { Animator, describeValidationError, stepFromLogs, type AnimateRequest, type JobOrigin } from '../../src/services/animator.js';
import { openDatabase } from '../../src/services/database.js';
import { SettingsStore } from '../../src/services/guild-settings.js';
import { pickVideo, ValidationError, type FalGateway, type QueueStatus } from '../../src/services/fal.js';
import { FalSlots } from '../../src/services/fal-slots.js';
import type { JobMessenger } from '../../src/services/job-messenger.js';
import { JobStore } from '../../src/services/job-store.js';
import type { ProgressPayload } from '../../src/services/progress.js';
import { FakeDiscord } from '../support/fake-discord/index.js';

const log = createLogger({ level: 'silent', secrets: [] });
const baseConfig = parseConfig({ DISCORD_TOKEN: 'a.b.c', FAL_KEY: 'k' });
const baseLimits = baseConfig.limits;

/** A fal whose jobs stay queued until aborted, recording what the animator asked of it. */
function stuckFal() {
	const calls: string[] = [];
	const fal: FalGateway = {
		async upload(_bytes, _type, name) {
			calls.push(`upload ${name}`);
			return `https://v3.fal.media/files/${name}`;
		},
		async submit() {
			calls.push('submit');
			return `req-${calls.length}`;
		},
		watch(_model, _id, onStatus, signal) {
			calls.push('watch');
			onStatus({ status: 'IN_QUEUE', queue_position: 2 } as QueueStatus);
			return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
		},
		async result() {
			throw new Error('not reached');
		},
		async cancel() {
			calls.push('cancel');
		},
	};
	return { fal, calls };
}

function recordingMessenger() {
	const edits: ProgressPayload[] = [];
	const refusals: string[] = [];
	const messenger: JobMessenger = {
		attachmentSizeLimit: 10 * 1024 * 1024,
		async editProgress(payload) {
			edits.push(payload);
		},
		async postResult() {
			throw new Error('not reached');
		},
		async refuse(content) {
			refusals.push(content);
		},
		async findDelivered() {
			return undefined;
		},
	};
	return { messenger, edits, refusals };
}

const ref = (userId = 'u1', guildId = 'g1'): JobOrigin => ({
	guildId,
	channelId: 'c1',
	userId,
	trigger: 'command',
	interaction: { id: 'i1', applicationId: 'a1', token: 'token', createdAt: Date.now() },
	attachmentSizeLimit: 10 * 1024 * 1024,
});

describe('Animator', () => {
	let discord: FakeDiscord;
	let request: AnimateRequest;
	let store: JobStore;
	let settings: SettingsStore;
	beforeAll(async () => {
		// Used only as a CDN serving the attachment bytes.
		discord = await FakeDiscord.start();
		const image = discord.addAttachment('source-1024x576.png');
		request = { image: { url: image.url, name: image.filename } };
	});
	afterAll(async () => {
		await discord.close();
	});
	beforeEach(() => {
		const db = openDatabase(':memory:');
		store = new JobStore(db);
		settings = new SettingsStore(db, baseConfig);
	});

	function animatorWith(fal: FalGateway, options: { model?: string; limits?: Partial<typeof baseLimits>; slots?: number } = {}) {
		const recorded = recordingMessenger();
		if (options.model) settings.update('g1', { model: options.model });
		const animator = new Animator({
			store,
			settings,
			fal,
			slots: new FalSlots(options.slots ?? 20),
			messengerFor: () => recorded.messenger,
			prices: {},
			limits: { ...baseLimits, ...options.limits },
			log,
			progressIntervalMs: 10,
		});
		return { animator, ...recorded };
	}

	it('refuses options the configured model does not take, before recording anything', () => {
		const { fal, calls } = stuckFal();
		const { animator } = animatorWith(fal, { model: 'fal-ai/stable-video' });
		const mask = { url: 'http://127.0.0.1:1/never-fetched.png', name: 'mask.png' };
		expect(() => animator.accept({ ...request, steps: 30, mask }, ref())).toThrow(/does not take `steps`, `mask`/);
		expect(() => animator.accept({ ...request, steps: 30 }, ref())).toThrow(UserError);
		expect(calls).toEqual([]);
		expect(store.unfinished()).toEqual([]);
	});

	it('gives up on a job that takes too long, cancels it at fal and offers to retry', async () => {
		const { fal, calls } = stuckFal();
		const { animator, edits } = animatorWith(fal, { limits: { jobTimeoutMs: 300 } });
		const job = animator.accept(request, ref());
		animator.start(job.id);
		await animator.idle();
		expect(calls).toEqual(['upload source-1024x576.png', 'submit', 'watch', 'cancel']);
		const last = edits.at(-1)!;
		expect(last.embeds[0]!.toJSON().description).toContain('It took too long, so I gave up on it.');
		expect(last.components[0]!.toJSON().components[0]).toMatchObject({ label: 'Try again' });
		expect(store.get(job.id)).toMatchObject({ state: 'failed', error: 'timed out' });
	});

	it('stops waiting for a running job on cancel without cancelling at fal', async () => {
		const { fal, calls } = stuckFal();
		fal.watch = (_model, _id, onStatus, signal) => {
			onStatus({ status: 'IN_PROGRESS', logs: [] } as unknown as QueueStatus);
			return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
		};
		const { animator, edits } = animatorWith(fal);
		const job = animator.accept(request, ref());
		animator.start(job.id);
		await expect.poll(() => store.get(job.id)?.state).toBe('running');
		expect(animator.cancel(job.id, 'someone-else')).toBe('not-yours');
		expect(animator.cancel(job.id, 'u1')).toBe('cancelled');
		await animator.idle();
		expect(calls).not.toContain('cancel');
		expect(edits.at(-1)!.embeds[0]!.toJSON().description).toContain("Stopped waiting for it; fal may finish it, but it won't be posted.");
		expect(store.get(job.id)?.state).toBe('cancelled');
	});

	it('pauses jobs on shutdown without changing their state, and resumes them', async () => {
		const { fal, calls } = stuckFal();
		const first = animatorWith(fal);
		const job = first.animator.accept(request, ref());
		first.animator.start(job.id);
		await expect.poll(() => calls.includes('watch')).toBe(true);
		await first.animator.shutdown(100);
		expect(store.get(job.id)).toMatchObject({ state: 'queued', requestId: 'req-2' });

		const second = animatorWith(fal);
		expect(second.animator.resume()).toBe(1);
		await expect.poll(() => calls.filter((c) => c === 'watch').length).toBe(2);
		// Re-attached to the same fal request: no second upload or submit.
		expect(calls.filter((c) => c === 'submit')).toHaveLength(1);
		await second.animator.shutdown(100);
	});

	it('refuses by limit, naming the limit and when to try again', () => {
		const { fal } = stuckFal();
		const { animator } = animatorWith(fal);
		settings.update('g1', { jobsPerUser: 1, cooldownSeconds: 60, jobsPerDay: 2 });
		animator.accept(request, ref('u1'));
		expect(() => animator.checkAllowed(request, ref('u1'))).toThrow(/already have 1 video in the works \(the limit is 1\)/);
		store.update(store.unfinished()[0]!.id, { state: 'delivered' });
		expect(() => animator.checkAllowed(request, ref('u1'))).toThrow(/You can start another <t:\d+:R>/);
		animator.accept(request, ref('u2'));
		expect(() => animator.checkAllowed(request, ref('u3'))).toThrow(/made its 2 videos for today\. More can be made <t:\d+:R>/);
		expect(() => animator.checkAllowed(request, ref('u3', 'g2'))).not.toThrow();
	});

	it('refuses past the monthly spend cap, counting jobs on their way to fal', () => {
		const { fal } = stuckFal();
		const { animator } = animatorWith(fal);
		settings.update('g1', { monthlyCapUsd: 0.2 });
		animator.accept(request, ref('u1'));
		const second = animator.accept(request, ref('u2'));
		expect(second.notes).toMatch(/Estimated cost \$0\.08; this server has used \$0\.08 of its \$0\.20 monthly cap/);
		expect(() => animator.accept(request, ref('u3'))).toThrow(/reached its \$0\.20 monthly spend cap for videos \(\$0\.16 used\)\. It resets on <t:\d+:D>/);
	});

	it('makes follow-ups from a delivered job: reroll changes the seed, more/less move motion by 40 within 1–255', () => {
		const { fal } = stuckFal();
		const { animator } = animatorWith(fal);
		settings.update('g1', { cooldownSeconds: 0, jobsPerUser: 5 });
		const done = store.update(animator.accept({ ...request, motion: 230, seed: 7 }, ref('u1')).id, { state: 'delivered', imageUrl: 'https://v3.fal.media/files/x.png' });
		const more = animator.followUp(done.id, 'more', ref('u2'));
		const less = animator.followUp(done.id, 'less', ref('u2'));
		const reroll = animator.followUp(done.id, 'reroll', ref('u2'));
		expect([more.motion, more.seed, more.imageUrl, more.state]).toEqual([255, 7, 'https://v3.fal.media/files/x.png', 'waiting']);
		expect([less.motion, less.seed]).toEqual([190, 7]);
		expect(reroll.motion).toBe(230);
		expect(reroll.userId).toBe('u2');
		expect(() => animator.followUp(done.id, 'retry', ref('u1'))).toThrow(/can no longer be used/);
	});

	it("keeps the poster's opt-out for others, not for the poster", () => {
		const { fal } = stuckFal();
		const { animator } = animatorWith(fal);
		settings.setOptOut('poster', true);
		const source = { messageId: 'm1', authorId: 'poster' };
		expect(() => animator.checkAllowed(request, { ...ref('u1'), source })).toThrow(/<@poster> has asked that their images not be animated by others/);
		expect(() => animator.checkAllowed(request, { ...ref('poster'), source })).not.toThrow();
	});
});

describe('fal result and error helpers', () => {
	it('takes the video from `image` (SVD schema) or `video` (related models)', () => {
		const file = { url: 'https://v3.fal.media/files/out.mp4', content_type: 'video/mp4', file_name: 'out.mp4', file_size: 10 };
		expect(pickVideo({ image: file, seed: 7 })).toEqual({ video: file, seed: 7 });
		expect(pickVideo({ video: file })).toEqual({ video: file, seed: undefined });
		expect(() => pickVideo({ images: [] })).toThrow(/no video file \(keys: images\)/);
	});

	it("names the user's option in a fal 422", () => {
		const error = new ValidationError({
			message: 'Unprocessable Entity',
			status: 422,
			body: { detail: [{ loc: ['body', 'cond_aug'], msg: 'value is not a valid float', type: 'type_error.float' }] },
		});
		expect(describeValidationError(error)).toBe('fal refused the request. `noise`: value is not a valid float');
	});

	it('reads step progress from logs only when the total matches the steps asked for', () => {
		expect(stepFromLogs([{ message: ' 35%|███▌      | 7/20 [00:03<00:06]' }], 20)).toBe(7);
		expect(stepFromLogs([{ message: 'Loading 1/3 shards' }], 20)).toBeUndefined();
		expect(stepFromLogs(undefined, 20)).toBeUndefined();
	});
});
