/**
 * Hostile media must not stall the bot: the checks run in worker threads, so while a pixel bomb
 * and zip bombs are checked the event loop keeps answering (timed with monitorEventLoopDelay),
 * and the real bot acknowledges every interaction within Discord's 3 seconds.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { APIAttachment } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Refused } from '../../src/domain/refusal.js';
import { createMedia, type MediaAdapter } from '../../src/media/media.js';
import { readFixture } from '../support/fixtures.js';
import { hostileServer, longGif, pngBomb, serve, zipOf, type HostileServer } from '../support/hostile.js';
import { startWorld, type World } from '../support/world.js';

const MB = 1024 * 1024;
const ATTACHMENT = 11;
let pixelBomb: Buffer;
let zipBomb: Buffer;

beforeAll(async () => {
	pixelBomb = await pngBomb(16_000, 16_000);
	zipBomb = zipOf([{ name: 'depth_000.png', data: new Uint8Array(64 * MB) }]);
});

/** Runs `work` with the event loop's delay sampled every millisecond; the 99th percentile in ms. */
async function p99During(work: () => Promise<unknown>): Promise<{ p99: number; max: number }> {
	const histogram = monitorEventLoopDelay({ resolution: 1 });
	histogram.enable();
	try {
		await work();
	} finally {
		histogram.disable();
	}
	return { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
}

describe('the event loop while bombs are checked', () => {
	let server: HostileServer;
	let media: MediaAdapter;
	beforeAll(async () => {
		server = await hostileServer({
			'/bomb.png': serve(pixelBomb),
			'/bomb.zip': serve(zipBomb),
			'/largest.png': serve(await pngBomb(4096, 4096)),
			'/long.gif': serve(await longGif(2_000)),
			'/warm.png': serve(readFixture('source-1024x576.png')),
		});
		media = createMedia({ allowedOrigins: [server.origin] });
		// Both threads started (two checks at once) before anything is timed.
		const warm = { url: `${server.origin}/warm.png`, name: 'warm.png' };
		await Promise.all([media.loadImage(warm, new AbortController().signal), media.loadImage(warm, new AbortController().signal)]);
	}, 60_000);
	afterAll(async () => {
		await media?.close();
		await server?.close();
	});

	it('keeps p99 under 20 ms through a pixel bomb, zip bombs and the largest image', async ({ annotate }) => {
		const signal = new AbortController().signal;
		const kinds: string[] = [];
		const kindOf = (promise: Promise<unknown>) =>
			promise.then(
				() => kinds.push('accepted'),
				(error: unknown) => kinds.push(error instanceof Refused ? error.refusal.kind : String(error)),
			);
		const { p99, max } = await p99During(async () => {
			for (let round = 0; round < 3; round += 1) {
				await Promise.all([
					kindOf(media.loadImage({ url: `${server.origin}/bomb.png`, name: 'bomb.png' }, signal)),
					kindOf(media.loadDepthMaps({ url: `${server.origin}/bomb.zip`, name: 'bomb.zip' }, signal)),
					kindOf(media.loadImage({ url: `${server.origin}/largest.png`, name: 'largest.png' }, signal)),
					kindOf(media.loadImage({ url: `${server.origin}/long.gif`, name: 'long.gif' }, signal)),
				]);
			}
		});
		await annotate(`event loop with bombs in the pool: p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
		const times = (n: number, kind: string): string[] => Array.from({ length: n }, () => kind);
		expect(kinds.sort()).toEqual([...times(6, 'accepted'), ...times(3, 'image-too-large'), ...times(3, 'zip-bomb')]);
		expect(p99).toBeLessThan(20);
	});
});

describe('the bot under a burst of bombs', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld({ progressIntervalMs: 200 });
	}, 60_000);
	afterAll(async () => {
		await world?.close();
	});

	it('acknowledges 20 interactions carrying bombs within 3 s each, and refuses every one', async ({ annotate }) => {
		const { discord } = world;
		const dispatch = (i: number) => {
			const files: Record<string, APIAttachment> =
				i % 2 === 0
					? { image: discord.addAttachment(pixelBomb, { filename: `bomb-${i}.png` }) }
					: { image: discord.addAttachment('source-1024x576.png'), depth_maps: discord.addAttachment(zipBomb, { filename: `depth-${i}.zip` }) };
			return discord.dispatchChatInput({
				name: 'animate',
				options: Object.entries(files).map(([name, attachment]) => ({ name, type: ATTACHMENT, value: attachment.id })),
				attachments: Object.values(files),
			});
		};
		const { p99, max } = await p99During(async () => {
			const dispatched = await Promise.all(Array.from({ length: 20 }, (_, i) => dispatch(i)));
			// Each job ends with its refusal as a private follow-up.
			await Promise.all(
				dispatched.map(({ token }) => discord.waitForRequest((r) => r.route === 'POST /webhooks/:app/:token' && r.path.includes(token), 20_000)),
			);
			const delays = dispatched.map(({ id }) => {
				const state = discord.interaction(id)!;
				return state.acknowledgedAt === undefined ? Infinity : state.acknowledgedAt - state.dispatchedAt;
			});
			await annotate(`slowest acknowledgement of 20: ${Math.max(...delays)} ms`);
			for (const delay of delays) expect(delay).toBeLessThan(3_000);
		});
		// The fake Discord and fal share this event loop, so this is reported, not held to 20 ms.
		await annotate(`event loop (bot + fakes) during the burst: p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
		expect(world.fal.uploads).toHaveLength(0);
		const texts = world.discord.requests
			.filter((r) => r.route === 'POST /webhooks/:app/:token')
			.map((r) => (r.body as { content?: string } | undefined)?.content ?? '');
		expect(texts.filter((t) => /16000×16000 pixels/.test(t))).toHaveLength(10);
		expect(texts.filter((t) => /looks like a zip bomb/.test(t))).toHaveLength(10);
	});
});
