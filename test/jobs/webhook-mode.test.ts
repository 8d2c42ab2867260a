import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { renderProgress } from '../../src/discord/views/progress-card.js';
import { FalJobFailed } from '../../src/domain/errors.js';
import { JobEngine } from '../../src/jobs/job-engine.js';
import type { FalGateway, FalStatus, JobMessenger } from '../../src/jobs/ports.js';
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
	const engineWith = (fal: FalGateway) =>
		new JobEngine({
			store,
			settings,
			fal,
			media,
			slots: new FalSlots(5),
			messengerFor: () => messenger,
			limits: config.limits,
			prices: {},
			log,
			falWebhookUrl: 'https://bot.example/fal/webhook',
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
		expect(calls[0]).toBe('submit https://bot.example/fal/webhook');
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
});
