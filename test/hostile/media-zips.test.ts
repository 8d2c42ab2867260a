/**
 * Depth-map zips built to exhaust memory or time: each cap is checked while inflating, so every
 * one of them is refused fast and with the refusal that names what is wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_LIMITS } from '../../src/domain/media.js';
import { Refused, type Refusal } from '../../src/domain/refusal.js';
import { checkDepthMaps } from '../../src/media/depth-maps.js';
import { createMedia, type MediaAdapter } from '../../src/media/media.js';
import { readFixture } from '../support/fixtures.js';
import { hostileServer, lowEntropy, serve, zipOf, type HostileServer } from '../support/hostile.js';

const MB = 1024 * 1024;
const PNG = readFixture('source-1024x576.png');

/** The refusal and how long the check took. */
function check(zip: Uint8Array): { refusal: Refusal | undefined; ms: number } {
	const started = performance.now();
	try {
		checkDepthMaps(zip, 'depth.zip');
		return { refusal: undefined, ms: performance.now() - started };
	} catch (error) {
		if (!(error instanceof Refused)) throw error;
		return { refusal: error.refusal, ms: performance.now() - started };
	}
}

/** An entry that looks like a PNG (so it would be kept) followed by `size` bytes of filler. */
const pngLike = (filler: Uint8Array): Uint8Array => Buffer.concat([PNG.subarray(0, 8), filler]);

describe('depth-map zip caps', () => {
	it('refuses a zip bomb (256 MB of zeros in 256 KB) as a bomb after inflating a few MB', () => {
		// 4 entries sharing one 64 MB buffer, so the test does not hold 256 MB itself.
		const zeros = new Uint8Array(64 * MB);
		const bomb = zipOf(Array.from({ length: 4 }, (_, i) => ({ name: `depth_${i}.png`, data: zeros })));
		expect(bomb.length).toBeLessThan(MB);
		const { refusal, ms } = check(bomb);
		expect(refusal).toEqual({ kind: 'zip-bomb', file: 'depth.zip', entry: 'depth_0.png', ratio: MEDIA_LIMITS.zipRatio });
		expect(ms).toBeLessThan(500);
	});

	it('refuses a zip with more entries than frames could need, while reading the entries', () => {
		const frame = pngLike(new Uint8Array(1));
		const { refusal, ms } = check(
			zipOf(Array.from({ length: 10 * MEDIA_LIMITS.zipEntries }, (_, i) => ({ name: `f${i}.png`, data: frame, level: 0 }))),
		);
		expect(refusal).toEqual({ kind: 'zip-too-many-files', file: 'depth.zip', max: MEDIA_LIMITS.zipEntries });
		expect(ms).toBeLessThan(500);
	});

	it('refuses one entry over the per-entry cap even though its ratio is no bomb', () => {
		const big = pngLike(lowEntropy(MEDIA_LIMITS.zipEntryBytes + MB));
		const zip = zipOf([{ name: 'depth_000.png', data: big, level: 1 }]);
		// Compresses about 3:1: nowhere near the bomb ratio.
		expect(zip.length * MEDIA_LIMITS.zipRatio).toBeGreaterThan(big.length);
		const { refusal, ms } = check(zip);
		expect(refusal).toEqual({ kind: 'zip-too-big', file: 'depth.zip', max: MEDIA_LIMITS.zipEntryBytes });
		expect(ms).toBeLessThan(1_000);
	});

	it('refuses entries that are each fine but together over the total cap', () => {
		const entry = pngLike(lowEntropy(MEDIA_LIMITS.zipEntryBytes - MB));
		const count = Math.ceil(MEDIA_LIMITS.zipUncompressedBytes / entry.length) + 1;
		// The same bytes under several names: one buffer, so the test stays small too.
		const { refusal, ms } = check(zipOf(Array.from({ length: count }, (_, i) => ({ name: `depth_${i}.png`, data: entry, level: 0 }))));
		expect(refusal).toEqual({ kind: 'zip-too-big', file: 'depth.zip', max: MEDIA_LIMITS.zipUncompressedBytes });
		expect(ms).toBeLessThan(1_000);
	});

	it('keeps a zip just under every cap, in frame order', () => {
		const frames = [10, 2, 1].map((i) => ({ name: `frames/depth_${i}.png`, data: pngLike(new Uint8Array(1024)) }));
		const checked = checkDepthMaps(zipOf([...frames, { name: 'README.txt', data: new TextEncoder().encode('not a frame') }]), 'depth.zip');
		expect(checked.frames).toBe(3);
		const names = [
			...Buffer.from(checked.bytes)
				.toString('latin1')
				.matchAll(/depth_\d+\.png/g),
		].map((m) => m[0]);
		expect(names.slice(0, 3)).toEqual(['depth_1.png', 'depth_2.png', 'depth_10.png']);
	});
});

describe('depth-map zips through the worker pool', () => {
	let server: HostileServer;
	let media: MediaAdapter;
	beforeAll(async () => {
		server = await hostileServer({
			'/bomb.zip': serve(zipOf([{ name: 'depth_000.png', data: new Uint8Array(64 * MB) }])),
			'/depth.zip': serve(readFixture('depth-maps-25.zip')),
		});
		media = createMedia({ allowedOrigins: [server.origin] });
	}, 60_000);
	afterAll(async () => {
		await media?.close();
		await server?.close();
	});

	it('brings a refusal back across the thread boundary as the same Refused', async () => {
		const error = await media
			.loadDepthMaps({ url: `${server.origin}/bomb.zip`, name: 'bomb.zip' }, new AbortController().signal)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(Refused);
		expect((error as Refused).refusal).toEqual({ kind: 'zip-bomb', file: 'bomb.zip', entry: 'depth_000.png', ratio: MEDIA_LIMITS.zipRatio });
	});

	it('brings the repacked zip back as a Buffer', async () => {
		const checked = await media.loadDepthMaps({ url: `${server.origin}/depth.zip`, name: 'depth.zip' }, new AbortController().signal);
		expect(checked.frames).toBe(25);
		expect(Buffer.isBuffer(checked.bytes)).toBe(true);
		expect(checked.bytes.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
	});
});
