import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { renderProgress } from '../../src/discord/views/progress-card.js';
import { FalJobFailed } from '../../src/domain/errors.js';
import { JobEngine } from '../../src/jobs/job-engine.js';
import type { Limits } from '../../src/config.js';
import type { FalGateway, FalStatus, InterruptedSubmitOutcome, JobMessenger, JobMetrics } from '../../src/jobs/ports.js';
import { FalSlots } from '../../src/jobs/slots.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/store/database.js';
import { fallbackFrom, SqliteSettingsStore } from '../../src/store/guild-settings.js';
import { SqliteJobStore } from '../../src/store/job-store.js';
import { attachedImage as image, offlineMedia as media, originOf } from '../support/engine-fixtures.js';
import { en } from '../support/english.js';

const log = createLogger({ level: 'silent', secrets: [] });
const config = parseConfig({ DISCORD_TOKEN: 'a.b.c', FAL_KEY: 'k' });
const VIDEO = { url: 'https://v3.fal.media/files/out.mp4', file_size: 3 };

/** A fal in webhook mode: every call recorded; the status answers what the test sets. */
function webhookFal() {
	const calls: string[] = [];
	let status: FalStatus = { status: 'IN_QUEUE', queue_position: 3 };
	const fal: FalGateway = {
		upload: async (_bytes, _type, name) => `https://v3.fal.media/files/${name}`,
		submit: async (_model, _input, options) => {
			calls.push(`submit ${options?.webhookUrl ?? 'no webhook'}`);
			return 'req-1';
		},
		status: async () => {
			calls.push('status');
			return status;
		},
		watch: async () => {
			calls.push('watch');
			return { status: 'COMPLETED' };
		},
		result: async () => {
			calls.push('result');
			return { video: VIDEO, seed: 9 };
		},
		cancel: async () => {
			calls.push('cancel');
		},
	};
	return { fal, calls, setStatus: (next: FalStatus) => (status = next) };
}

