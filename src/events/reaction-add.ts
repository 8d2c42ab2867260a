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
		const { engine, settings: settingsStore } = services;
		const log = services.log.child({ messageId: reaction.message.id, userId: user.id });
		const ignored = (reason: string) => log.debug({ reason }, 'reaction ignored');
		if (user.bot || services.stopping()) return ignored('bot or stopping');
		// Everything that can be decided from the event and the settings comes before any REST call:
		// most reactions in a busy server are not for the bot.
		const guildId = reaction.message.guildId;
		if (!guildId) return ignored('not in a server');
		const settings = settingsStore.get(guildId);
		const emoji = reaction.emoji.id ? `${reaction.emoji.name}:${reaction.emoji.id}` : reaction.emoji.name;
		if (!settings.reactionEnabled) return ignored('trigger off');
		if (emoji !== settings.reactionEmoji) return ignored('another emoji');
		const message = reaction.message.partial ? await reaction.message.fetch() : reaction.message;
		if (!message.inGuild()) return ignored('not in a server');
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
