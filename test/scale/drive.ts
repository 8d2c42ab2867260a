/** Driving bot processes through the fakes: start an /animate, watch its card. */
import type { FakeDiscord, RecordedRequest } from '../../fakes/discord/index.js';

export const title = (r: RecordedRequest) => (r.body as { embeds?: { title?: string }[] } | undefined)?.embeds?.[0]?.title ?? '';

/** A member runs /animate with an image, in the home channel unless told. */
export async function animate(discord: FakeDiscord, options: { user?: number; channelId?: string } = {}) {
	const channelId = options.channelId ?? discord.channelId;
	const image = discord.addAttachment('source-1024x576.png', { channelId });
	return discord.dispatchChatInput({
		name: 'animate',
		options: [{ name: 'image', type: 11, value: image.id }],
		attachments: [image],
		user: discord.users[options.user ?? 0]!,
		channelId,
	});
}

/** Resolves with the first edit of the interaction's card whose title matches. */
export function cardEdit(discord: FakeDiscord, token: string, pattern: RegExp, timeoutMs = 20_000): Promise<RecordedRequest> {
	return discord.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(token) && pattern.test(title(r)), timeoutMs);
}

/** The bot's video posts in a channel (each says the video is ready). */
export const videoPosts = (discord: FakeDiscord, channelId = discord.channelId) =>
	discord.messages(channelId).filter((m) => m.content.includes('your video is ready'));
