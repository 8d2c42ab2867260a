import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Unzip, UnzipInflate, zipSync } from 'fflate';
import sharp, { type Metadata } from 'sharp';
import { UserError } from '../errors.js';

// Inputs are small; one libvips thread leaves the other core to the event loop.
sharp.concurrency(1);

export const LIMITS = {
	imageBytes: 20 * 1024 * 1024,
	zipBytes: 50 * 1024 * 1024,
	minSide: 64,
	maxSide: 4096,
	zipEntries: 300,
	zipUncompressedBytes: 200 * 1024 * 1024,
	/** Uncompressed/compressed size above which an entry is treated as a zip bomb. */
	zipRatio: 100,
} as const;

export type SniffedType = 'png' | 'jpeg' | 'webp' | 'gif' | 'zip' | 'mp4' | 'pdf' | 'text' | 'unknown';

const IMAGE_TYPES = new Set<SniffedType>(['png', 'jpeg', 'webp', 'gif']);

const DESCRIPTION: Record<SniffedType, string> = {
	png: 'a PNG image',
	jpeg: 'a JPEG image',
	webp: 'a WebP image',
	gif: 'a GIF image',
	zip: 'a zip archive',
	mp4: 'a video',
	pdf: 'a PDF document',
	text: 'a text file',
	unknown: 'a file of a kind I do not recognise',
};

/** What the bytes are, from their magic numbers; the file name and declared type are not trusted. */
export function sniff(bytes: Uint8Array): SniffedType {
	const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
	const ascii = (from: number, text: string) => [...text].every((c, i) => bytes[from + i] === c.charCodeAt(0));
	if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
	if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
	if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp';
	if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'gif';
	if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return 'zip';
	if (ascii(4, 'ftyp')) return 'mp4';
	if (ascii(0, '%PDF')) return 'pdf';
	const sample = bytes.subarray(0, 512);
	if (sample.length > 0 && sample.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b !== 0x7f))) return 'text';
	return 'unknown';
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
	return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Downloads at most maxBytes; a larger file is refused without reading the rest, so an oversize
 * upload cannot make the bot hold it in memory.
 */
