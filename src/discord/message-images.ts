import type { Message } from 'discord.js';
import type { SourceRef } from '../domain/job.js';

const IMAGE_EXTENSION = /\.(png|jpe?g|webp|gif)$/i;

/**
 * The images a post carries, attachments first, then embeds (a linked picture). The content is
 * checked again by its bytes when the job runs; this only picks candidates.
 */
export function imagesIn(message: Message): SourceRef[] {
	const images: SourceRef[] = [];
	for (const attachment of message.attachments.values()) {
		if (attachment.contentType?.startsWith('image/') || IMAGE_EXTENSION.test(attachment.name)) {
			images.push({ url: attachment.url, name: attachment.name });
		}
	}
	for (const embed of message.embeds) {
		const url = embed.image?.url ?? embed.thumbnail?.url;
		if (url) images.push({ url, name: new URL(url).pathname.split('/').pop() || 'image.png' });
	}
	return images;
}
