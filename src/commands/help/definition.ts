import { ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { COMMAND_LOCALIZATIONS } from '../../discord/views/command-text.js';
import { IN_SERVERS } from '../scope.js';

export const HelpCommand = {
	type: ApplicationCommandType.ChatInput,
	name: 'animate-help',
	description: 'What animate-bot does and how to use /animate',
	description_localizations: COMMAND_LOCALIZATIONS.help.description_localizations,
	...IN_SERVERS,
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
