import type { Message } from 'discord.js';
import type { SourceRef } from '../domain/job.js';

const IMAGE_EXTENSION = /\.(png|jpe?g|webp|gif)$/i;

/**
 * The images a post carries, attachments first, then embeds (a linked picture). The content is
 * checked again by its bytes when the job runs; this only picks candidates.
 *
 * Attachments are fetched from Discord's CDN (`url`). An embed's own `url` points anywhere on the
 * internet, so an embedded picture is fetched only through Discord's media proxy (`proxy_url`),
 * which has already fetched it; an embed without one is not a candidate.
 */
export function imagesIn(message: Message): SourceRef[] {
	const images: SourceRef[] = [];
	for (const attachment of message.attachments.values()) {
		if (attachment.contentType?.startsWith('image/') || IMAGE_EXTENSION.test(attachment.name)) {
			images.push({ url: attachment.url, name: attachment.name });
		}
	}
	for (const embed of message.embeds) {
		const picture = embed.image?.proxyURL ? embed.image : embed.thumbnail;
		if (!picture?.proxyURL) continue;
		// Named after the original picture: that is the name the member knows.
		images.push({ url: picture.proxyURL, name: nameOf(picture.url) });
	}
	return images;
}

function nameOf(url: string): string {
	try {
		return new URL(url).pathname.split('/').pop() || 'image.png';
	} catch {
		return 'image.png';
	}
}
