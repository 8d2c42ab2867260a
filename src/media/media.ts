import { MEDIA_LIMITS } from '../domain/media.js';
import type { Media } from '../jobs/ports.js';
import { checkDepthMaps } from './depth-maps.js';
import { downloadLimited, downloadToFile } from './download.js';
import { checkImage } from './image.js';

/** The media adapter: downloads what members send, within limits, and checks it by its bytes. */
export function createMedia(): Media {
	return {
		loadImage: async (source) => checkImage(await downloadLimited(source.url, MEDIA_LIMITS.imageBytes, source.name), source.name),
		loadDepthMaps: async (source) => checkDepthMaps(await downloadLimited(source.url, MEDIA_LIMITS.zipBytes, source.name), source.name),
		downloadToFile,
	};
}
