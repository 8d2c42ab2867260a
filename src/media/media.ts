import { MEDIA_LIMITS } from '../domain/media.js';
import type { Media } from '../jobs/ports.js';
import { checkDepthMaps } from './depth-maps.js';
import { downloadLimited, downloadToFile } from './download.js';
import { checkImage } from './image.js';

/** The media adapter: downloads what members send, within limits, and checks it by its bytes. */
export function createMedia(): Media {
	return {
		loadImage: async (source, signal) => checkImage(await downloadLimited(source.url, MEDIA_LIMITS.imageBytes, source.name, signal), source.name),
		loadDepthMaps: async (source, signal) =>
			checkDepthMaps(await downloadLimited(source.url, MEDIA_LIMITS.zipBytes, source.name, signal), source.name),
		downloadToFile: (url, maxBytes, label, path) => downloadToFile(url, maxBytes, label, path),
	};
}
