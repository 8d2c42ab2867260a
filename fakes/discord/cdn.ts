/**
 * The fake's CDN and media proxy, on the fake's own host:
 *
 *   /attachments/{channel}/{id}/{filename}?ex&is&hm            like cdn.discordapp.com (signed, expiring)
 *   /ephemeral-attachments/{app}/{id}/{filename}?ex&is&hm      ephemeral responses' files
 *   /media/attachments/…                                       an attachment's proxy_url, like media.discordapp.net
 *   /external/{key}/{scheme}/{host}/{path}                     an embed image's proxy_url for an external url,
 *                                                              like images-ext-1.discordapp.net/external/…
 *
 * Any of them can be slowed down ("drip": N bytes per second, or stall after K bytes) and every request is recorded.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { detectContentType, imageDimensions } from './media.js';
import type { RecordedRequest, StoredAttachment } from './types.js';

/** How the fake serves one attachment's (or external image's) bytes. */
export interface DripRule {
	/** Send the body at this many bytes per second (in ~50 ms slices). */
	bytesPerSecond?: number;
	/** Send this many bytes, then keep the connection open without sending more (a stalled download). */
	stallAfterBytes?: number;
	/** Wait this long before the status line and headers. */
	headersDelayMs?: number;
}

export interface ExternalMedia {
	bytes: Buffer;
	contentType: string;
	width?: number;
	height?: number;
}

const TICK_MS = 50;

export class FakeCdn {
	readonly attachments = new Map<string, StoredAttachment>();
	/** Bytes the media proxy serves for an external url (instead of fetching it). */
	readonly external = new Map<string, ExternalMedia>();
	private readonly externalByKey = new Map<string, string>();
	private readonly drips = new Map<string, DripRule>();
	private readonly secret = randomBytes(32);
	private readonly timers = new Set<NodeJS.Timeout>();

	constructor(private readonly baseUrl: () => string) {}

	signature(pathname: string, ex: string, is: string): string {
		return createHmac('sha256', this.secret).update(`${pathname}|${ex}|${is}`).digest('hex');
	}

	/** Signed like cdn.discordapp.com: ex = expiry (hex unix seconds, 24 h), is = issued, hm = HMAC. */
	signedUrl(urlPath: string, signedPath: string = urlPath): string {
		const now = Math.floor(Date.now() / 1000);
		const ex = (now + 86_400).toString(16);
		const is = now.toString(16);
		return `${this.baseUrl()}${urlPath}?ex=${ex}&is=${is}&hm=${this.signature(signedPath, ex, is)}&`;
	}

