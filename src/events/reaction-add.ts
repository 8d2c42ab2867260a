import { Events } from 'discord.js';
import type { Services } from '../context.js';
import { imagesIn, posterOf } from '../discord/message-images.js';
import { localeOf, messagesFor } from '../discord/views/i18n/index.js';
import { addressed, refusalText } from '../discord/views/refusals.js';
import { uploadLimitOfTier } from '../domain/media.js';
import { Refused, type Refusal } from '../domain/refusal.js';
import type { BotEvent } from './types.js';

/**
 * Remembers when each member was last answered with a public refusal, so a member flooding
 * reactions gets one answer a minute, not one reply per reaction in the channel. Bounded: the
 * least recently answered members are forgotten first (at worst one of them is answered again).
 */
export class RefusalThrottle {
	private readonly lastAnswered = new Map<string, number>();

	public constructor(
		private readonly options: { readonly windowMs: number; readonly maxMembers: number; readonly now: () => number } = {
			windowMs: 60_000,
			maxMembers: 10_000,
			now: Date.now,
		},
	) {}

	/** Whether `member` may be answered now; if so, the answer is counted. */
	public mayAnswer(member: string): boolean {
		const now = this.options.now();
		const last = this.lastAnswered.get(member);
		if (last !== undefined && now - last < this.options.windowMs) return false;
		// Deleting first moves the member to the end of the Map's order: the oldest entry is first.
		this.lastAnswered.delete(member);
		this.lastAnswered.set(member, now);
		if (this.lastAnswered.size > this.options.maxMembers) {
			const oldest = this.lastAnswered.keys().next();
			if (!oldest.done) this.lastAnswered.delete(oldest.value);
		}
		return true;
	}

	public get size(): number {
		return this.lastAnswered.size;
	}
}

// One throttle per running bot (a restart in the same process starts afresh), without a field in Services.
const throttles = new WeakMap<Services, RefusalThrottle>();
function throttleOf(services: Services): RefusalThrottle {
	let throttle = throttles.get(services);
	if (!throttle) throttles.set(services, (throttle = new RefusalThrottle()));
	return throttle;
}

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
		// most reactions in a busy server are not for the bot, and a flood must not become a flood of fetches.
		const guildId = reaction.message.guildId;
		if (!guildId) return ignored('not in a server');
		const settings = await settingsStore.get(guildId);
		const emoji = reaction.emoji.id ? `${reaction.emoji.name}:${reaction.emoji.id}` : reaction.emoji.name;
		if (!settings.reactionEnabled) return ignored('trigger off');
		if (emoji !== settings.reactionEmoji) return ignored('another emoji');
		// Silently: where videos are not allowed, a public refusal would be noise the admins chose to avoid.
		if (settings.allowedChannels.length > 0 && !settings.allowedChannels.includes(reaction.message.channelId)) {
			return ignored('channel not allowed');
		}
		const message = reaction.message.partial ? await reaction.message.fetch() : reaction.message;
		if (!message.inGuild()) return ignored('not in a server');
		const images = imagesIn(message);
		const [first] = images;
		// A reaction carries no member's locale: the server's language, else English.
		const locale = localeOf({ guildLocale: message.guild.preferredLocale });
		const m = messagesFor(locale);
		// A reaction gets no private answer; a short reply in the channel says why nothing happens,
		// at most once a minute per member.
		const refuse = async (refusal: Refusal) => {
			if (!throttleOf(services).mayAnswer(`${guildId}:${user.id}`)) {
				log.debug({ refusal: refusal.kind, posted: false }, 'reaction refused');
				return;
			}
			log.debug({ refusal: refusal.kind, posted: true }, 'reaction refused');
			await message
				.reply({ content: addressed(user.id, refusalText(refusal, m), m), allowedMentions: { users: [user.id] } })
				.catch((error: unknown) => {
					log.warn({ err: error, messageId: message.id }, 'could not answer a reaction');
				});
		};
		if (!first) {
			await refuse({ kind: 'no-image' });
			return;
		}
		try {
			const job = await engine.accept(
				{ image: first, ...(images.length > 1 ? { notes: [{ kind: 'many-images', count: images.length }] } : {}) },
				{
					guildId: message.guildId,
					channelId: message.channelId,
					userId: user.id,
					locale,
					trigger: 'reaction',
					reach: 'channel',
					attachmentSizeLimit: uploadLimitOfTier(message.guild.premiumTier),
					source: { messageId: message.id, authorId: await posterOf(message) },
				},
			);
			log.info({ jobId: job.id, userId: user.id, sourceMessageId: message.id }, 'job accepted from a reaction');
			await engine.start(job.id);
		} catch (error) {
			if (!(error instanceof Refused)) throw error;
			await refuse(error.refusal);
		}
	},
} satisfies BotEvent<Events.MessageReactionAdd>;
