/**
 * A second server for the fake Discord, on a chosen gateway shard: sharding tests need servers
 * whose events go to different shards. It shares the home server's members and roles (the same
 * people in both), and has one text channel of its own.
 */
import type { FakeDiscord } from './index.js';
import { shardFor } from './gateway.js';
import { snowflake } from './snowflake.js';
import { clone } from './util.js';

export interface AddedGuild {
	readonly id: string;
	readonly channelId: string;
}

/** Adds a server whose events go to `shard` of `shardCount` (call before the bot connects). */
export function addGuild(fake: FakeDiscord, options: { readonly shard: number; readonly shardCount: number; readonly name?: string }): AddedGuild {
	// Snowflakes carry their time in the high bits: step the time until the id lands on the shard.
	let at = Date.now() - 500 * 86_400_000;
	let id = snowflake(at);
	while (shardFor(id, options.shardCount) !== options.shard) id = snowflake(++at);
	const home = fake.channels.get(fake.channelId)!;
	const channelId = snowflake(at + 1);
	fake.channels.set(channelId, {
		...clone(home),
		id: channelId,
		guild_id: id,
		name: 'general',
		parent_id: null,
		permission_overwrites: [{ id, type: 0, allow: '0', deny: '0' }],
	} as never);
	fake.channelMessages.set(channelId, []);
	fake.extraGuilds.push({ id, name: options.name ?? 'Second Lab' });
	return { id, channelId };
}

/** GUILD_CREATE of an added server: the home server's, with its own id, @everyone role and channel. */
export function extraGuildPayload(fake: FakeDiscord, guildId: string): Record<string, unknown> {
	const guild = fake.extraGuilds.find((g) => g.id === guildId)!;
	const payload = fake.guildCreatePayload();
	const channels = [...fake.channels.values()]
		.filter((c) => c.guild_id === guildId)
		.map((c) => {
			const copy = clone(c) as unknown as Record<string, unknown>;
			delete copy.guild_id;
			return copy;
		});
	const roles = clone(fake.roles).map((role) => (role.id === fake.guild.id ? { ...role, id: guildId } : role));
	return { ...payload, id: guildId, name: guild.name, roles, channels, system_channel_id: channels[0]?.id ?? null };
}
