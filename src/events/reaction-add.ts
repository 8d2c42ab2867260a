import { Events } from 'discord.js';
import { imagesIn } from '../discord/message-images.js';
import { addressed, refusalText } from '../discord/views/refusals.js';
import { uploadLimitOfTier } from '../domain/media.js';
import { Refused, type Refusal } from '../domain/refusal.js';
import type { BotEvent } from './types.js';

/**
 * The reaction trigger: a member reacting to an image post with the server's emoji starts a job
 * for that member, reported in a reply to the post. Off unless the server turned it on.
 */
export default {
	name: Events.MessageReactionAdd,
	async execute(services, reaction, user) {
		const { engine, settings: settingsStore, log } = services;
		if (user.bot || services.stopping()) return;
		const message = reaction.message.partial ? await reaction.message.fetch() : reaction.message;
		if (!message.inGuild()) return;
		const settings = settingsStore.get(message.guildId);
		const emoji = reaction.emoji.id ? `${reaction.emoji.name}:${reaction.emoji.id}` : reaction.emoji.name;
		if (!settings.reactionEnabled || emoji !== settings.reactionEmoji) return;
		const images = imagesIn(message);
		const [first] = images;
		// A reaction gets no private answer; a short reply in the channel says why nothing happens.
		const refuse = (refusal: Refusal) =>
			message.reply({ content: addressed(user.id, refusalText(refusal)), allowedMentions: { users: [user.id] } }).catch((error: unknown) => {
				log.warn({ err: error, messageId: message.id }, 'could not answer a reaction');
			});
		if (!first) {
			await refuse({ kind: 'no-image' });
			return;
		}
		try {
			const job = engine.accept(
				{ image: first, ...(images.length > 1 ? { notes: [{ kind: 'many-images', count: images.length }] } : {}) },
				{
					guildId: message.guildId,
					channelId: message.channelId,
					userId: user.id,
					trigger: 'reaction',
					attachmentSizeLimit: uploadLimitOfTier(message.guild.premiumTier),
					source: { messageId: message.id, authorId: message.author.id },
				},
			);
			log.info({ jobId: job.id, userId: user.id, sourceMessageId: message.id }, 'job accepted from a reaction');
			engine.start(job.id);
		} catch (error) {
			if (!(error instanceof Refused)) throw error;
			await refuse(error.refusal);
		}
	},
} satisfies BotEvent<Events.MessageReactionAdd>;
