import { Events } from 'discord.js';
import { commandDefinitions } from '../commands/index.js';
import { registerCommands } from '../discord/command-registration.js';
import type { BotEvent } from './types.js';

export default {
	name: Events.ClientReady,
	once: true,
	async execute({ config, log, engine }, client) {
		log.info({ user: client.user.tag, guilds: client.guilds.cache.size }, 'logged in');
		try {
			await registerCommands(client.application, commandDefinitions, config.discordGuildId, log);
		} catch (error) {
			// The bot still answers commands registered earlier; an operator must see this, though.
			log.error({ err: error }, 'command registration failed');
		}
		engine.resume();
	},
} satisfies BotEvent<Events.ClientReady>;
