import {
	ApplicationCommandType,
	ApplicationIntegrationType,
	InteractionContextType,
	type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import { LOCALIZED } from '../../strings.js';

/** Right-click (or long-press) a post → Apps → Animate image. */
export const AnimateImageCommand = {
	type: ApplicationCommandType.Message,
	name: 'Animate image',
	name_localizations: LOCALIZED.animateImage.name_localizations,
	contexts: [InteractionContextType.Guild],
	integration_types: [ApplicationIntegrationType.GuildInstall],
} as const satisfies RESTPostAPIContextMenuApplicationCommandsJSONBody;
