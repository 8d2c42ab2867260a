import type { Message } from 'discord.js';
import type { SourceRef } from '../domain/job.js';

const IMAGE_EXTENSION = /\.(png|jpe?g|webp|gif)$/i;

/** What of a post (or of a forward's copy of one) can carry a picture. */
type Post = Pick<Message, 'attachments' | 'embeds'>;

/**
 * The images a post carries, attachments first, then embeds (a linked picture). A forward has no
 * attachments or embeds of its own: the forwarded post travels in its `message_snapshots`, which
 * discord.js parses into `messageSnapshots`, so those are read too, after the post's own. The
 * content is checked again by its bytes when the job runs; this only picks candidates.
 *
 * Attachments are fetched from Discord's CDN (`url`). An embed's own `url` points anywhere on the
 * internet, so an embedded picture is fetched only through Discord's media proxy (`proxy_url`),
 * which has already fetched it; an embed without one is not a candidate.
 */
export function imagesIn(message: Message): SourceRef[] {
	return [message, ...message.messageSnapshots.values()].flatMap(imagesOf);
}

/**
 * Who posted the image, for the poster's consent (`/animate-optout`): the post's author, or, when
 * the image travels only in a forward's snapshot, the author of the forwarded post if the bot can
 * read it (a snapshot names no author). Otherwise the forwarder, who shared it, answers for it.
 */
export async function posterOf(message: Message): Promise<string> {
	if (imagesOf(message).length > 0 || message.messageSnapshots.size === 0) return message.author.id;
	const original = await message.fetchReference().catch(() => undefined);
	return original?.author.id ?? message.author.id;
}

function imagesOf(post: Post): SourceRef[] {
	const images: SourceRef[] = [];
	for (const attachment of post.attachments.values()) {
		if (attachment.contentType?.startsWith('image/') || IMAGE_EXTENSION.test(attachment.name)) {
			images.push({ url: attachment.url, name: attachment.name });
		}
	}
	for (const embed of post.embeds) {
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
