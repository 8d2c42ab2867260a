import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { COMMAND_LOCALIZATIONS } from '../../discord/views/command-text.js';
import { IN_SERVERS } from '../scope.js';

export const OptOutCommand = {
	type: ApplicationCommandType.ChatInput,
	name: 'animate-optout',
	description: 'Stop others from animating your images (undo:True to allow it again)',
	description_localizations: COMMAND_LOCALIZATIONS.optout.description_localizations,
	...IN_SERVERS,
	options: [
		{
			type: ApplicationCommandOptionType.Boolean,
			name: 'undo',
			description: 'Allow others to animate your images again',
			description_localizations: COMMAND_LOCALIZATIONS.optoutUndo.description_localizations,
		},
	],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
