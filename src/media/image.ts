import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { IMAGE_KINDS, MAX_IMAGE_PIXELS, MEDIA_LIMITS, type FileKind } from '../domain/media.js';
import { refuse } from '../domain/refusal.js';
import type { CheckedImage } from '../jobs/ports.js';
import { sniff } from './sniff.js';

// Inputs are small; one libvips thread per worker leaves a core to the event loop.
sharp.concurrency(1);
// Each check sees a file once: caching its decoded tiles would only hold memory between jobs.
sharp.cache(false);

const MIME: Partial<Record<FileKind, string>> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };

/**
 * How every decode is opened: the first frame only, refused by libvips itself past the largest
 * size we accept (a header that lies about its size cannot make it allocate more), and failing on
 * data that was cut short.
 */
const DECODE: SharpOptions = { failOn: 'truncated', pages: 1, limitInputPixels: MAX_IMAGE_PIXELS };

/**
 * Checks an image by its content and returns bytes fal can take (first frame of an animation).
 * The size is read from the header and refused before any pixel is decoded, so a small file that
 * declares a huge image costs nothing; only then is the first frame decoded, to find damage.
 */
export async function checkImage(bytes: Buffer, label: string): Promise<CheckedImage> {
	const type = sniff(bytes);
	if (!IMAGE_KINDS.has(type)) refuse({ kind: 'not-an-image', file: label, actual: type });
	const damaged = (): never => refuse({ kind: 'image-damaged', file: label, actual: type });
	let metadata: Metadata;
	try {
		// metadata() parses headers only (frame headers too, for the page count); no pixels are decoded,
		// so the pixel limit is lifted here to learn the real size and refuse it in our own words.
		metadata = await sharp(bytes, { animated: true, limitInputPixels: false }).metadata();
	} catch {
		return damaged();
	}
	const pages = metadata.pages ?? 1;
	const width = metadata.width;
	const height = pages > 1 ? metadata.pageHeight : metadata.height;
	if (!width || !height) return damaged();
	if (Math.min(width, height) < MEDIA_LIMITS.minSide) refuse({ kind: 'image-too-small', file: label, width, height, min: MEDIA_LIMITS.minSide });
	if (Math.max(width, height) > MEDIA_LIMITS.maxSide) refuse({ kind: 'image-too-large', file: label, width, height, max: MEDIA_LIMITS.maxSide });
	const base = label.replace(/\.[^.]+$/, '') || 'image';
	try {
		if (pages > 1) {
			const firstFrame = await sharp(bytes, DECODE).png().toBuffer();
			return { bytes: firstFrame, contentType: 'image/png', fileName: `${base}.png`, width, height, firstFrameOnly: true };
		}
		// Decoding every pixel is what finds a file that was cut short; the output is thrown away.
		await sharp(bytes, DECODE).raw().toBuffer();
	} catch {
		return damaged();
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
