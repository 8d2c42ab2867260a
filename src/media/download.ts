import { open } from 'node:fs/promises';
import { rm } from 'node:fs/promises';
import { Refused } from '../domain/refusal.js';

/** How long a download may take; each one gives up with `source-unavailable` when one runs out. */
export interface DownloadTimeouts {
	/** From the request until the status line and headers (per redirect hop, within the total). */
	readonly headersMs: number;
	/** Between two chunks of the body: a stalled connection is given up on. */
	readonly idleMs: number;
	/** The whole download, redirects and body included. */
	readonly totalMs: number;
}

export interface Download {
	readonly url: string;
	/** Names the file in refusals. */
	readonly label: string;
	readonly maxBytes: number;
	/** Origins (`https://host[:port]`) the download and every redirect hop must stay on. */
	readonly allowed: ReadonlySet<string>;
	readonly timeouts: DownloadTimeouts;
	/** The job's signal: on abort the download stops and rejects with its reason. */
	readonly signal: AbortSignal;
}

/** A few hops cover Discord's own redirects; more is a loop or someone steering us around. */
const MAX_REDIRECTS = 3;
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

const tooLarge = (file: string, size: number, limit: number) => new Refused({ kind: 'file-too-large', file, size, limit });
const unavailable = (file: string) => new Refused({ kind: 'source-unavailable', file });

/** The URL if it is on an allowed origin; otherwise the refusal, before any request is made. */
function allowedUrl(raw: string, base: string | undefined, download: Download): URL {
	let url: URL;
	try {
		url = new URL(raw, base);
	} catch {
		throw new Refused({ kind: 'source-not-allowed', file: download.label });
	}
	// `origin` is "null" for data:, file: and the like, so only listed http(s) origins pass.
	if (!download.allowed.has(url.origin)) throw new Refused({ kind: 'source-not-allowed', file: download.label });
	return url;
}

/**
 * Fetches `download.url` (following redirects only within the allowed origins) and hands the body
 * to `consume` chunk by chunk, enforcing the size limit and every timeout. Timeouts, refused
 * connections, HTTP errors and broken bodies all become `source-unavailable`; an abort of the
 * job's signal rejects with the signal's reason.
 */
async function fetchLimited<T>(
	download: Download,
	consume: (chunks: AsyncIterable<Uint8Array>, declared: number | undefined) => Promise<T>,
): Promise<T> {
	const { label, maxBytes, timeouts, signal: jobSignal } = download;
	jobSignal.throwIfAborted();
	let url = allowedUrl(download.url, undefined, download);
	const timedOut = new AbortController();
	const signal = AbortSignal.any([jobSignal, timedOut.signal]);
	const total = setTimeout(() => timedOut.abort(), timeouts.totalMs);
	let timer: NodeJS.Timeout | undefined;
	const arm = (ms: number) => {
		clearTimeout(timer);
		timer = setTimeout(() => timedOut.abort(), ms);
	};
	try {
		let response: Response;
		for (let hop = 0; ; hop += 1) {
			arm(timeouts.headersMs);
			response = await fetch(url, { signal, redirect: 'manual' }).catch(() => {
				throw unavailable(label);
			});
			if (!REDIRECT_STATUS.has(response.status)) break;
			await response.body?.cancel().catch(() => undefined);
			const location = response.headers.get('location');
			if (location === null || hop >= MAX_REDIRECTS) throw unavailable(label);
			url = allowedUrl(location, url.href, download);
		}
		if (!response.ok || !response.body) {
			await response.body?.cancel().catch(() => undefined);
			throw unavailable(label);
		}
		const length = response.headers.get('content-length');
		const declared = length === null ? undefined : Number(length);
		if (declared !== undefined && Number.isFinite(declared) && declared > maxBytes) {
			await response.body.cancel().catch(() => undefined);
			throw tooLarge(label, declared, maxBytes);
		}
		const body = response.body;
		async function* chunks(): AsyncGenerator<Uint8Array> {
			const reader = (body as ReadableStream<Uint8Array>).getReader();
			let size = 0;
			try {
				for (;;) {
					arm(timeouts.idleMs);
					const next = await reader.read().catch(() => {
						throw unavailable(label);
					});
					if (next.done) return;
					size += next.value.length;
					if (size > maxBytes) throw tooLarge(label, size, maxBytes);
					yield next.value;
				}
			} finally {
				// Stops the transfer when we stop early (refused, or the consumer failed).
				await reader.cancel().catch(() => undefined);
			}
		}
		return await consume(chunks(), declared !== undefined && Number.isFinite(declared) ? declared : undefined);
	} catch (error) {
		if (jobSignal.aborted) throw jobSignal.reason;
		if (timedOut.signal.aborted) throw unavailable(label);
		throw error;
	} finally {
		clearTimeout(timer);
		clearTimeout(total);
	}
}

/**
 * Downloads at most maxBytes into memory; a larger file is refused without reading the rest. The
 * bytes sit in an ArrayBuffer of their own (never Node's shared pool), so they can be transferred
 * to a worker thread without copying.
 */
export async function downloadLimited(download: Download): Promise<Buffer> {
	return fetchLimited(download, async (chunks, declared) => {
		// One buffer, sized up front when the length is known, so a big file is never held twice.
		let buffer = new Uint8Array(declared && declared > 0 ? declared : 64 * 1024);
		let length = 0;
		for await (const chunk of chunks) {
			if (length + chunk.length > buffer.length) {
				const grown = new Uint8Array(Math.min(download.maxBytes, Math.max(buffer.length * 2, length + chunk.length)));
				grown.set(buffer.subarray(0, length));
				buffer = grown;
			}
			buffer.set(chunk, length);
			length += chunk.length;
		}
		return Buffer.from(buffer.buffer, 0, length);
	});
}

/**
 * Streams a download to a file, never holding more than a chunk in memory; refuses (and removes
 * the partial file) past maxBytes. Returns the size written.
 */
export async function downloadToFile(download: Download, path: string): Promise<number> {
	try {
		return await fetchLimited(download, async (chunks) => {
			const file = await open(path, 'w');
			let size = 0;
			try {
				for await (const chunk of chunks) {
					await file.write(chunk);
					size += chunk.length;
				}
			} finally {
				await file.close();
			}
			return size;
		});
	} catch (error) {
		await rm(path, { force: true });
		throw error;
	}
}
