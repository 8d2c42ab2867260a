import type { RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import animate from './animate/index.js';
import animateImage from './animate-image/index.js';
import help from './help/index.js';
import optout from './optout/index.js';
import settings from './settings/index.js';
import type { ChatInputCommand, MessageCommand } from './types.js';

/** Every slash command the bot answers, by name. */
export const chatInputCommands: ReadonlyMap<string, ChatInputCommand> = new Map(
	([animate, help, optout, settings] as ChatInputCommand[]).map((command) => [command.definition.name, command]),
);

/** Every message context-menu command, by name. */
export const messageCommands: ReadonlyMap<string, MessageCommand> = new Map([animateImage].map((command) => [command.definition.name, command]));

/** What is registered with Discord. */
export const commandDefinitions: readonly RESTPostAPIApplicationCommandsJSONBody[] = [
	...[...chatInputCommands.values()].map((command) => command.definition),
	...[...messageCommands.values()].map((command) => command.definition),
];
