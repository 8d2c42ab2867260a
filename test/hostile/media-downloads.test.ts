/**
 * Downloads from servers that stall, drip, redirect elsewhere or lie about sizes, and URLs that
 * are not Discord's: each ends with the right refusal, on time, and no request leaves for a host
 * outside the allowed set.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_LIMITS } from '../../src/domain/media.js';
import { Refused } from '../../src/domain/refusal.js';
import { createMedia, type MediaAdapter } from '../../src/media/media.js';
import { FakeDiscord } from '../../fakes/discord/index.js';
import { readFixture } from '../support/fixtures.js';
import { hostileServer, serve, type Handler, type HostileServer } from '../support/hostile.js';

const TIMEOUTS = { headersMs: 300, idleMs: 300, inputTotalMs: 1_000, videoTotalMs: 1_000 };
const PNG = readFixture('source-1024x576.png');
const never = new AbortController().signal;

/** Sends `bytes` every `everyMs` until the client goes away, having declared `declared` bytes. */
const drip =
	(bytes: number, everyMs: number, declared = 1024 * 1024): Handler =>
	(_req, res) => {
		res.writeHead(200, { 'content-length': String(declared) });
		const timer = setInterval(() => res.write(Buffer.alloc(bytes, 0x41)), everyMs);
		res.on('close', () => clearInterval(timer));
	};

const redirect =
	(location: () => string): Handler =>
	(_req, res) =>
		res.writeHead(302, { location: location() }).end();

let discordHost: HostileServer; // stands in for Discord's CDN: on the allowed list
let elsewhere: HostileServer; // another host, on another address: never on the list
let media: MediaAdapter;
/** Resolves when the stalled route has sent its first bytes. */
let firstBytesSent: () => Promise<void>;

beforeAll(async () => {
	elsewhere = await hostileServer({ '/cat.png': serve(PNG), '/video.mp4': serve(Buffer.alloc(2048, 1)) }, '127.0.0.2');
	let sent: () => void = () => undefined;
	firstBytesSent = () => new Promise<void>((resolve) => (sent = resolve));
	discordHost = await hostileServer({
		'/ok.png': serve(PNG),
		'/stall.png': (_req, res) => {
			res.writeHead(200, { 'content-length': String(PNG.length) });
			res.write(PNG.subarray(0, 1024), () => sent());
		},
		'/no-headers.png': () => undefined,
		'/drip.png': drip(100, 100),
		'/gone.png': (_req, res) => res.writeHead(404).end('This content is no longer available.'),
		'/broken.png': (_req, res) => res.writeHead(500).end(),
		'/hop.png': redirect(() => `${discordHost.origin}/ok.png`),
		'/away.png': redirect(() => `${elsewhere.origin}/cat.png`),
		'/loop.png': redirect(() => `${discordHost.origin}/loop.png`),
		'/declared-big.png': (_req, res) => res.writeHead(200, { 'content-length': String(MEDIA_LIMITS.imageBytes + 1) }).end(),
		'/streamed-big.png': (_req, res) => {
			res.writeHead(200, { 'transfer-encoding': 'chunked' });
			const chunk = Buffer.alloc(1024 * 1024, 0x41);
			let left = 21;
			const more = () => {
				while (left > 0 && !res.destroyed) {
					left -= 1;
					if (!res.write(chunk)) return void res.once('drain', more);
				}
				res.end();
			};
			more();
		},
	});
	media = createMedia({ allowedOrigins: [discordHost.origin], timeouts: TIMEOUTS, threads: 1 });
});
afterAll(async () => {
	await media?.close();
	await discordHost?.close();
	await elsewhere?.close();
});

const load = (path: string, signal = never) => media.loadImage({ url: `${discordHost.origin}${path}`, name: path.slice(1) }, signal);

/** The refusal's kind (or the error) and how long it took to arrive. */
async function outcome(promise: Promise<unknown>): Promise<{ kind: string; ms: number; error: unknown }> {
	const started = performance.now();
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	const kind = error === undefined ? 'accepted' : error instanceof Refused ? error.refusal.kind : 'error';
	return { kind, ms: performance.now() - started, error };
}

