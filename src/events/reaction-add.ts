import { Events, GuildPremiumTier, type Guild } from 'discord.js';
import { UserError } from '../errors.js';
import { imagesIn } from '../services/message-images.js';
import { STRINGS } from '../strings.js';
import type { BotEvent } from './types.js';

const MB = 1024 * 1024;

/** A server's upload limit by boost level, for jobs that have no interaction to report it. */
export const uploadLimitOf = (guild: Guild) =>
	guild.premiumTier === GuildPremiumTier.Tier3 ? 100 * MB : guild.premiumTier === GuildPremiumTier.Tier2 ? 50 * MB : 10 * MB;

/**
 * The reaction trigger: a member reacting to an image post with the server's emoji starts a job
 * for that member, reported in a reply to the post. Off unless the server turned it on.
 */
export default {
	name: Events.MessageReactionAdd,
	async execute(services, reaction, user) {
		const { animator, settings: settingsStore, log } = services;
		if (user.bot || services.stopping()) return;
		const message = reaction.message.partial ? await reaction.message.fetch() : reaction.message;
		if (!message.inGuild()) return;
		const settings = settingsStore.get(message.guildId);
		const emoji = reaction.emoji.id ? `${reaction.emoji.name}:${reaction.emoji.id}` : reaction.emoji.name;
		if (!settings.reactionEnabled || emoji !== settings.reactionEmoji) return;
		const images = imagesIn(message);
		const [first] = images;
		// A reaction gets no private answer; a short reply in the channel says why nothing happens.
		const refuse = (content: string) =>
			message.reply({ content: `<@${user.id}> ${content}`, allowedMentions: { users: [user.id] } }).catch((error: unknown) => {
				log.warn({ err: error, messageId: message.id }, 'could not answer a reaction');
			});
		if (!first) {
			await refuse(STRINGS.noImage);
			return;
		}
		try {
			const job = animator.accept(
				{ image: first, ...(images.length > 1 ? { note: STRINGS.manyImages(images.length) } : {}) },
				{
					guildId: message.guildId,
					channelId: message.channelId,
					userId: user.id,
					trigger: 'reaction',
					attachmentSizeLimit: uploadLimitOf(message.guild),
					source: { messageId: message.id, authorId: message.author.id },
				},
			);
			log.info({ jobId: job.id, userId: user.id, sourceMessageId: message.id }, 'job accepted from a reaction');
			animator.start(job.id);
		} catch (error) {
			if (!(error instanceof UserError)) throw error;
			await refuse(error.message);
		}
	},
} satisfies BotEvent<Events.MessageReactionAdd>;
