import {
	ApplicationCommandOptionType,
	ApplicationCommandType,
	ApplicationIntegrationType,
	InteractionContextType,
	type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

export const OptOutCommand = {
	type: ApplicationCommandType.ChatInput,
	name: 'animate-optout',
	description: 'Stop others from animating your images (undo:True to allow it again)',
	contexts: [InteractionContextType.Guild],
	integration_types: [ApplicationIntegrationType.GuildInstall],
	options: [
		{
			type: ApplicationCommandOptionType.Boolean,
			name: 'undo',
			description: 'Allow others to animate your images again',
		},
	],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