export async function downloadLimited(url: string, maxBytes: number, label: string, signal?: AbortSignal): Promise<Buffer> {
	const response = await fetch(url, signal ? { signal } : {});
	if (!response.ok || !response.body) {
		throw new Error(`download of ${label} failed with HTTP ${response.status}`);
	}
	const tooLarge = (size: number) =>
		new UserError(`\`${label}\` is ${formatBytes(size)}; the limit is ${formatBytes(maxBytes)}. Please attach a smaller file.`);
	const declared = Number(response.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) {
		await response.body.cancel();
		throw tooLarge(declared);
	}
	// One buffer, sized up front when the length is known, so a big file is never held twice.
	let buffer = Buffer.allocUnsafe(Number.isFinite(declared) && declared > 0 ? declared : 64 * 1024);
	let length = 0;
	for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
		if (length + chunk.length > maxBytes) {
			await response.body.cancel().catch(() => undefined);
			throw tooLarge(length + chunk.length);
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
	const tooLarge = (size: number) => new UserError(`\`${label}\` is ${formatBytes(size)}; the limit is ${formatBytes(maxBytes)}.`);
	const declared = Number(response.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) {
		await response.body.cancel();
		throw tooLarge(declared);
	}
	let size = 0;
	const limiter = new Transform({
		transform(chunk: Buffer, _encoding, done) {
			size += chunk.length;
			done(size > maxBytes ? tooLarge(size) : null, chunk);
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

export interface CheckedImage {
	readonly bytes: Buffer;
	readonly contentType: string;
	readonly fileName: string;
	readonly width: number;
	readonly height: number;
	/** True when the upload was animated and only its first frame is used. */
	readonly firstFrameOnly: boolean;
}

const MIME: Partial<Record<SniffedType, string>> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };

/** Checks an image by its content and returns bytes fal can take (first frame of an animation). */
export async function checkImage(bytes: Buffer, label: string): Promise<CheckedImage> {
	const type = sniff(bytes);
	if (!IMAGE_TYPES.has(type)) {
		throw new UserError(`\`${label}\` is ${DESCRIPTION[type]}, not an image. Please attach a PNG, JPEG or WebP picture.`);
	}
	let metadata: Metadata;
	try {
		metadata = await sharp(bytes, { animated: true }).metadata();
		// metadata() reads only the header; decoding the pixels finds files that were cut short.
		await sharp(bytes, { failOn: 'truncated', pages: 1 }).raw().toBuffer();
	} catch {
		throw new UserError(
			`\`${label}\` looks like ${DESCRIPTION[type]} but it is damaged or cut short, so it can't be read. Try exporting it again.`,
		);
	}
	const pages = metadata.pages ?? 1;
	const width = metadata.width ?? 0;
	const height = pages > 1 ? (metadata.pageHeight ?? 0) : (metadata.height ?? 0);
	if (Math.min(width, height) < LIMITS.minSide) {
		throw new UserError(`\`${label}\` is ${width}×${height} pixels; images need at least ${LIMITS.minSide} pixels on each side.`);
	}
	if (Math.max(width, height) > LIMITS.maxSide) {
		throw new UserError(`\`${label}\` is ${width}×${height} pixels; images can be at most ${LIMITS.maxSide} pixels on a side.`);
	}
	const base = label.replace(/\.[^.]+$/, '') || 'image';
	if (pages > 1) {
		const firstFrame = await sharp(bytes, { pages: 1 }).png().toBuffer();
		return { bytes: firstFrame, contentType: 'image/png', fileName: `${base}.png`, width, height, firstFrameOnly: true };
	}
	return { bytes, contentType: MIME[type] ?? 'application/octet-stream', fileName: `${base}.${type === 'jpeg' ? 'jpg' : type}`, width, height, firstFrameOnly: false };
}

export interface CheckedDepthMaps {
	/** A zip holding only the depth images, in frame order. */
	readonly bytes: Buffer;
	readonly frames: number;
}

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

/**
 * Opens a depth-map zip with hard limits on entry count, total size and compression ratio, keeps
 * only entries whose bytes are images, and repacks them in frame order.
 */
export function checkDepthMaps(bytes: Buffer, label: string): CheckedDepthMaps {
	if (sniff(bytes) !== 'zip') {
		throw new UserError(`\`${label}\` is ${DESCRIPTION[sniff(bytes)]}, not a zip. Attach a .zip of depth-map images, one per frame.`);
	}
	const images = new Map<string, Uint8Array>();
	let entries = 0;
	let total = 0;
	let refusal: UserError | undefined;
	const unzip = new Unzip();
	unzip.register(UnzipInflate);
	unzip.onfile = (file) => {
		if (refusal) return;
		entries += 1;
		if (entries > LIMITS.zipEntries) {
			refusal = new UserError(`\`${label}\` has more than ${LIMITS.zipEntries} files; a depth-map zip needs one image per frame.`);
			return;
		}
		if (file.name.endsWith('/') || file.name.startsWith('__MACOSX/')) return;
		const chunks: Uint8Array[] = [];
		let size = 0;
		file.ondata = (error, chunk, final) => {
			if (refusal) return;
			if (error) {
				refusal = new UserError(`\`${label}\` is damaged: \`${file.name}\` can't be unpacked.`);
				return;
			}
			size += chunk.length;
			total += chunk.length;
			const compressed = file.size ?? 0;
			if (total > LIMITS.zipUncompressedBytes) {
				refusal = new UserError(`\`${label}\` unpacks to more than ${formatBytes(LIMITS.zipUncompressedBytes)}; that is too big for depth maps.`);
				file.terminate();
				return;
			}
			if (size > 1024 * 1024 && size > compressed * LIMITS.zipRatio) {
				refusal = new UserError(`\`${label}\` looks like a zip bomb (\`${file.name}\` expands more than ${LIMITS.zipRatio}×), so it was not opened.`);
				file.terminate();
				return;
			}
			chunks.push(chunk);
			if (final) {
				const data = Buffer.concat(chunks);
				if (IMAGE_TYPES.has(sniff(data))) images.set(file.name.split('/').pop() ?? file.name, data);
			}
		};
		file.start();
	};
	try {
		// Small slices bound what one inflate step can produce (deflate expands at most ~1032×),
		// so a bomb is caught after megabytes, not gigabytes.
		const slice = 16 * 1024;
		for (let offset = 0; offset < bytes.length && !refusal; offset += slice) {
			unzip.push(bytes.subarray(offset, offset + slice), offset + slice >= bytes.length);
		}
	} catch {
		refusal ??= new UserError(`\`${label}\` is damaged and can't be unpacked.`);
	}
	if (refusal) throw refusal;
	if (images.size === 0) {
		throw new UserError(`\`${label}\` has no images in it. Put one depth-map image (PNG/JPEG/WebP) per frame in the zip.`);
	}
	const ordered = [...images.keys()].sort(naturalOrder);
	// Stored, not deflated: the entries are already-compressed images.
	const zip = zipSync(Object.fromEntries(ordered.map((name) => [name, [images.get(name)!, { level: 0 }]])));
	return { bytes: Buffer.from(zip), frames: ordered.length };
}
