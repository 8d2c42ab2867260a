/** Small HTTP helpers shared by the fake's modules. */
import { createHash, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly headers: Record<string, string> = {},
	) {
		super(`HTTP ${status}`);
	}
}

export function sha256(buf: Buffer): string {
	return createHash('sha256').update(buf).digest('hex');
}

export function randomId(len: number): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
	let s = '';
	for (let i = 0; i < len; i++) s += alphabet[randomInt(alphabet.length)];
	return s;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

/** Slow download: after `afterBytes` at full speed, `bytes` bytes every `everyMs` ms. */
export interface DripSpec {
	/** Bytes per tick. Default 1. */
	bytes?: number;
	/** Tick interval. Default 1000 ms (i.e. 1 byte per second by default). */
	everyMs?: number;
	/** Bytes sent at once before dripping starts. Default 0. */
	afterBytes?: number;
}

/**
 * Writes `bytes` to `res` (headers already written, with the full content-length) at the drip rate.
 * Calls `onProgress(sent)` after each write and `onEnd(complete)` once (complete=false when the
 * client went away first). Timers are registered in `timers` so `close()` can clear them.
 */
export function drip(
	res: ServerResponse,
	bytes: Buffer,
	spec: DripSpec,
	timers: Set<NodeJS.Timeout>,
	onProgress: (sent: number) => void,
	onEnd: (complete: boolean) => void,
): void {
	const step = Math.max(1, Math.floor(spec.bytes ?? 1));
	const everyMs = Math.max(1, spec.everyMs ?? 1000);
	let sent = Math.min(bytes.length, Math.max(0, Math.floor(spec.afterBytes ?? 0)));
	let ended = false;
	let timer: NodeJS.Timeout | undefined;
	const finish = (complete: boolean): void => {
		if (ended) return;
		ended = true;
		if (timer) {
			clearInterval(timer);
			timers.delete(timer);
		}
		onEnd(complete);
	};
	res.on('close', () => finish(sent >= bytes.length && res.writableFinished));
	if (sent > 0) res.write(bytes.subarray(0, sent));
	onProgress(sent);
	if (sent >= bytes.length) {
		res.end(() => finish(true));
		return;
	}
	timer = setInterval(() => {
		if (res.destroyed) return finish(false);
		const next = Math.min(bytes.length, sent + step);
		res.write(bytes.subarray(sent, next));
		sent = next;
		onProgress(sent);
		if (sent >= bytes.length) {
			if (timer) {
				clearInterval(timer);
				timers.delete(timer);
				timer = undefined;
			}
			res.end(() => finish(true));
		}
	}, everyMs);
	timers.add(timer);
}
