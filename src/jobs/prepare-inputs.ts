import type { JobNote, JobSources } from '../domain/job.js';
import { refuse } from '../domain/refusal.js';
import type { FalGateway, Media } from './ports.js';

export interface PreparedInputs {
	readonly urls: { imageUrl: string; maskUrl: string | null; depthMapsUrl: string | null; depthFrames: number | null; endImageUrl: string | null };
	readonly notes: JobNote[];
}

/** How far a mask's aspect ratio may differ from the image's. */
const MASK_RATIO_TOLERANCE = 0.02;

/**
 * Downloads and checks the member's files, then gives fal its own copies: Discord's attachment
 * URLs are signed and expire, so fal must not depend on them.
 */
export async function prepareInputs(
	deps: { readonly media: Media; readonly fal: FalGateway },
	sources: JobSources,
	signal: AbortSignal,
): Promise<PreparedInputs> {
	const { media, fal } = deps;
	const notes: JobNote[] = [];
	const [image, mask, depth, end] = await Promise.all([
		media.loadImage(sources.image, signal),
		sources.mask ? media.loadImage(sources.mask, signal) : undefined,
		sources.depthMaps ? media.loadDepthMaps(sources.depthMaps, signal) : undefined,
		sources.endImage ? media.loadImage(sources.endImage, signal) : undefined,
	]);
	if (image.firstFrameOnly) notes.push({ kind: 'first-frame', file: sources.image.name });
	if (mask) {
		const ratio = mask.width / mask.height / (image.width / image.height);
		if (Math.abs(ratio - 1) > MASK_RATIO_TOLERANCE) {
			refuse({ kind: 'mask-shape', mask: { width: mask.width, height: mask.height }, image: { width: image.width, height: image.height } });
		}
	}
	signal.throwIfAborted();
	const [imageUrl, maskUrl, depthMapsUrl, endImageUrl] = await Promise.all([
		fal.upload(image.bytes, image.contentType, image.fileName),
		mask ? fal.upload(mask.bytes, mask.contentType, `mask-${mask.fileName}`) : undefined,
		depth ? fal.upload(depth.bytes, 'application/zip', 'depth-maps.zip') : undefined,
		end ? fal.upload(end.bytes, end.contentType, `end-${end.fileName}`) : undefined,
	]);
	return {
		urls: {
			imageUrl,
			maskUrl: maskUrl ?? null,
			depthMapsUrl: depthMapsUrl ?? null,
			depthFrames: depth?.frames ?? null,
			endImageUrl: endImageUrl ?? null,
		},
		notes,
	};
}
