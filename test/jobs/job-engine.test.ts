import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { renderProgress, type ProgressPayload } from '../../src/discord/views/progress-card.js';
import { ValidationError } from '@fal-ai/client';
import type { AnimateRequest, JobOrigin } from '../../src/domain/job.js';
import { FalRejected } from '../../src/domain/errors.js';
import { explainRejection } from '../../src/domain/models.js';
import { stepFromLogs } from '../../src/domain/progress.js';
import { Refused, type Refusal } from '../../src/domain/refusal.js';
import { classifyFalError, pickVideo } from '../../src/fal/gateway.js';
import { JobEngine } from '../../src/jobs/job-engine.js';
import type { FalGateway, FalStatus, JobMessenger } from '../../src/jobs/ports.js';
import { FalSlots } from '../../src/jobs/slots.js';
import { createLogger } from '../../src/logger.js';
import { createMedia } from '../../src/media/media.js';
import { openDatabase } from '../../src/store/database.js';
import { fallbackFrom, SqliteSettingsStore } from '../../src/store/guild-settings.js';
import { SqliteJobStore } from '../../src/store/job-store.js';
import { noteText } from '../../src/discord/views/notes.js';
import { refusalText } from '../../src/discord/views/refusals.js';
import { FakeDiscord } from '../../fakes/discord/index.js';
import { wordedAsync } from '../support/worded.js';
import { en } from '../support/english.js';

const log = createLogger({ level: 'silent', secrets: [] });
const baseConfig = parseConfig({ DISCORD_TOKEN: 'a.b.c', FAL_KEY: 'k' });
const baseLimits = baseConfig.limits;