describe('webhook mode', () => {
	let store: SqliteJobStore;
	let settings: SqliteSettingsStore;
	const cards: string[] = [];
	const messenger: JobMessenger = {
		attachmentSizeLimit: 10 * 1024 * 1024,
		showProgress: (view) => cards.push(renderProgress(view, en).embeds[0]!.toJSON().description ?? ''),
		settle: async (view) => {
			cards.push(renderProgress(view, en).embeds[0]!.toJSON().title ?? '');
		},
		postResult: async () => ({ id: 'm1', url: 'https://discord.com/channels/g1/c1/m1', via: 'channel' }),
		refuse: async () => undefined,
		findDelivered: async () => undefined,
	};
	beforeEach(() => {
		const db = openDatabase(':memory:');
		store = new SqliteJobStore(db);
		settings = new SqliteSettingsStore(db, fallbackFrom(config));
		cards.length = 0;
	});
	const engineWith = (fal: FalGateway, how: { limits?: Limits; webhook?: boolean; metrics?: JobMetrics } = {}) =>
		new JobEngine({
			store,
			settings,
			fal,
			media,
			slots: new FalSlots(5),
			messengerFor: () => messenger,
			limits: how.limits ?? config.limits,
			prices: {},
			log,
			metrics: how.metrics,
			falWebhookUrl: how.webhook === false ? undefined : 'https://bot.example/fal/webhook',
			webhookPollMs: 40,
		});

	it('submits with the webhook URL, holds no stream, shows the queue from polls, and posts the video the webhook names', async () => {
		const { fal, calls } = webhookFal();
		const engine = engineWith(fal);
		const job = await engine.accept({ image }, originOf());
		void engine.start(job.id);
		await expect.poll(() => calls.filter((call) => call === 'status').length).toBeGreaterThanOrEqual(2);
		expect(cards.some((card) => card.includes('**3** requests ahead of yours'))).toBe(true);
		await engine.receiveFalCompletion('req-1', { kind: 'ok', video: VIDEO, seed: 9 });
		await engine.idle();
		expect((await store.get(job.id))?.state).toBe('delivered');
		// The URL names the job and the attempt, recorded before the submit left.
		const { submitAttempt } = (await store.get(job.id))!;
		expect(submitAttempt).toMatch(/^[0-9a-f-]{36}$/);
		expect(calls[0]).toBe(`submit https://bot.example/fal/webhook?animate_job=${job.id}&animate_attempt=${submitAttempt}`);
		// Neither a stream nor a result request: the webhook carried the video.
		expect(calls).not.toContain('watch');
		expect(calls).not.toContain('result');
	});

	it('finds a completion whose webhook never came by its status poll', async () => {
		const { fal, calls, setStatus } = webhookFal();
		const engine = engineWith(fal);
		const job = await engine.accept({ image }, originOf());
		void engine.start(job.id);
		await expect.poll(() => calls).toContain('status');
		setStatus({ status: 'COMPLETED' });
		await engine.idle();
		expect((await store.get(job.id))?.state).toBe('delivered');
		expect(calls.filter((call) => call === 'result')).toHaveLength(1);
	});

	it('ends the job on a failure the webhook reports, and ignores a replay once the job is over', async () => {
		const { fal, calls } = webhookFal();
		const engine = engineWith(fal);
		const job = await engine.accept({ image }, originOf());
		void engine.start(job.id);
		await expect.poll(() => calls).toContain('status');
		const failure = { kind: 'failed' as const, error: new FalJobFailed('Request timed out', { errorType: 'request_timeout' }) };
		await engine.receiveFalCompletion('req-1', failure);
		await engine.idle();
		expect(await store.get(job.id)).toMatchObject({ state: 'failed' });
		expect(cards.at(-1)).toContain('could not be made');
		const before = calls.length;
		await engine.receiveFalCompletion('req-1', { kind: 'ok', video: VIDEO, seed: 9 });
		await engine.idle();
		expect(calls.length).toBe(before);
		expect((await store.get(job.id))?.state).toBe('failed');
	});

	describe('a job whose submit a stopped process left unanswered', () => {
		const outcomes: InterruptedSubmitOutcome[] = [];
		const metrics: JobMetrics = {
			submitted: () => undefined,
			interruptedSubmit: (outcome) => outcomes.push(outcome),
			delivered: () => undefined,
			failed: () => undefined,
			observeFalWait: () => undefined,
			observeFalRun: () => undefined,
		};
		beforeEach(() => {
			outcomes.length = 0;
		});
		/** A job as a process killed mid-submit leaves it: inputs uploaded, attempt a1 announced, no request id. */
		const interrupted = async (engine: JobEngine) => {
			const job = await engine.accept({ image }, originOf());
			const at = Date.now();
			await store.update(job.id, { state: 'waiting', imageUrl: 'https://v3.fal.media/files/in.png', submitAttempt: 'a1', submitAttemptAt: at });
			return job.id;
		};
		const withWindow = (minutes: string) => parseConfig({ DISCORD_TOKEN: 'a.b.c', FAL_KEY: 'k', JOB_TIMEOUT_MINUTES: minutes }).limits;

		it("is carried on with the request fal's webhook names, never submitted again", async () => {
			const { fal, calls, setStatus } = webhookFal();
			const engine = engineWith(fal, { metrics });
			const jobId = await interrupted(engine);
			void engine.start(jobId);
			// Its card shows it waiting while fal is given time to name it.
			await expect.poll(() => cards.length).toBeGreaterThan(0);
			// A webhook naming another attempt, or another job, is not taken for this one.
			setStatus({ status: 'COMPLETED' });
			await engine.receiveFalCompletion('req-x', { kind: 'ok', video: VIDEO, seed: 1 }, { jobId, attempt: 'a0' });
			await engine.receiveFalCompletion('req-y', { kind: 'ok', video: VIDEO, seed: 1 }, { jobId: 'other', attempt: 'a1' });
			expect((await store.get(jobId))?.requestId).toBeNull();
			await engine.receiveFalCompletion('req-9', { kind: 'ok', video: VIDEO, seed: 9 }, { jobId, attempt: 'a1' });
			await expect.poll(async () => (await store.get(jobId))?.state).toBe('delivered');
			expect(await store.get(jobId)).toMatchObject({ requestId: 'req-9', submitAttempt: 'a1' });
			expect(calls.filter((call) => call.startsWith('submit'))).toEqual([]);
			expect(outcomes).toEqual(['adopted']);
		});

		it('is submitted again, once, when fal has not named it within JOB_TIMEOUT_MINUTES', async () => {
			const { fal, calls, setStatus } = webhookFal();
			setStatus({ status: 'COMPLETED' });
			const engine = engineWith(fal, { limits: withWindow('0.005'), metrics });
			const jobId = await interrupted(engine);
			const started = Date.now();
			void engine.start(jobId);
			await expect.poll(async () => (await store.get(jobId))?.state).toBe('delivered');
			// Not before the window (0.3 s) was over: fal could still have named it until then.
			expect(Date.now() - started).toBeGreaterThanOrEqual(250);
			const row = (await store.get(jobId))!;
			expect(row.requestId).toBe('req-1');
			expect(row.submitAttempt).not.toBe('a1');
			expect(calls.filter((call) => call.startsWith('submit'))).toEqual([
				`submit https://bot.example/fal/webhook?animate_job=${jobId}&animate_attempt=${row.submitAttempt}`,
			]);
			expect(outcomes).toEqual(['resubmitted']);
			// The webhook of the first attempt, if fal had it after all, now names nothing.
			await engine.receiveFalCompletion('req-late', { kind: 'ok', video: VIDEO, seed: 1 }, { jobId, attempt: 'a1' });
			expect((await store.get(jobId))?.requestId).toBe('req-1');
		});

		it('is neither submitted nor marked failed when it ends meanwhile where no process drove it', async () => {
			const { fal, calls } = webhookFal();
			const engine = engineWith(fal, { metrics });
			const jobId = await interrupted(engine);
			void engine.start(jobId);
			await expect.poll(() => cards.length).toBeGreaterThan(0);
			await store.update(jobId, { state: 'cancelled', finishedAt: Date.now() });
			await engine.idle();
			expect((await store.get(jobId))?.state).toBe('cancelled');
			expect(calls.filter((call) => call.startsWith('submit'))).toEqual([]);
			expect(outcomes).toEqual([]);
		});

		it('is submitted again at once in stream mode, where nothing could name it', async () => {
			const { fal, calls } = webhookFal();
			const engine = engineWith(fal, { webhook: false, metrics });
			const jobId = await interrupted(engine);
			void engine.start(jobId);
			await expect.poll(async () => (await store.get(jobId))?.state).toBe('delivered');
			expect(calls.filter((call) => call.startsWith('submit'))).toEqual(['submit no webhook']);
			expect(outcomes).toEqual(['resubmitted']);
		});
	});
});