/** True when `elsewhere` received nothing before a request of our own: none was sent or on its way. */
async function elsewhereUntouched(): Promise<boolean> {
	const before = elsewhere.requests.length;
	await fetch(`${elsewhere.origin}/probe`);
	return before === 0 && elsewhere.requests.length === 1 && elsewhere.requests[0] === '/probe';
}

describe('timeouts', () => {
	it('gives up on a download that stalls mid-body after the idle timeout', async () => {
		const { kind, ms } = await outcome(load('/stall.png'));
		expect(kind).toBe('source-unavailable');
		expect(ms).toBeGreaterThanOrEqual(TIMEOUTS.idleMs - 20);
		expect(ms).toBeLessThan(TIMEOUTS.inputTotalMs);
	});

	it('gives up when the headers never come', async () => {
		const { kind, ms } = await outcome(load('/no-headers.png'));
		expect(kind).toBe('source-unavailable');
		expect(ms).toBeLessThan(TIMEOUTS.inputTotalMs);
	});

	it('gives up on a slow drip that never goes idle once the total timeout is up', async () => {
		const { kind, ms } = await outcome(load('/drip.png'));
		expect(kind).toBe('source-unavailable');
		expect(ms).toBeGreaterThanOrEqual(TIMEOUTS.inputTotalMs - 20);
		expect(ms).toBeLessThan(TIMEOUTS.inputTotalMs + 1_000);
	});

	it('turns HTTP errors from Discord into source-unavailable, never a generic error', async () => {
		expect((await outcome(load('/gone.png'))).kind).toBe('source-unavailable');
		expect((await outcome(load('/broken.png'))).kind).toBe('source-unavailable');
	});
});

describe('cancel', () => {
	it('stops a download mid-body at once, rejecting with the signal’s reason', async () => {
		const controller = new AbortController();
		const reason = new Error('cancelled by the member');
		const closedBefore = discordHost.closedResponses();
		const started = firstBytesSent();
		const loading = outcome(load('/stall.png', controller.signal));
		await started;
		controller.abort(reason);
		const { error, ms } = await loading;
		expect(error).toBe(reason);
		expect(ms).toBeLessThan(TIMEOUTS.idleMs);
		await expect.poll(() => discordHost.closedResponses()).toBeGreaterThan(closedBefore);
	});

	it('does not start a download for a job already cancelled', async () => {
		const count = discordHost.requests.length;
		const reason = new Error('shutting down');
		const { error } = await outcome(load('/ok.png', AbortSignal.abort(reason)));
		expect(error).toBe(reason);
		expect(discordHost.requests.length).toBe(count);
	});
});

