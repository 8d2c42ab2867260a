/**
 * Images that cost far more to decode than to send: a small PNG declaring a huge image, and a GIF
 * with thousands of frames. They go through createMedia() (download, worker thread, checks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Refusal } from '../../src/domain/refusal.js';
import { Refused } from '../../src/domain/refusal.js';
import { createMedia, type MediaAdapter } from '../../src/media/media.js';
import { sniff } from '../../src/media/sniff.js';
import { readFixture } from '../support/fixtures.js';
import { hostileServer, longGif, pngBomb, rssPeak, serve, type HostileServer } from '../support/hostile.js';

const MB = 1024 * 1024;
/** Per-job budget from the issue; the bomb must stay well under it. */
const MEMORY_BUDGET = 150 * MB;

let server: HostileServer;
let media: MediaAdapter;
let bomb: Buffer;
const signal = new AbortController().signal;

const refusalOf = (promise: Promise<unknown>): Promise<Refusal | 'accepted' | Error> =>
	promise.then(
		() => 'accepted',
		(error: unknown) => (error instanceof Refused ? error.refusal : (error as Error)),
	);

beforeAll(async () => {
	bomb = await pngBomb(16_000, 16_000);
	server = await hostileServer({
		'/bomb.png': serve(bomb),
		'/largest.png': serve(await pngBomb(4096, 4096)),
		'/wide.png': serve(await pngBomb(4097, 64)),
		'/long.gif': serve(await longGif(10_000)),
		'/warm.png': serve(readFixture('source-1024x576.png')),
		'/cut.png': serve(readFixture('truncated.png')),
	});
	media = createMedia({ allowedOrigins: [server.origin] });
	// The worker thread (and libvips in it) is started before anything is measured.
	await media.loadImage({ url: `${server.origin}/warm.png`, name: 'warm.png' }, signal);
}, 60_000);
afterAll(async () => {
	await media?.close();
	await server?.close();
});

describe('a pixel bomb', () => {
	it('is a small file that declares 16000×16000', () => {
		expect(bomb.length).toBeLessThan(MB);
		expect(sniff(bomb)).toBe('png');
	});

	it('is refused as too large from its header, without the memory a decode would take', async ({ annotate }) => {
		const peak = rssPeak();
		const started = performance.now();
		const refusal = await refusalOf(media.loadImage({ url: `${server.origin}/bomb.png`, name: 'bomb.png' }, signal));
		const ms = performance.now() - started;
		const growth = peak.stop();
		await annotate(`pixel bomb: refused in ${ms.toFixed(0)} ms, RSS growth ${(growth / MB).toFixed(1)} MB`);
		expect(refusal).toEqual({ kind: 'image-too-large', file: 'bomb.png', width: 16_000, height: 16_000, max: 4096 });
		// Decoding it would take 256 MB for the pixels alone (789 MB measured before the header check).
		expect(growth).toBeLessThan(MEMORY_BUDGET / 3);
		expect(ms).toBeLessThan(2_000);
	});

	it('is refused even one pixel over the limit on a side', async () => {
		expect(await refusalOf(media.loadImage({ url: `${server.origin}/wide.png`, name: 'wide.png' }, signal))).toMatchObject({
			kind: 'image-too-large',
			width: 4097,
			height: 64,
		});
	});

	it('does not stop the largest accepted image (4096×4096) from being decoded, within the budget', async ({ annotate }) => {
		const peak = rssPeak();
		const image = await media.loadImage({ url: `${server.origin}/largest.png`, name: 'largest.png' }, signal);
		const growth = peak.stop();
		await annotate(`4096×4096 PNG: accepted, RSS growth ${(growth / MB).toFixed(1)} MB`);
		expect(image).toMatchObject({ width: 4096, height: 4096, firstFrameOnly: false });
		expect(growth).toBeLessThan(MEMORY_BUDGET);
	});

	it('still finds a PNG that was cut short, once the size is fine', async () => {
		expect(await refusalOf(media.loadImage({ url: `${server.origin}/cut.png`, name: 'cut.png' }, signal))).toMatchObject({
			kind: 'image-damaged',
		});
	});
});

describe('a GIF with 10 000 frames', () => {
	it('is accepted from its first frame alone, without decoding the others', async ({ annotate }) => {
		const started = performance.now();
		const image = await media.loadImage({ url: `${server.origin}/long.gif`, name: 'long.gif' }, signal);
		const ms = performance.now() - started;
		await annotate(`10 000-frame GIF: first frame in ${ms.toFixed(0)} ms`);
		expect(image).toMatchObject({ width: 64, height: 64, firstFrameOnly: true, contentType: 'image/png', fileName: 'long.png' });
		expect(sniff(image.bytes)).toBe('png');
		// Decoding every frame takes about 2 s here; the first frame, a few milliseconds.
		expect(ms).toBeLessThan(750);
	});
});
