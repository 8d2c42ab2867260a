import sharp, { type Metadata } from 'sharp';
import { IMAGE_KINDS, MEDIA_LIMITS, type FileKind } from '../domain/media.js';
import { refuse } from '../domain/refusal.js';
import type { CheckedImage } from '../jobs/ports.js';
import { sniff } from './sniff.js';

// Inputs are small; one libvips thread leaves the other core to the event loop.
sharp.concurrency(1);

const MIME: Partial<Record<FileKind, string>> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };

/** Checks an image by its content and returns bytes fal can take (first frame of an animation). */
export async function checkImage(bytes: Buffer, label: string): Promise<CheckedImage> {
	const type = sniff(bytes);
	if (!IMAGE_KINDS.has(type)) refuse({ kind: 'not-an-image', file: label, actual: type });
	let metadata: Metadata;
	try {
		metadata = await sharp(bytes, { animated: true }).metadata();
		// metadata() reads only the header; decoding the pixels finds files that were cut short.
		await sharp(bytes, { failOn: 'truncated', pages: 1 }).raw().toBuffer();
	} catch {
		refuse({ kind: 'image-damaged', file: label, actual: type });
	}
	const pages = metadata.pages ?? 1;
	const width = metadata.width ?? 0;
	const height = pages > 1 ? (metadata.pageHeight ?? 0) : (metadata.height ?? 0);
	if (Math.min(width, height) < MEDIA_LIMITS.minSide) refuse({ kind: 'image-too-small', file: label, width, height, min: MEDIA_LIMITS.minSide });
	if (Math.max(width, height) > MEDIA_LIMITS.maxSide) refuse({ kind: 'image-too-large', file: label, width, height, max: MEDIA_LIMITS.maxSide });
	const base = label.replace(/\.[^.]+$/, '') || 'image';
	if (pages > 1) {
		const firstFrame = await sharp(bytes, { pages: 1 }).png().toBuffer();
		return { bytes: firstFrame, contentType: 'image/png', fileName: `${base}.png`, width, height, firstFrameOnly: true };
	}
	return {
		bytes,
		contentType: MIME[type] ?? 'application/octet-stream',
		fileName: `${base}.${type === 'jpeg' ? 'jpg' : type}`,
		width,
		height,
		firstFrameOnly: false,
	};
}
