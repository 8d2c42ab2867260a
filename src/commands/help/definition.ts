import { ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { IN_SERVERS } from '../scope.js';

export const HelpCommand = {
	type: ApplicationCommandType.ChatInput,
	name: 'animate-help',
	description: 'What animate-bot does and how to use /animate',
	...IN_SERVERS,
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
