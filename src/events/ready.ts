import { Events } from 'discord.js';
import { commandDefinitions } from '../commands/index.js';
import { registerCommands } from '../discord/command-registration.js';
import type { BotEvent } from './types.js';

export default {
	name: Events.ClientReady,
	once: true,
	async execute({ config, log, engine }, client) {
		log.info({ user: client.user.tag, guilds: client.guilds.cache.size }, 'logged in');
		// Unfinished jobs first: members are waiting on them, and registration can be slow (a rate
		// limit on the commands route) without any of them needing it.
		await engine.resume();
		try {
			await registerCommands(client.application, commandDefinitions, config.discordGuildId, log);
		} catch (error) {
			// The bot still answers commands registered earlier; an operator must see this, though.
			log.error({ err: error }, 'command registration failed');
		}
	},
} satisfies BotEvent<Events.ClientReady>;
