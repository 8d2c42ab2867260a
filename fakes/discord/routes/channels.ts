/** Channel, message, reaction and guild-read routes. */
import type { APIMessage } from 'discord-api-types/v10';
import type { FakeDiscord } from '../index.js';
import { Errors } from '../http.js';
import { Intent } from '../gateway.js';
import type { RouteAdder } from '../types.js';
import { clone, EPHEMERAL, P } from '../util.js';
import { messageLimitErrors } from '../message-limits.js';
import { appGuards } from './app.js';

export function defineChannelRoutes(fake: FakeDiscord, route: RouteAdder): void {
	const { guild } = appGuards(fake);
	// Channels
	route('GET', '/channels/:channel', ({ params }) => ({ status: 200, body: clone(fake.channelFor(params.channel ?? '')) }));
	route('POST', '/channels/:channel/typing', ({ params }) => {
		fake.channelFor(params.channel ?? '');
		return { status: 204 };
	});
	route('GET', '/channels/:channel/messages', ({ params, query }) => {
		fake.channelFor(params.channel ?? '');
		const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 50)));
		let list = (fake.channelMessages.get(params.channel ?? '') ?? [])
			.map((id) => fake.messagesById.get(id))
			.filter((m): m is APIMessage => !!m && !((m.flags ?? 0) & EPHEMERAL));
		const before = query.get('before');
		const after = query.get('after');
		if (before) list = list.filter((m) => BigInt(m.id) < BigInt(before));
		if (after) list = list.filter((m) => BigInt(m.id) > BigInt(after));
		// Always newest first; `after` pages forward, so it answers the oldest `limit` messages after
		// the id (`?after=<channel id>&limit=1` is the channel's first message), the others the newest.
		const page = after && !before ? list.slice(0, limit).reverse() : list.reverse().slice(0, limit);
		return { status: 200, body: page.map((m) => fake.readableMessage(m)) };
	});
	route('POST', '/channels/:channel/messages', ({ params, body, files }) => {
		const channelId = params.channel ?? '';
		fake.channelFor(channelId);
		fake.assertCanSendDM(channelId);
		const data = (body ?? {}) as Record<string, unknown>;
		const limits = messageLimitErrors(data);
		if (limits.length > 0) throw Errors.formBody(limits);
		fake.assertNotEmpty(data, files);
		const nonce = data.nonce as string | number | undefined | null;
		const nonceKey = nonce !== undefined && nonce !== null ? `${channelId}:${fake.botUser.id}:${String(nonce)}` : undefined;
		if (nonceKey && data.enforce_nonce === true) {
			const seen = fake.nonces.get(nonceKey);
			const existing = seen && Date.now() - seen.at < fake.nonceWindowMs ? fake.messagesById.get(seen.messageId) : undefined;
			if (existing) return { status: 200, body: fake.publicMessage(existing) };
		}
		let extra: Record<string, unknown> = {};
		let type = 0;
		const reference = data.message_reference as
			{ message_id?: string; channel_id?: string; fail_if_not_exists?: boolean; type?: number } | undefined | null;
		if (reference?.message_id) {
			const referenced = fake.messagesById.get(reference.message_id);
			if (!referenced || referenced.channel_id !== (reference.channel_id ?? channelId)) {
				if (reference.fail_if_not_exists !== false) {
					throw Errors.formBody([{ path: ['message_reference'], code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }]);
				}
			} else {
				type = 19;
				extra = {
					message_reference: { type: 0, channel_id: referenced.channel_id, message_id: referenced.id, guild_id: fake.guild.id },
					referenced_message: fake.publicMessage(referenced),
				};
			}
		}
		const built = fake.payloadToMessage(data, files, channelId, fake.attachmentSizeLimit, false);
		const message = fake.createMessage({
			channelId,
			author: fake.botUser,
			...built,
			flags: built.flags & ((1 << 2) | (1 << 12) | (1 << 15)),
			type,
			...(nonce !== undefined && nonce !== null ? { nonce } : {}),
			extra,
		});
		if (nonceKey) fake.nonces.set(nonceKey, { messageId: message.id, at: Date.now() });
		return { status: 200, body: fake.publicMessage(message) };
	});
	route('GET', '/channels/:channel/messages/:message', ({ params }) => {
		fake.channelFor(params.channel ?? '');
		return { status: 200, body: fake.readableMessage(fake.channelMessage(params.channel ?? '', params.message ?? '')) };
	});
	route('PATCH', '/channels/:channel/messages/:message', ({ params, body, files }) => {
		fake.channelFor(params.channel ?? '');
		const message = fake.channelMessage(params.channel ?? '', params.message ?? '');
		const data = (body ?? {}) as Record<string, unknown>;
		if (message.author.id !== fake.botUser.id && Object.keys(data).some((k) => k !== 'flags')) throw Errors.otherAuthor();
		return { status: 200, body: fake.editMessage(message, data, files, fake.attachmentSizeLimit) };
	});
	route('DELETE', '/channels/:channel/messages/:message', ({ params }) => {
		fake.channelFor(params.channel ?? '');
		const message = fake.channelMessage(params.channel ?? '', params.message ?? '');
		if (message.author.id !== fake.botUser.id && !(fake.channelPermissions(message.channel_id) & P.MANAGE_MESSAGES))
			throw Errors.missingPermissions();
		fake.deleteMessage(message);
		return { status: 204 };
	});
	const parseEmoji = (raw: string): { id: string | null; name: string } => {
		const custom = /^(?:a:)?([\w-]{2,32}):(\d{17,20})$/.exec(raw);
		if (custom) return { id: custom[2] ?? null, name: custom[1] ?? '' };
		// Unicode emoji: no ASCII letters/digits-only names like "thumbsup".
		if (raw.length > 0 && /[^\p{ASCII}]/u.test(raw) && !/[A-Za-z]/.test(raw)) return { id: null, name: raw };
		throw Errors.unknownEmoji();
	};
	route('PUT', '/channels/:channel/messages/:message/reactions/:emoji/@me', ({ params }) => {
		fake.channelFor(params.channel ?? '');
		const message = fake.channelMessage(params.channel ?? '', params.message ?? '');
		const emoji = parseEmoji(params.emoji ?? '');
		const already = message.reactions?.find((r) => r.emoji.name === emoji.name && (r.emoji.id ?? null) === emoji.id && r.me);
		if (!already) {
			fake.addReaction(message, emoji, true);
			fake.gateway.dispatch('MESSAGE_REACTION_ADD', (session) =>
				session.intents & Intent.GuildMessageReactions
					? {
							user_id: fake.botUser.id,
							type: 0,
							message_id: message.id,
							message_author_id: message.author.id,
							member: clone(fake.members.get(fake.botUser.id)),
							emoji,
							channel_id: message.channel_id,
							burst: false,
							burst_colors: [],
							guild_id: fake.guild.id,
						}
					: undefined,
			);
		}
		return { status: 204 };
	});
	route('DELETE', '/channels/:channel/messages/:message/reactions/:emoji/@me', ({ params }) => {
		fake.channelFor(params.channel ?? '');
		const message = fake.channelMessage(params.channel ?? '', params.message ?? '');
		const emoji = parseEmoji(params.emoji ?? '');
		const reaction = message.reactions?.find((r) => r.emoji.name === emoji.name && (r.emoji.id ?? null) === emoji.id && r.me);
		if (reaction && message.reactions) {
			reaction.me = false;
			reaction.count -= 1;
			reaction.count_details.normal -= 1;
			if (reaction.count <= 0) message.reactions = message.reactions.filter((r) => r !== reaction);
			fake.gateway.dispatch('MESSAGE_REACTION_REMOVE', (session) =>
				session.intents & Intent.GuildMessageReactions
					? {
							user_id: fake.botUser.id,
							type: 0,
							message_id: message.id,
							emoji,
							channel_id: message.channel_id,
							burst: false,
							guild_id: fake.guild.id,
						}
					: undefined,
			);
		}
		return { status: 204 };
	});

	// Guild reads discord.js may make
	route('GET', '/guilds/:guild', ({ params }) => {
		guild(params);
		const g = fake.guildCreatePayload();
		for (const k of ['members', 'channels', 'threads', 'presences', 'voice_states', 'joined_at', 'large', 'member_count', 'lazy', 'unavailable'])
			delete g[k];
		return { status: 200, body: g };
	});
	route('GET', '/guilds/:guild/channels', ({ params }) => {
		guild(params);
		return { status: 200, body: [...fake.channels.values()].map((c) => clone(c)) };
	});
	route('GET', '/guilds/:guild/roles', ({ params }) => {
		guild(params);
		return { status: 200, body: clone(fake.roles) };
	});
	route('GET', '/guilds/:guild/members/:user', ({ params }) => {
		guild(params);
		const member = fake.members.get(params.user ?? '');
		if (!member) throw Errors.unknownMember();
		return { status: 200, body: clone(member) };
	});
}
