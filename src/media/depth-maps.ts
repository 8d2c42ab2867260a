import { Unzip, UnzipInflate, zipSync } from 'fflate';
import { IMAGE_KINDS, MEDIA_LIMITS } from '../domain/media.js';
import { refuse, Refused, type Refusal } from '../domain/refusal.js';
import type { CheckedDepthMaps } from '../jobs/ports.js';
import { sniff } from './sniff.js';

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;
/** Entries below this size are never suspected of being bombs, whatever their ratio. */
const BOMB_FLOOR_BYTES = 1024 * 1024;

/**
 * Opens a depth-map zip with hard limits on entry count, total size and compression ratio, keeps
 * only entries whose bytes are images, and repacks them in frame order.
 */
export function checkDepthMaps(bytes: Buffer, label: string): CheckedDepthMaps {
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
		file.ondata = (error, chunk, final) => {
			if (refusal) return;
			if (error) {
				refusal = { kind: 'zip-entry-damaged', file: label, entry: file.name };
				return;
			}
			size += chunk.length;
			total += chunk.length;
			const compressed = file.size ?? 0;
			if (total > MEDIA_LIMITS.zipUncompressedBytes) {
				refusal = { kind: 'zip-too-big', file: label, max: MEDIA_LIMITS.zipUncompressedBytes };
				file.terminate();
				return;
			}
			if (size > BOMB_FLOOR_BYTES && size > compressed * MEDIA_LIMITS.zipRatio) {
				refusal = { kind: 'zip-bomb', file: label, entry: file.name, ratio: MEDIA_LIMITS.zipRatio };
				file.terminate();
				return;
			}
			chunks.push(chunk);
			if (final) {
				const data = Buffer.concat(chunks);
				if (IMAGE_KINDS.has(sniff(data))) images.set(file.name.split('/').pop() ?? file.name, data);
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
		refusal ??= { kind: 'zip-damaged', file: label };
	}
	if (refusal) throw new Refused(refusal);
	if (images.size === 0) refuse({ kind: 'zip-no-images', file: label });
	const ordered = [...images.keys()].sort(naturalOrder);
	// Stored, not deflated: the entries are already-compressed images.
	const zip = zipSync(Object.fromEntries(ordered.map((name) => [name, [images.get(name)!, { level: 0 }]])));
	return { bytes: Buffer.from(zip), frames: ordered.length };
}
