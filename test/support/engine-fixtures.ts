import type { JobOrigin } from '../../src/domain/job.js';
import type { Media } from '../../src/jobs/ports.js';

/** A /animate by `userId` in server g1, channel c1, with a live interaction. */
export const originOf = (userId = 'u1'): JobOrigin => ({
	guildId: 'g1',
	channelId: 'c1',
	userId,
	locale: 'en-US',
	trigger: 'command',
	reach: 'channel',
	interaction: { id: 'i1', applicationId: 'a1', token: 'token', createdAt: Date.now() },
	attachmentSizeLimit: 10 * 1024 * 1024,
});

/** An attachment as Discord would name it; never fetched by `offlineMedia`. */
export const attachedImage = { url: 'https://cdn.discordapp.com/attachments/1/2/cat.png', name: 'cat.png' };

/** Media that never touches the network: every image is a fine 1024×576 PNG. */
export const offlineMedia: Media = {
	loadImage: async (source) => ({
		bytes: Buffer.from('png'),
		contentType: 'image/png',
		fileName: source.name,
		width: 1024,
		height: 576,
		firstFrameOnly: false,
	}),
	loadDepthMaps: async () => ({ bytes: Buffer.from('zip'), frames: 1 }),
	downloadToFile: async () => 3,
};
