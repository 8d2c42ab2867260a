import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_LIMITS as LIMITS } from '../../src/domain/media.js';
import { Refused } from '../../src/domain/refusal.js';
import { checkDepthMaps } from '../../src/media/depth-maps.js';
import { downloadLimited } from '../../src/media/download.js';
import { checkImage } from '../../src/media/image.js';
import { sniff } from '../../src/media/sniff.js';
import { readFixture } from '../support/fixtures.js';
import { worded, wordedAsync } from '../support/worded.js';

describe('sniff', () => {
	it.each([
		['source-1024x576.png', 'png'],
		['square-768.jpg', 'jpeg'],
		['small-640x360.webp', 'webp'],
		['animated-320x180.gif', 'gif'],
		['depth-maps-25.zip', 'zip'],
		['svd-output-25f-1024x576.mp4', 'mp4'],
		['not-an-image.png', 'text'],
	])('%s is %s by its bytes', (name, type) => {
		expect(sniff(readFixture(name))).toBe(type);
	});
});

describe('checkImage', () => {
	it.each([
		['source-1024x576.png', 1024, 576, 'image/png'],
		['square-768.jpg', 768, 768, 'image/jpeg'],
		['small-640x360.webp', 640, 360, 'image/webp'],
	])('accepts %s as %ix%i', async (name, width, height, type) => {
		const image = await checkImage(readFixture(name), name);
		expect(image).toMatchObject({ width, height, contentType: type, firstFrameOnly: false });
	});

	it('uses the first frame of an animated GIF, as a PNG', async () => {
		const image = await checkImage(readFixture('animated-320x180.gif'), 'cat.gif');
		expect(image).toMatchObject({ width: 320, height: 180, firstFrameOnly: true, contentType: 'image/png', fileName: 'cat.png' });
		expect(sniff(image.bytes)).toBe('png');
	});

	it('refuses a text file named .png, saying what it is', async () => {
		await expect(wordedAsync(checkImage(readFixture('not-an-image.png'), 'photo.png'))).rejects.toThrow(/`photo.png` is a text file, not an image/);
	});

	it('refuses a truncated PNG as damaged', async () => {
		await expect(wordedAsync(checkImage(readFixture('truncated.png'), 'cut.png'))).rejects.toThrow(/damaged or cut short/);
	});

	it('refuses images too small to animate', async () => {
		const sharp = (await import('sharp')).default;
		const tiny = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#888' } })
			.png()
			.toBuffer();
		await expect(wordedAsync(checkImage(tiny, 'tiny.png'))).rejects.toThrow(/32×32 pixels; images need at least 64/);
	});
});

describe('checkDepthMaps', () => {
	it('keeps the 25 depth images and drops the README', () => {
		const checked = checkDepthMaps(readFixture('depth-maps-25.zip'), 'depth.zip');
		expect(checked.frames).toBe(25);
		expect(sniff(checked.bytes)).toBe('zip');
	});

	it('refuses a zip bomb without inflating it', () => {
		const bomb = Buffer.from(zipSync({ 'depth_000.png': [new Uint8Array(64 * 1024 * 1024), { level: 9 }] }));
		expect(bomb.length).toBeLessThan(1024 * 1024);
		expect(worded(() => checkDepthMaps(bomb, 'bomb.zip'))).toThrow(/zip bomb/);
	});

	it('refuses a zip without images', () => {
		const zip = Buffer.from(zipSync({ 'README.txt': new TextEncoder().encode('no pictures here') }));
		expect(worded(() => checkDepthMaps(zip, 'empty.zip'))).toThrow(/has no images in it/);
	});

	it('refuses a zip with too many entries', () => {
		const files = Object.fromEntries(Array.from({ length: LIMITS.zipEntries + 1 }, (_, i) => [`f${i}.txt`, new Uint8Array([65])]));
		expect(worded(() => checkDepthMaps(Buffer.from(zipSync(files)), 'many.zip'))).toThrow(/more than 300 files/);
	});

	it('refuses something that is not a zip', () => {
		expect(worded(() => checkDepthMaps(readFixture('source-1024x576.png'), 'depth.zip'))).toThrow(/is a PNG image, not a zip/);
	});
});

describe('downloadLimited', () => {
	let server: Server;
	let base: string;
	beforeAll(async () => {
		server = createServer((req, res) => {
			if (req.url === '/declared') {
				res.writeHead(200, { 'content-length': String(5000) });
				res.end(Buffer.alloc(5000));
			} else {
				// No content-length: the limit must hold while streaming.
				res.writeHead(200, { 'transfer-encoding': 'chunked' });
				for (let i = 0; i < 10; i += 1) res.write(Buffer.alloc(1000, i));
				res.end();
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	const download = (path: string, maxBytes: number, label = 'f') => ({
		url: `${base}${path}`,
		label,
		maxBytes,
		allowed: new Set([base]),
		timeouts: { headersMs: 5_000, idleMs: 5_000, totalMs: 10_000 },
		signal: new AbortController().signal,
	});

	it('reads a file within the limit, into a buffer of its own (transferable to a worker)', async () => {
		const bytes = await downloadLimited(download('/chunked', 20_000));
		expect(bytes.length).toBe(10_000);
		expect(bytes[9_999]).toBe(9);
		expect(bytes.byteOffset).toBe(0);
	});

	it('refuses by content-length and while streaming', async () => {
		await expect(downloadLimited(download('/declared', 4000, 'big.png'))).rejects.toBeInstanceOf(Refused);
		await expect(wordedAsync(downloadLimited(download('/chunked', 4000, 'big.png')))).rejects.toThrow(/the limit is 3.9 KB|the limit is 4 KB/);
	});
});
