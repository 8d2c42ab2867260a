import { Unzip, UnzipInflate, Zip, ZipPassThrough } from 'fflate';
import { IMAGE_KINDS, MEDIA_LIMITS } from '../domain/media.js';
import { refuse, Refused, type Refusal } from '../domain/refusal.js';
import type { CheckedDepthMaps } from '../jobs/ports.js';
import { sniff } from './sniff.js';

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;
/** Entries below this size are never suspected of being bombs, whatever their ratio. */
const BOMB_FLOOR_BYTES = 1024 * 1024;
/** Small slices bound what one inflate step can produce (deflate expands at most ~1032×). */
const SLICE_BYTES = 16 * 1024;

/**
 * Opens a depth-map zip with hard limits, all checked while inflating so a bomb is stopped after
 * megabytes, not gigabytes: entry count, inflated bytes per entry and in all, and the compression
 * ratio. Keeps only entries whose bytes are images and repacks them in frame order.
 */
export function checkDepthMaps(bytes: Uint8Array, label: string): CheckedDepthMaps {
	const type = sniff(bytes);
	if (type !== 'zip') refuse({ kind: 'not-a-zip', file: label, actual: type });
	const images = new Map<string, Uint8Array>();
	let entries = 0;
	let total = 0;
	let refusal: Refusal | undefined;
	const unzip = new Unzip();
	unzip.register(UnzipInflate);
	unzip.onfile = (file) => {
		if (refusal) return;
		entries += 1;
		if (entries > MEDIA_LIMITS.zipEntries) {
			refusal = { kind: 'zip-too-many-files', file: label, max: MEDIA_LIMITS.zipEntries };
			return;
		}
		if (file.name.endsWith('/') || file.name.startsWith('__MACOSX/')) return;
		const chunks: Uint8Array[] = [];
		let size = 0;
		const stop = (why: Refusal) => {
			refusal = why;
			file.terminate();
		};
		file.ondata = (error, chunk, final) => {
			if (refusal) return;
			if (error) {
				refusal = { kind: 'zip-entry-damaged', file: label, entry: file.name };
				return;
			}
			size += chunk.length;
			total += chunk.length;
			const compressed = file.size ?? 0;
			if (size > BOMB_FLOOR_BYTES && size > compressed * MEDIA_LIMITS.zipRatio) {
				return stop({ kind: 'zip-bomb', file: label, entry: file.name, ratio: MEDIA_LIMITS.zipRatio });
			}
			// One entry over its cap says the zip unpacks to more than that: the same refusal, its own limit.
			if (size > MEDIA_LIMITS.zipEntryBytes) return stop({ kind: 'zip-too-big', file: label, max: MEDIA_LIMITS.zipEntryBytes });
			if (total > MEDIA_LIMITS.zipUncompressedBytes) return stop({ kind: 'zip-too-big', file: label, max: MEDIA_LIMITS.zipUncompressedBytes });
			chunks.push(chunk);
			if (final) {
				const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
				if (IMAGE_KINDS.has(sniff(data))) images.set(file.name.split('/').pop() ?? file.name, data);
			}
		};
		file.start();
	};
	try {
		for (let offset = 0; offset < bytes.length && !refusal; offset += SLICE_BYTES) {
			unzip.push(bytes.subarray(offset, offset + SLICE_BYTES), offset + SLICE_BYTES >= bytes.length);
		}
	} catch {
		refusal ??= { kind: 'zip-damaged', file: label };
	}
	if (refusal) throw new Refused(refusal);
	if (images.size === 0) refuse({ kind: 'zip-no-images', file: label });
	const frames = images.size;
	return { bytes: repack(images), frames };
}

/**
 * Stores (not deflates: they are already-compressed images) the entries in frame order, into one
 * buffer sized up front and releasing each image once written, so the images and the new zip are
 * never both held whole.
 */
function repack(images: Map<string, Uint8Array>): Buffer {
	const names = [...images.keys()].sort(naturalOrder);
	// Local header (30) + central directory entry (46) + data descriptor (16) + the name twice, with
	// room to spare for extra fields; then the end record.
	let bound = 22;
	for (const name of names) bound += images.get(name)!.length + 2 * Buffer.byteLength(name) + 160;
	const out = new Uint8Array(bound);
	let length = 0;
	const zip = new Zip((error, chunk) => {
		if (error) throw error;
		out.set(chunk, length);
		length += chunk.length;
	});
	for (const name of names) {
		const entry = new ZipPassThrough(name);
		zip.add(entry);
		entry.push(images.get(name)!, true);
		images.delete(name);
	}
	zip.end();
	return Buffer.from(out.buffer, 0, length);
}
