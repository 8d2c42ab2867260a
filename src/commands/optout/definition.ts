import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { IN_SERVERS } from '../scope.js';

export const OptOutCommand = {
	type: ApplicationCommandType.ChatInput,
	name: 'animate-optout',
	description: 'Stop others from animating your images (undo:True to allow it again)',
	...IN_SERVERS,
	options: [
		{
			type: ApplicationCommandOptionType.Boolean,
			name: 'undo',
			description: 'Allow others to animate your images again',
		},
	],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
