/**
 * Hostile files and servers for the media layer's tests: pixel bombs, endless GIFs, zip bombs,
 * and a loopback server that counts requests and can drip, stall or redirect.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDeflate, crc32, deflateRawSync } from 'node:zlib';
import sharp from 'sharp';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/**
 * A valid greyscale PNG of `width`×`height` black pixels. All-zero rows deflate about 1000:1, so
 * 16000×16000 (256 MB of pixels) is a ~250 KB file. Deflated as a stream, never held whole.
 */
export async function pngBomb(width: number, height: number): Promise<Buffer> {
	const deflate = createDeflate({ level: 9 });
	const compressed: Buffer[] = [];
	deflate.on('data', (chunk: Buffer) => compressed.push(chunk));
	const ended = new Promise((resolve) => deflate.on('end', resolve));
	const rowsPerWrite = 256;
	const zeros = Buffer.alloc((width + 1) * rowsPerWrite); // each row: filter byte 0, then pixels
	for (let y = 0; y < height; y += rowsPerWrite) {
		const rows = Math.min(rowsPerWrite, height - y);
		if (!deflate.write(zeros.subarray(0, (width + 1) * rows))) await new Promise((resolve) => deflate.once('drain', resolve));
	}
	deflate.end();
	await ended;
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth; colour type 0 (grey), no interlace
	return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', Buffer.concat(compressed)), pngChunk('IEND', Buffer.alloc(0))]);
}

/** An animated GIF of `frames` frames of side×side, alternating black and white (so none merge). */
export async function longGif(frames: number, side = 64): Promise<Buffer> {
	const frameBytes = side * side * 3;
	const raw = Buffer.alloc(frameBytes * frames);
	for (let f = 1; f < frames; f += 2) raw.fill(0xff, f * frameBytes, (f + 1) * frameBytes);
	return sharp(raw, { raw: { width: side, height: side * frames, channels: 3, pageHeight: side } })
		.gif({ effort: 1 })
		.toBuffer();
}

/** Bytes that deflate only about 3:1 (two bits of randomness per byte): big, but no bomb. */
export function lowEntropy(size: number, seed = 1): Uint8Array {
	const bytes = new Uint8Array(size);
	let state = seed;
	for (let i = 0; i < size; i += 1) {
		state = (state * 1103515245 + 12345) >>> 0;
		bytes[i] = 0x41 + ((state >>> 16) & 3);
	}
	return bytes;
}

/**
 * A zip of the given entries, deflated by zlib (native, so a test can build a bomb of hundreds of
 * MB in a fraction of a second; fflate's zipSync takes seconds) or stored when `level` is 0.
 */
export function zipOf(entries: readonly { name: string; data: Uint8Array; level?: number }[]): Buffer {
	const parts: Buffer[] = [];
	const directory: Buffer[] = [];
	let offset = 0;
	for (const { name, data, level = 6 } of entries) {
		const fileName = Buffer.from(name, 'utf8');
		const body = level === 0 ? Buffer.from(data) : deflateRawSync(data, { level });
		const fields = (header: Buffer, at: number) => {
			header.writeUInt16LE(20, at); // version needed
			header.writeUInt16LE(0x0800, at + 2); // names are UTF-8
			header.writeUInt16LE(level === 0 ? 0 : 8, at + 4); // stored or deflated
			header.writeUInt32LE(0x00210000, at + 6); // 1980-01-01 00:00
			header.writeUInt32LE(crc32(data), at + 10);
			header.writeUInt32LE(body.length, at + 14);
			header.writeUInt32LE(data.length, at + 18);
			header.writeUInt16LE(fileName.length, at + 22);
		};
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		fields(local, 4);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4); // version made by
		fields(central, 6);
		central.writeUInt32LE(offset, 42);
		parts.push(local, fileName, body);
		directory.push(central, fileName);
		offset += local.length + fileName.length + body.length;
	}
	const size = directory.reduce((sum, part) => sum + part.length, 0);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(size, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...parts, ...directory, end]);
}

/** Samples the process's RSS every few milliseconds (worker threads included) until stopped. */
export function rssPeak(): { stop(): number } {
	const start = process.memoryUsage().rss;
	let peak = start;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 2);
	return {
		/** Growth of the peak over the start, in bytes. */
		stop() {
			clearInterval(timer);
			peak = Math.max(peak, process.memoryUsage().rss);
			return peak - start;
		},
	};
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface HostileServer {
	readonly origin: string;
	/** Requests received, by path. */
	readonly requests: string[];
	/** Resolves once `count` requests have arrived in all. */
	requested(count?: number): Promise<void>;
	/** Resolves once an open response has been closed by the client. */
	readonly closedResponses: () => number;
	close(): Promise<void>;
}

/** A loopback server answering each path with its handler (404 otherwise), counting requests. */
export async function hostileServer(routes: Record<string, Handler>, host = '127.0.0.1'): Promise<HostileServer> {
	const requests: string[] = [];
	const waiters: { count: number; resolve: () => void }[] = [];
	let closed = 0;
	const server: Server = createServer((req, res) => {
		requests.push(req.url ?? '/');
		for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
			waiters.splice(waiters.indexOf(waiter), 1);
			waiter.resolve();
		}
		res.on('close', () => {
			closed += 1;
		});
		const handler = routes[(req.url ?? '/').split('?')[0] ?? '/'];
		if (handler) handler(req, res);
		else res.writeHead(404).end('not here');
	});
	await new Promise<void>((resolve) => server.listen(0, host, resolve));
	return {
		origin: `http://${host}:${(server.address() as AddressInfo).port}`,
		requests,
		requested: (count = 1) => (requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
		closedResponses: () => closed,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** Serves `bytes` with their length declared. */
export const serve =
	(bytes: Uint8Array, headers: Record<string, string> = {}): Handler =>
	(_req, res) => {
		res.writeHead(200, { 'content-length': String(bytes.length), ...headers });
		res.end(bytes);
	};
