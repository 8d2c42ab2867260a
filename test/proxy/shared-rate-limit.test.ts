import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordProxyProcess } from '../support/discord-proxy-process.js';
import { FakeDiscord, type RecordedRequest } from '../../fakes/discord/index.js';
import { RestBurst } from '../support/rest-burst-process.js';
import type { BurstResult } from '../support/rest-burst.js';
import { BOT_TOKEN } from '../support/world.js';

/**
 * Three processes, each with its own discord.js REST client (as three bot processes each hold one), send a burst
 * of channel messages at the same moment. The fake Discord enforces Discord's global limit (50 requests/s per bot
 * token) and per-route buckets. Straight to Discord, each client keeps only its own count, so together they go
 * over and get 429s; behind one proxy there is one count, and Discord answers no 429 at all.
 */
describe('three processes share one rate limit through the Discord REST proxy', () => {
	const PROCESSES = 3;
	const POST_MESSAGE = 'POST /channels/:channel/messages';
	let discord: FakeDiscord;
	let proxy: DiscordProxyProcess | undefined;
	let bursts: RestBurst[] = [];

	// A fresh fake (and proxy) for each test: a rate-limit window left open by the previous burst would
	// otherwise count against the next one.
	beforeEach(async () => {
		// The fake's defaults: 50 requests per 1000 ms per token globally, 50 per route and channel per 1000 ms.
		discord = await FakeDiscord.start({ token: BOT_TOKEN });
	});
	afterEach(async () => {
		await Promise.all(bursts.map((b) => b.kill()));
		bursts = [];
		const code = await proxy?.stop();
		proxy = undefined;
		await discord.close();
		// The proxy stops on SIGTERM by itself, with status 0.
		expect(code ?? 0).toBe(0);
	});

	const startProxy = async () => (proxy = await DiscordProxyProcess.start(discord.apiUrl, discord.token));

	/** Plan for process `p`: `perProcess` messages with unique contents, round-robin over `channels`. */
	const plan = (tag: string, p: number, perProcess: number, channels: readonly string[]) => ({
		messages: Array.from({ length: perProcess }, (_, i) => ({ channel: channels[i % channels.length]!, content: `${tag} p${p} #${i}` })),
	});

	interface Outcome {
		readonly results: BurstResult[];
		/** What the fake Discord recorded for this burst (its contents start with the tag). */
		readonly upstream: RecordedRequest[];
		readonly rateLimited: RecordedRequest[];
		readonly ms: number;
	}

	/** Starts the processes against `apiUrl`, fires every plan at once, and collects what both sides saw. */
	async function burst(tag: string, apiUrl: string, perProcess: number, channels: readonly string[]): Promise<Outcome> {
		bursts = await RestBurst.start(PROCESSES, apiUrl, discord.token);
		const from = discord.requests.length;
		const started = Date.now();
		const results = await Promise.all(bursts.map((b, p) => b.run(plan(tag, p, perProcess, channels))));
		const ms = Date.now() - started;
		const upstream = discord.requests.slice(from).filter((r) => r.route === POST_MESSAGE);
		return { results, upstream, rateLimited: upstream.filter((r) => r.status === 429), ms };
	}

	/** The message contents stored at the fake for this burst, sorted, to compare with what was planned. */
	const stored = (tag: string, channels: readonly string[]) =>
		channels
			.flatMap((c) => discord.messages(c).map((m) => m.content))
			.filter((content) => content.startsWith(`${tag} `))
			.sort();
	const planned = (tag: string, perProcess: number, channels: readonly string[]) =>
		Array.from({ length: PROCESSES }, (_, p) => plan(tag, p, perProcess, channels).messages.map((m) => m.content))
			.flat()
			.sort();

	// An annotation, so that the run shows the measured figures (requests, 429s by scope, time) next to the verdict.
	const report = (annotate: (message: string) => Promise<unknown>, label: string, o: Outcome) =>
		annotate(
			`${label}: ${o.results.reduce((n, r) => n + r.sent, 0)} messages from ${PROCESSES} processes, ` +
				`${o.upstream.length} requests reached Discord, ${o.rateLimited.length} × 429 ` +
				`(global ${o.rateLimited.filter((r) => r.responseHeaders['x-ratelimit-scope'] === 'global').length}), ${o.ms} ms`,
		);

	const expectAllDelivered = (o: Outcome, tag: string, perProcess: number, channels: readonly string[]) => {
		for (const result of o.results) expect(result).toMatchObject({ sent: perProcess, ok: perProcess, errors: [] });
		// Each message exactly once, with its own content: no body lost on the way, nothing sent twice.
		expect(stored(tag, channels)).toEqual(planned(tag, perProcess, channels));
	};

	describe("Discord's global limit (50 requests/s per bot)", () => {
		// 180 messages over two channels: the route buckets (50/s per channel, 100/s together) leave room, the
		// global limit is what binds.
		const PER_PROCESS = 60;
		const channels = () => [discord.channelId, discord.otherChannelId];

		it('straight to Discord, the three processes together go over it (the control)', async ({ annotate }) => {
			const outcome = await burst('direct', discord.apiUrl, PER_PROCESS, channels());
			await report(annotate, 'global, direct', outcome);
			expect(outcome.rateLimited.filter((r) => r.responseHeaders['x-ratelimit-scope'] === 'global').length).toBeGreaterThan(0);
			// discord.js waits and retries a 429, so every message still arrives, only after being refused.
			expectAllDelivered(outcome, 'direct', PER_PROCESS, channels());
		}, 60_000);

		it('through one proxy, Discord answers no 429 and every message arrives once', async ({ annotate }) => {
			const outcome = await burst('proxied', (await startProxy()).apiUrl, PER_PROCESS, channels());
			await report(annotate, 'global, through the proxy', outcome);
			expect(outcome.rateLimited).toEqual([]);
			expect(outcome.upstream).toHaveLength(PROCESSES * PER_PROCESS);
			expectAllDelivered(outcome, 'proxied', PER_PROCESS, channels());
			// One count held the three to 50/s: 180 requests cannot have gone out in much under 3 windows.
			const sent = outcome.upstream.map((r) => r.at);
			expect(Math.max(...sent) - Math.min(...sent)).toBeGreaterThanOrEqual(2_000);
		}, 60_000);
	});

	describe('a per-route bucket (Discord: a few messages per channel per second)', () => {
		// 10 per second in one channel: 30 messages take 3 windows, far below the global limit, so what is
		// shared here is the bucket Discord announces in X-RateLimit-* headers.
		const PER_PROCESS = 10;
		const channels = () => [discord.channelId];
		const bucket = { limit: 10, windowMs: 1_000 };

		it('straight to Discord, each process reads the bucket but they race for its last places (the control)', async ({ annotate }) => {
			discord.setRouteLimit(POST_MESSAGE, bucket);
			const outcome = await burst('route-direct', discord.apiUrl, PER_PROCESS, channels());
			await report(annotate, 'route, direct', outcome);
			expect(outcome.rateLimited.filter((r) => r.responseHeaders['x-ratelimit-scope'] === 'user').length).toBeGreaterThan(0);
			expectAllDelivered(outcome, 'route-direct', PER_PROCESS, channels());
		}, 60_000);

		it('through one proxy, the bucket is never overrun', async ({ annotate }) => {
			discord.setRouteLimit(POST_MESSAGE, bucket);
			const outcome = await burst('route-proxied', (await startProxy()).apiUrl, PER_PROCESS, channels());
			await report(annotate, 'route, through the proxy', outcome);
			expect(outcome.rateLimited).toEqual([]);
			expect(outcome.upstream).toHaveLength(PROCESSES * PER_PROCESS);
			expectAllDelivered(outcome, 'route-proxied', PER_PROCESS, channels());
		}, 60_000);
	});
});
