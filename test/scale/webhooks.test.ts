import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { isVideoPost, since, titleOf } from '../support/requests.js';
import { envFor, startWorld, type World } from '../support/world.js';
import { FakeDiscord } from '../../fakes/discord/index.js';
import { FakeFal } from '../../fakes/fal/index.js';
import { freePort } from '../support/free-port.js';

const get = async (url: string) => {
	const response = await fetch(url);
	return { status: response.status, text: await response.text() };
};

describe('fal webhooks, health and metrics (HTTP_PORT, FAL_WEBHOOK_URL)', () => {
	let world: World;
	let base: string;
	beforeAll(async () => {
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		const fal = await FakeFal.start();
		world = await startWorld({
			progressIntervalMs: 100,
			// The status poll that finds a completion whose webhook never came (15 s in production).
			webhookPollMs: 500,
			fal,
			env: { HTTP_PORT: String(port), FAL_WEBHOOK_URL: `${base}/fal/webhook`, FAL_WEBHOOK_JWKS_URL: fal.jwksUrl },
		});
		world.fal.setDefaultScript({ queuePositions: [1, 0], queueStepMs: 100, runMs: 300 });
	});
	afterAll(async () => {
		await world?.close();
	});

	async function animate() {
		const image = world.discord.addAttachment('source-1024x576.png');
		const fresh = since(world);
		const submits = world.fal.submits.length;
		const { token } = await world.discord.dispatchChatInput({
			name: 'animate',
			options: [{ name: 'image', type: 11, value: image.id }],
			attachments: [image],
		});
		await expect.poll(() => world.fal.submits.length).toBe(submits + 1);
		return { token, fresh, requestId: world.fal.submits.at(-1)!.requestId };
	}

	it('delivers by webhook with no status stream held, and counts the delivery in /metrics', async () => {
		const { token, fresh, requestId } = await animate();
		await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 15_000);
		await world.discord.waitForRequest((r) => r.path.includes(token) && /Video ready/.test(titleOf(r)), 10_000);
		const kinds = world.fal.requestsFor(requestId).map((r) => r.kind);
		expect(kinds).not.toContain('stream');
		// At most one status request per poll interval (500 ms here) over the job's ~0.7 s at fal.
		expect(kinds.filter((kind) => kind === 'status').length).toBeLessThanOrEqual(2);
		expect(kinds.filter((kind) => kind === 'submit')).toHaveLength(1);
		await world.fal.webhooksSettled();
		expect(world.fal.webhookDeliveries.filter((d) => d.requestId === requestId).map((d) => `${d.kind} ${d.status}`)).toEqual(['delivery 200']);

		const metrics = await get(`${base}/metrics`);
		expect(metrics.status).toBe(200);
		expect(metrics.text).toMatch(/animate_deliveries_total\{via="channel"\} [1-9]/);
		expect(metrics.text).toMatch(/animate_fal_submits_total [1-9]/);
		expect(metrics.text).toMatch(/animate_jobs\{state="delivered"\} [1-9]/);
		for (const secret of [world.env['DISCORD_TOKEN']!, world.env['FAL_KEY']!, token]) expect(metrics.text).not.toContain(secret);

		// fal may deliver again (a retry, a replay): idempotent on the request id, nothing is posted twice.
		world.fal.replayWebhook(requestId);
		await world.fal.webhooksSettled();
		await world.bot.services.engine.idle();
		expect(world.fal.webhookDeliveries.filter((d) => d.requestId === requestId).map((d) => `${d.kind} ${d.status}`)).toEqual([
			'delivery 200',
			'replay 200',
		]);
		expect(world.discord.requests.filter((r) => fresh(r) && isVideoPost(r))).toHaveLength(1);
	});

	it('refuses a forged and a stale webhook (401) and changes nothing; a missed webhook is found by the status poll', async () => {
		world.fal.script({ queuePositions: [1, 0], queueStepMs: 100, runMs: 300, webhook: 'drop' });
		const { fresh, requestId } = await animate();
		const url = `${base}/fal/webhook`;
		world.fal.sendForgedWebhook(url, requestId);
		world.fal.sendStaleWebhook(url, requestId, 301);
		await world.fal.webhooksSettled();
		const answers = world.fal.webhookDeliveries.filter((d) => d.requestId === requestId).map((d) => `${d.kind} ${d.status}`);
		expect(answers).toEqual(['forged 401', 'stale 401']);
		expect(world.discord.requests.filter((r) => fresh(r) && isVideoPost(r))).toHaveLength(0);
		// Its own webhook was dropped: the poll finds the completion and the video is posted once.
		await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 10_000);
		await world.bot.services.engine.idle();
		expect(world.discord.requests.filter((r) => fresh(r) && isVideoPost(r))).toHaveLength(1);
		expect((await world.bot.services.jobs.byRequestId(requestId))?.state).toBe('delivered');
		expect(world.fal.requestsFor(requestId).map((r) => r.kind)).toContain('status');
	});

	it('answers /livez 200 and /readyz 200 once logged in', async () => {
		expect((await get(`${base}/livez`)).status).toBe(200);
		expect((await get(`${base}/readyz`)).status).toBe(200);
	});
});

describe('/readyz before the gateway is ready', () => {
	let discord: FakeDiscord;
	let fal: FakeFal;
	beforeAll(async () => {
		discord = await FakeDiscord.start({ token: 'MTE5ODc2NTQzMjEwOTg3NjU0Mw.GfAkEt.fake-bot-token-for-tests_0123456789abcd' });
		fal = await FakeFal.start();
	});
	afterAll(async () => {
		await discord.close();
		await fal.close();
	});

	it('answers 503 while the bot cannot log in', async () => {
		const port = await freePort();
		// A token Discord does not know: login fails, so READY never arrives.
		const env = envFor(discord, fal, { HTTP_PORT: String(port), DISCORD_TOKEN: 'bm90LWEtYm90.AAAAAA.not-the-token-of-this-bot-at-all' });
		const bot = createBot(parseConfig(env), createLogger({ level: 'silent', secrets: [] }));
		try {
			await expect(bot.start()).rejects.toThrow();
			expect((await get(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
			expect((await get(`http://127.0.0.1:${port}/livez`)).status).toBe(200);
		} finally {
			await bot.stop(100);
		}
	});
});