	/**
	 * The media-proxy url for an external url: `/external/{key}/{scheme}/{host}{path}` on the fake's host.
	 * An attachment url of the fake's own CDN maps to its `/media/…` proxy url instead, as Discord's does.
	 */
	proxyUrl(url: string): string {
		let parsed: URL;
		try {
			parsed = new URL(url);
		} catch {
			return url;
		}
		const base = this.baseUrl();
		if (parsed.origin === base && /^\/(ephemeral-)?attachments\//.test(parsed.pathname)) return `${base}/media${parsed.pathname}${parsed.search}`;
		const key = createHmac('sha256', this.secret).update(url).digest('base64url').slice(0, 43);
		this.externalByKey.set(key, url);
		return `${base}/external/${key}/${parsed.protocol.replace(':', '')}/${parsed.host}${parsed.pathname}${parsed.search}`;
	}

	/** Registers the bytes the media proxy serves for `url`. */
	addExternal(url: string, bytes: Buffer, contentType?: string): ExternalMedia {
		const dims = imageDimensions(bytes);
		const media: ExternalMedia = {
			bytes,
			contentType: contentType ?? detectContentType(bytes, new URL(url).pathname) ?? 'application/octet-stream',
			...(dims ?? {}),
		};
		this.external.set(url, media);
		this.proxyUrl(url);
		return media;
	}

	/**
	 * The key requests are counted and dripped by: an attachment id, or an external url. Accepts an id, an
	 * attachment-like object, one of the fake's CDN / proxy urls, or an external url.
	 */
	keyOf(target: string | { id: string } | { url: string }): string {
		if (typeof target !== 'string') return 'id' in target ? target.id : this.keyOf(target.url);
		if (!/^https?:\/\//.test(target)) return target;
		const parsed = new URL(target);
		if (parsed.origin === this.baseUrl()) {
			const ext = /^\/external\/([^/]+)\//.exec(parsed.pathname);
			if (ext) return this.externalByKey.get(ext[1] ?? '') ?? target;
			const id = /^(?:\/media)?\/(?:ephemeral-)?attachments\/[^/]+\/(\d+)\//.exec(parsed.pathname)?.[1];
			if (id) return id;
		}
		return target;
	}

	setDrip(target: string | { id: string } | { url: string }, rule: DripRule | undefined): void {
		const key = this.keyOf(target);
		if (rule) this.drips.set(key, rule);
		else this.drips.delete(key);
	}

	handles(method: string, pathname: string): boolean {
		return (method === 'GET' || method === 'HEAD') && /^\/((media\/)?(ephemeral-)?attachments|external)\//.test(pathname);
	}

	/** Serves a CDN / media-proxy request; `done` records it once the status is known (before a drip starts). */
	async serve(req: IncomingMessage, res: ServerResponse, url: URL, record: RecordedRequest, done: () => void): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const notFound = () => {
			record.status = 404;
			record.responseHeaders = { 'content-type': 'text/plain; charset=utf-8' };
			res.writeHead(404, record.responseHeaders);
			res.end(method === 'HEAD' ? undefined : 'This content is no longer available.');
			done();
		};
		let media: { bytes: Buffer; contentType: string } | undefined;
		if (url.pathname.startsWith('/external/')) {
			record.route = `${method} /external/:key/:scheme/:host/:path`;
			const key = url.pathname.split('/')[2] ?? '';
			const external = this.externalByKey.get(key);
			record.mediaKey = external;
			if (!external) return notFound();
			media = this.external.get(external) ?? (await this.fetchUpstream(external));
			if (!media) return notFound();
		} else {
			record.route = `${method} /${url.pathname.startsWith('/media/') ? 'media/' : ''}${url.pathname.includes('ephemeral-') ? 'ephemeral-attachments/:app' : 'attachments/:channel'}/:id/:filename`;
			const signedPath = url.pathname.replace(/^\/media/, '');
			const id = signedPath.split('/')[3] ?? '';
			record.mediaKey = id;
			const stored = this.attachments.get(id);
			const ex = url.searchParams.get('ex') ?? '';
			const is = url.searchParams.get('is') ?? '';
			const hm = url.searchParams.get('hm') ?? '';
			const valid = stored && stored.pathname === signedPath && hm === this.signature(signedPath, ex, is) && parseInt(ex, 16) * 1000 > Date.now();
			if (!valid) return notFound();
			media = stored;
		}
		const drip = record.mediaKey !== undefined ? this.drips.get(record.mediaKey) : undefined;
		if (drip?.headersDelayMs) await this.sleep(drip.headersDelayMs);
		if (res.destroyed) return;
		const { bytes } = media;
		record.status = 200;
		record.responseHeaders = {
			'content-type': media.contentType,
			'content-length': String(bytes.length),
			'cache-control': 'public, max-age=31536000',
			'accept-ranges': 'bytes',
		};
		res.writeHead(200, record.responseHeaders);
		done();
		if (method === 'HEAD') {
			res.end();
			return;
		}
		if (!drip || (drip.bytesPerSecond === undefined && drip.stallAfterBytes === undefined)) {
			res.end(bytes);
			return;
		}
		const stopAt = Math.min(bytes.length, drip.stallAfterBytes ?? bytes.length);
		const slice = drip.bytesPerSecond === undefined ? stopAt : Math.max(1, Math.floor((drip.bytesPerSecond * TICK_MS) / 1000));
		let sent = 0;
		const step = () => {
			if (res.destroyed) return stop();
			const end = Math.min(stopAt, sent + slice);
			if (end > sent) res.write(bytes.subarray(sent, end));
			sent = end;
			if (sent >= bytes.length) {
				stop();
				res.end();
			} else if (sent >= stopAt) {
				stop(); // stalled: the connection stays open until the client gives up or the fake closes
			}
		};
		const timer = setInterval(step, TICK_MS);
		this.timers.add(timer);
		const stop = () => {
			clearInterval(timer);
			this.timers.delete(timer);
		};
		res.on('close', stop);
		step();
	}

	/** Like Discord's proxy for an url nobody registered: fetch it (works for loopback servers in tests). */
	private async fetchUpstream(url: string): Promise<ExternalMedia | undefined> {
		try {
			const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
			if (!response.ok) return undefined;
			const bytes = Buffer.from(await response.arrayBuffer());
			return {
				bytes,
				contentType: response.headers.get('content-type') ?? detectContentType(bytes, new URL(url).pathname) ?? 'application/octet-stream',
			};
		} catch {
			return undefined;
		}
	}

	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}

	close(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}
}