/** A fal whose jobs stay queued until aborted, recording what the engine asked of it. */
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
		async status() {
			calls.push('status');
			return { status: 'IN_QUEUE', queue_position: 2 };
		},
		watch(_model, _id, onStatus, signal) {
			calls.push('watch');
			onStatus({ status: 'IN_QUEUE', queue_position: 2 });
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
	// Records each card as the member would see it (unthrottled: throttling has its own tests).
	const messenger: JobMessenger = {
		attachmentSizeLimit: 10 * 1024 * 1024,
		showProgress(view) {
			edits.push(renderProgress(view, en));
		},
		async settle(view) {
			edits.push(renderProgress(view, en));
		},
		async postResult() {
			throw new Error('not reached');
		},
		async refuse(refusal: Refusal) {
			refusals.push(refusalText(refusal, en));
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
	locale: 'en-US',
	trigger: 'command',
	reach: 'channel',
	interaction: { id: 'i1', applicationId: 'a1', token: 'token', createdAt: Date.now() },
	attachmentSizeLimit: 10 * 1024 * 1024,
});

/** The kind of refusal `fn` throws, or undefined when it goes through. */
async function refusalOf(action: Promise<unknown>): Promise<string | undefined> {
	try {
		await action;
		return undefined;
	} catch (error) {
		if (error instanceof Refused) return error.refusal.kind;
		throw error;
	}
}

describe('JobEngine', () => {
	let discord: FakeDiscord;
	let request: AnimateRequest;
	let store: SqliteJobStore;
	let settings: SqliteSettingsStore;
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
		store = new SqliteJobStore(db);
		settings = new SqliteSettingsStore(db, fallbackFrom(baseConfig));
	});

	async function engineWith(fal: FalGateway, options: { model?: string; limits?: Partial<typeof baseLimits>; slots?: number } = {}) {
		const recorded = recordingMessenger();
		if (options.model) await settings.update('g1', { model: options.model });
		const engine = new JobEngine({
			store,
			settings,
			fal,
			media: createMedia({ discordApiUrl: discord.apiUrl, threads: 1 }),
			slots: new FalSlots(options.slots ?? 20),
			messengerFor: () => recorded.messenger,
			prices: {},
			limits: { ...baseLimits, ...options.limits },
			log,
		});
		return { engine, ...recorded };
	}

	it('refuses options the configured model does not take, before recording anything', async () => {
		const { fal, calls } = stuckFal();
		const { engine } = await engineWith(fal, { model: 'fal-ai/stable-video' });
		const mask = { url: 'http://127.0.0.1:1/never-fetched.png', name: 'mask.png' };
		await expect(wordedAsync(engine.accept({ ...request, steps: 30, mask }, ref()))).rejects.toThrow(/does not take `steps`, `mask`/);
		await expect(engine.accept({ ...request, steps: 30 }, ref())).rejects.toThrow(Refused);
		expect(calls).toEqual([]);
		expect(await store.unfinished()).toEqual([]);
	});

	it('gives up on a job that takes too long, cancels it at fal and offers to retry', async () => {
		const { fal, calls } = stuckFal();
		const { engine, edits } = await engineWith(fal, { limits: { jobTimeoutMs: 300 } });
		const job = await engine.accept(request, ref());
		void engine.start(job.id);
		await engine.idle();
		// When the time is up fal is asked once more (a finished video is never thrown away), then cancelled.
		expect(calls).toEqual(['upload source-1024x576.png', 'submit', 'watch', 'status', 'cancel']);
		const last = edits.at(-1)!;
		expect(last.embeds[0]!.toJSON().description).toContain('It took too long, so I gave up on it.');
		expect(last.components[0]!.toJSON().components[0]).toMatchObject({ label: 'Try again' });
		expect(await store.get(job.id)).toMatchObject({ state: 'failed', error: 'timed out' });
	});

	it('stops waiting for a running job on cancel without cancelling at fal', async () => {
		const { fal, calls } = stuckFal();
		fal.watch = (_model, _id, onStatus, signal) => {
			onStatus({ status: 'IN_PROGRESS', logs: [] } as unknown as FalStatus);
			return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
		};
		const { engine, edits } = await engineWith(fal);
		const job = await engine.accept(request, ref());
		void engine.start(job.id);
		await expect.poll(async () => (await store.get(job.id))?.state).toBe('running');
		expect(await refusalOf(engine.cancel(job.id, 'someone-else'))).toBe('cancel-not-yours');
		expect(await refusalOf(engine.cancel(job.id, 'u1'))).toBeUndefined();
		await engine.idle();
		expect(calls).not.toContain('cancel');
		expect(edits.at(-1)!.embeds[0]!.toJSON().description).toContain("Stopped waiting for it; fal may finish it, but it won't be posted.");
		expect((await store.get(job.id))?.state).toBe('cancelled');
	});

	it('pauses jobs on shutdown without changing their state, and resumes them', async () => {
		const { fal, calls } = stuckFal();
		const first = await engineWith(fal);
		const job = await first.engine.accept(request, ref());
		void first.engine.start(job.id);
		await expect.poll(() => calls.includes('watch')).toBe(true);
		await first.engine.shutdown(100);
		expect(await store.get(job.id)).toMatchObject({ state: 'queued', requestId: 'req-2' });

		const second = await engineWith(fal);
		expect(await second.engine.resume()).toBe(1);
		await expect.poll(() => calls.filter((c) => c === 'watch').length).toBe(2);
		// Re-attached to the same fal request: no second upload or submit.
		expect(calls.filter((c) => c === 'submit')).toHaveLength(1);
		await second.engine.shutdown(100);
	});

	it('refuses by limit, naming the limit and when to try again', async () => {
		const { fal } = stuckFal();
		const { engine } = await engineWith(fal);
		await settings.update('g1', { jobsPerUser: 1, cooldownSeconds: 60, jobsPerDay: 2 });
		await engine.accept(request, ref('u1'));
		await expect(wordedAsync(engine.checkAllowed(request, ref('u1')))).rejects.toThrow(/already have 1 video in the works \(the limit is 1\)/);
		await store.update((await store.unfinished())[0]!.id, { state: 'delivered' });
		await expect(wordedAsync(engine.checkAllowed(request, ref('u1')))).rejects.toThrow(/You can start another <t:\d+:R>/);
		await engine.accept(request, ref('u2'));
		await expect(wordedAsync(engine.checkAllowed(request, ref('u3')))).rejects.toThrow(/made its 2 videos for today\. More can be made <t:\d+:R>/);
		await expect(engine.checkAllowed(request, ref('u3', 'g2'))).resolves.toBeDefined();
	});

	it('refuses past the monthly spend cap, counting jobs on their way to fal', async () => {
		const { fal } = stuckFal();
		const { engine } = await engineWith(fal);
		await settings.update('g1', { monthlyCapUsd: 0.2 });
		await engine.accept(request, ref('u1'));
		const second = await engine.accept(request, ref('u2'));
		expect(second.notes.map((note) => noteText(note, en)).join('\n')).toMatch(
			/Estimated cost \$0\.075; this server has used \$0\.075 of its \$0\.20 monthly cap/,
		);
		await expect(wordedAsync(engine.accept(request, ref('u3')))).rejects.toThrow(
			/reached its \$0\.20 monthly spend cap for videos \(\$0\.15 used\)\. It resets on <t:\d+:D>/,
		);
	});

	it('makes follow-ups from a delivered job: reroll changes the seed, more/less move motion by 40 within 1–255', async () => {
		const { fal } = stuckFal();
		const { engine } = await engineWith(fal);
		await settings.update('g1', { cooldownSeconds: 0, jobsPerUser: 5 });
		const done = await store.update((await engine.accept({ ...request, motion: 230, seed: 7 }, ref('u1'))).id, {
			state: 'delivered',
			imageUrl: 'https://v3.fal.media/files/x.png',
		});
		const more = await engine.followUp(done.id, 'more', ref('u2'));
		const less = await engine.followUp(done.id, 'less', ref('u2'));
		const reroll = await engine.followUp(done.id, 'reroll', ref('u2'));
		expect([more.motion, more.seed, more.imageUrl, more.state]).toEqual([255, 7, 'https://v3.fal.media/files/x.png', 'waiting']);
		expect([less.motion, less.seed]).toEqual([190, 7]);
		expect(reroll.motion).toBe(230);
		expect(reroll.userId).toBe('u2');
		await expect(wordedAsync(engine.followUp(done.id, 'retry', ref('u1')))).rejects.toThrow(/can no longer be used/);
	});

	it("keeps the poster's opt-out for others, not for the poster", async () => {
		const { fal } = stuckFal();
		const { engine } = await engineWith(fal);
		await settings.setOptOut('poster', true);
		const source = { messageId: 'm1', authorId: 'poster' };
		await expect(wordedAsync(engine.checkAllowed(request, { ...ref('u1'), source }))).rejects.toThrow(
			/<@poster> has asked that their images not be animated by others/,
		);
		await expect(engine.checkAllowed(request, { ...ref('poster'), source })).resolves.toBeDefined();
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
		const rejected = classifyFalError(error);
		expect(rejected).toBeInstanceOf(FalRejected);
		expect(refusalText(explainRejection(rejected as FalRejected), en)).toBe('fal refused the request. `noise`: value is not a valid float');
	});

	it('reads step progress from logs only when the total matches the steps asked for', () => {
		expect(stepFromLogs([{ message: ' 35%|███▌      | 7/20 [00:03<00:06]' }], 20)).toBe(7);
		expect(stepFromLogs([{ message: 'Loading 1/3 shards' }], 20)).toBeUndefined();
		expect(stepFromLogs(undefined, 20)).toBeUndefined();
	});
});
