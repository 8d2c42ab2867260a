import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Refused } from '../domain/refusal.js';

const tooLarge = (file: string, size: number, limit: number) => new Refused({ kind: 'file-too-large', file, size, limit });

/**
 * Downloads at most maxBytes; a larger file is refused without reading the rest, so an oversize
 * upload cannot make the bot hold it in memory.
 */
export async function downloadLimited(url: string, maxBytes: number, label: string, signal?: AbortSignal): Promise<Buffer> {
	const response = await fetch(url, signal ? { signal } : {});
	if (!response.ok || !response.body) {
		throw new Error(`download of ${label} failed with HTTP ${response.status}`);
	}
	const declared = Number(response.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) {
		await response.body.cancel();
		throw tooLarge(label, declared, maxBytes);
	}
	// One buffer, sized up front when the length is known, so a big file is never held twice.
	let buffer = Buffer.allocUnsafe(Number.isFinite(declared) && declared > 0 ? declared : 64 * 1024);
	let length = 0;
	for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
		if (length + chunk.length > maxBytes) {
			await response.body.cancel().catch(() => undefined);
			throw tooLarge(label, length + chunk.length, maxBytes);
		}
		if (length + chunk.length > buffer.length) {
			const grown = Buffer.allocUnsafe(Math.min(maxBytes, Math.max(buffer.length * 2, length + chunk.length)));
			buffer.copy(grown, 0, 0, length);
			buffer = grown;
		}
		buffer.set(chunk, length);
		length += chunk.length;
	}
	return buffer.subarray(0, length);
}

/**
 * Streams a download to a file, never holding more than a chunk in memory; refuses (and removes
 * the partial file) past maxBytes. Returns the size written.
 */
export async function downloadToFile(url: string, maxBytes: number, label: string, path: string): Promise<number> {
	const response = await fetch(url);
	if (!response.ok || !response.body) throw new Error(`download of ${label} failed with HTTP ${response.status}`);
	const declared = Number(response.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) {
		await response.body.cancel();
		throw tooLarge(label, declared, maxBytes);
	}
	let size = 0;
	const limiter = new Transform({
		transform(chunk: Buffer, _encoding, done) {
			size += chunk.length;
			done(size > maxBytes ? tooLarge(label, size, maxBytes) : null, chunk);
		},
	});
	try {
		await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), limiter, createWriteStream(path));
	} catch (error) {
		await rm(path, { force: true });
		throw error;
	}
	return size;
}
