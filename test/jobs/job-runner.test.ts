import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { renderProgress } from '../../src/discord/views/progress-card.js';
import { refusalText } from '../../src/discord/views/refusals.js';
import { Refused } from '../../src/domain/refusal.js';
import { JobEngine } from '../../src/jobs/job-engine.js';
import type { FalGateway, JobMessenger, PostedMessage } from '../../src/jobs/ports.js';
import { FalSlots } from '../../src/jobs/slots.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/store/database.js';
import { fallbackFrom, SqliteSettingsStore } from '../../src/store/guild-settings.js';
import { SqliteJobStore } from '../../src/store/job-store.js';
import { attachedImage as image, offlineMedia as media, originOf } from '../support/engine-fixtures.js';
import { en } from '../support/english.js';

const log = createLogger({ level: 'silent', secrets: [] });
const config = parseConfig({ DISCORD_TOKEN: 'a.b.c', FAL_KEY: 'k' });

/** A fal whose calls are recorded and whose submit answers only when the test says so. */
function controllableFal() {
	const calls: string[] = [];
	let answerSubmit: (id: string) => void = () => undefined;
	const fal: FalGateway = {
		upload: async (_bytes, _type, name) => `https://v3.fal.media/files/${name}`,
		submit: () => {
			calls.push('submit');
			return new Promise((resolve) => (answerSubmit = resolve));
		},
		status: async () => ({ status: 'COMPLETED' }),
		watch: async () => {
			calls.push('watch');
			return { status: 'COMPLETED' };
		},
		result: async (_model, requestId) => {
			calls.push(`result ${requestId}`);
			return { video: { url: 'https://v3.fal.media/files/out.mp4', file_size: 3 }, seed: 7 };
		},
		cancel: async (_model, requestId) => {
			calls.push(`cancel ${requestId}`);
		},
	};
	return { fal, calls, answerSubmit: (id: string) => answerSubmit(id) };
}

function messengerThat(post: () => Promise<PostedMessage>) {
	const cards: string[] = [];
	const messenger: JobMessenger = {
		attachmentSizeLimit: 10 * 1024 * 1024,
		showProgress: (view) => cards.push(renderProgress(view, en).embeds[0]!.toJSON().title!),
		settle: async (view) => {
			cards.push(`${renderProgress(view, en).embeds[0]!.toJSON().title!} | ${renderProgress(view, en).embeds[0]!.toJSON().description!}`);
		},
		postResult: post,
		refuse: async (refusal) => {
			cards.push(`refused: ${refusalText(refusal, en)}`);
		},
		findDelivered: async () => undefined,
	};
	return { messenger, cards };
}

describe('the job runner at its edges', () => {
	let store: SqliteJobStore;
	let settings: SqliteSettingsStore;
	beforeEach(() => {
		const db = openDatabase(':memory:');
		store = new SqliteJobStore(db);
		settings = new SqliteSettingsStore(db, { ...fallbackFrom(config), cooldownSeconds: 0, jobsPerUser: 10 });
	});
	const engineWith = (fal: FalGateway, messenger: JobMessenger) =>
		new JobEngine({ store, settings, fal, media, slots: new FalSlots(5), messengerFor: () => messenger, limits: config.limits, prices: {}, log });

	it('cancels at fal the request fal accepts after the member pressed Cancel during the submit', async () => {
		const { fal, calls, answerSubmit } = controllableFal();
		const { messenger, cards } = messengerThat(() => Promise.reject(new Error('not reached')));
		const engine = engineWith(fal, messenger);
		const job = await engine.accept({ image }, originOf());
		void engine.start(job.id);
		await expect.poll(() => calls).toContain('submit');
		await engine.cancel(job.id, 'u1');
		await engine.idle();
		expect((await store.get(job.id))?.state).toBe('cancelled');
		expect(cards.at(-1)).toContain('Cancelled before it was submitted.');
		// fal answers the submit only now: that request must not be left running (and billed).
		answerSubmit('req-late');
		await expect.poll(() => calls).toContain('cancel req-late');
	});

	it('records the request id of a submit answered during shutdown, so the next start re-attaches', async () => {
		const { fal, calls, answerSubmit } = controllableFal();
		const engine = engineWith(fal, messengerThat(() => Promise.reject(new Error('not reached'))).messenger);
		const job = await engine.accept({ image }, originOf());
		void engine.start(job.id);
		await expect.poll(() => calls).toContain('submit');
		const stopped = engine.shutdown(100);
		answerSubmit('req-kept');
		await stopped;
		expect(await store.get(job.id)).toMatchObject({ requestId: 'req-kept', state: 'queued' });
	});

	it('re-posts the stored result on Try again after a failed post, without paying fal again', async () => {
		const { fal, calls, answerSubmit } = controllableFal();
		let posts = 0;
		const { messenger } = messengerThat(async () => {
			posts += 1;
			if (posts === 1) throw new Error('Discord refused the post');
			return { id: 'm1', url: 'https://discord.com/channels/g1/c1/m1', via: 'channel' };
		});
		const engine = engineWith(fal, messenger);
		const first = await engine.accept({ image }, originOf());
		void engine.start(first.id);
		await expect.poll(() => calls).toContain('submit');
		answerSubmit('req-1');
		await engine.idle();
		expect(await store.get(first.id)).toMatchObject({ state: 'failed', producedAt: expect.any(Number) as number });

		const again = await engine.followUp(first.id, 'retry', originOf());
		expect(again).toMatchObject({ state: 'delivering', requestId: 'req-1', costUsd: 0 });
		void engine.start(again.id);
		await engine.idle();
		expect((await store.get(again.id))?.state).toBe('delivered');
		expect(calls.filter((call) => call === 'submit')).toHaveLength(1);
		expect(calls.filter((call) => call === 'result req-1')).toHaveLength(2);
	});

	it('gives a job its place under the spend cap back when fal never made its video', async () => {
		const { fal, calls, answerSubmit } = controllableFal();
		await settings.update('g1', { monthlyCapUsd: 0.16 });
		const engine = engineWith(fal, messengerThat(async () => ({ id: 'm', url: 'u', via: 'channel' })).messenger);
		const first = await engine.accept({ image }, originOf('u1'));
		await engine.accept({ image }, originOf('u2'));
		// Two jobs in flight fill the cap.
		await expect(engine.checkAllowed({ image }, originOf('u3'))).rejects.toThrow(Refused);
		void engine.start(first.id);
		await expect.poll(() => calls).toContain('submit');
		await engine.cancel(first.id, 'u1');
		await engine.idle();
		answerSubmit('req-cancelled');
		// Cancelled before fal made anything: its price is given back.
		await expect(engine.checkAllowed({ image }, originOf('u3'))).resolves.toBeDefined();
	});
});