describe('allowed origins', () => {
	let discordOnly: MediaAdapter;
	beforeAll(() => {
		discordOnly = createMedia();
	});
	afterAll(() => discordOnly?.close());

	it('downloads from an allowed origin, following a redirect that stays on it', async () => {
		expect((await load('/ok.png')).width).toBe(1024);
		expect((await load('/hop.png')).width).toBe(1024);
	});

	it('refuses a URL on another origin without making a single request', async () => {
		const { kind } = await outcome(media.loadImage({ url: `${elsewhere.origin}/cat.png`, name: 'cat.png' }, never));
		expect(kind).toBe('source-not-allowed');
		expect(await elsewhereUntouched()).toBe(true);
	});

	it.each([
		'https://evil.example/cat.png',
		'https://cdn.discordapp.com.evil.example/cat.png',
		'https://cdn.discordapp.com@evil.example/cat.png',
		'http://cdn.discordapp.com/attachments/1/2/cat.png',
		'data:image/png;base64,iVBORw0KGgo=',
		'file:///etc/passwd',
		'not a url',
	])('refuses %s as not on Discord', async (url) => {
		expect((await outcome(discordOnly.loadImage({ url, name: 'cat.png' }, never))).kind).toBe('source-not-allowed');
	});

	it('refuses a redirect from an allowed origin to another one, without following it', async () => {
		expect((await outcome(load('/away.png'))).kind).toBe('source-not-allowed');
		expect(discordHost.requests).toContain('/away.png');
	});

	it('gives up on a redirect loop after a few hops', async () => {
		const before = discordHost.requests.filter((path) => path === '/loop.png').length;
		expect((await outcome(load('/loop.png'))).kind).toBe('source-unavailable');
		expect(discordHost.requests.filter((path) => path === '/loop.png').length - before).toBe(4);
	});

	it("allows the video's own origin (fal's storage) for the result, and nothing it redirects to", async () => {
		const dir = await mkdtemp(join(tmpdir(), 'media-downloads-'));
		const video = `${elsewhere.origin}/video.mp4`;
		expect(await media.downloadToFile(video, 10_000, 'the video', join(dir, 'a.mp4'), never)).toBe(2048);
		const bounced = `${discordHost.origin}/away.png`;
		const other = createMedia({ allowedOrigins: [], timeouts: TIMEOUTS });
		expect((await outcome(other.downloadToFile(bounced, 10_000, 'the video', join(dir, 'b.mp4'), never))).kind).toBe('source-not-allowed');
		expect(existsSync(join(dir, 'b.mp4'))).toBe(false);
		await other.close();
	});
});

describe('sizes', () => {
	it('refuses by the declared length before reading the body', async () => {
		const { error } = await outcome(load('/declared-big.png'));
		expect((error as Refused).refusal).toMatchObject({ kind: 'file-too-large', size: MEDIA_LIMITS.imageBytes + 1, limit: MEDIA_LIMITS.imageBytes });
	});

	it('refuses while streaming when no length is declared', async () => {
		const { error } = await outcome(load('/streamed-big.png'));
		expect((error as Refused).refusal).toMatchObject({ kind: 'file-too-large', limit: MEDIA_LIMITS.imageBytes });
		expect((error as Refused & { refusal: { size: number } }).refusal.size).toBeGreaterThan(MEDIA_LIMITS.imageBytes);
	});

	it('refuses a video past the limit and leaves no partial file', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'media-downloads-'));
		const path = join(dir, 'big.mp4');
		expect((await outcome(media.downloadToFile(`${discordHost.origin}/streamed-big.png`, 1024 * 1024, 'the video', path, never))).kind).toBe(
			'file-too-large',
		);
		expect(existsSync(path)).toBe(false);
	});
});

describe('against the fake Discord', () => {
	let discord: FakeDiscord;
	let fromDiscord: MediaAdapter;
	beforeAll(async () => {
		discord = await FakeDiscord.start();
		fromDiscord = createMedia({ discordApiUrl: discord.apiUrl, timeouts: TIMEOUTS, threads: 1 });
	});
	afterAll(async () => {
		await fromDiscord?.close();
		await discord?.close();
	});

	it("downloads an attachment from the CDN and an embed through the media proxy, on DISCORD_API_URL's origin", async () => {
		const attachment = discord.addAttachment('source-1024x576.png');
		expect((await fromDiscord.loadImage({ url: attachment.url, name: 'a.png' }, never)).width).toBe(1024);
		const embed = discord.addExternalMedia('https://example.com/cat.png', 'square-768.jpg');
		expect((await fromDiscord.loadImage({ url: embed.proxy_url, name: 'cat.png' }, never)).width).toBe(768);
		expect((await outcome(fromDiscord.loadImage({ url: embed.url, name: 'cat.png' }, never))).kind).toBe('source-not-allowed');
	});

	it('gives up on an attachment the CDN stalls on, after one request', async () => {
		const attachment = discord.addAttachment('source-1024x576.png');
		discord.throttleMedia(attachment, { stallAfterBytes: 1024 });
		expect((await outcome(fromDiscord.loadImage({ url: attachment.url, name: 'a.png' }, never))).kind).toBe('source-unavailable');
		expect(discord.mediaRequests(attachment)).toHaveLength(1);
	});
});
