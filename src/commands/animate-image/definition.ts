import { ApplicationCommandType, type RESTPostAPIContextMenuApplicationCommandsJSONBody } from 'discord.js';
import { EVERYWHERE } from '../scope.js';
import { COMMAND_LOCALIZATIONS } from '../../discord/views/command-text.js';

/** Right-click (or long-press) a post → Apps → Animate image. */
export const AnimateImageCommand = {
	type: ApplicationCommandType.Message,
	name: 'Animate image',
	name_localizations: COMMAND_LOCALIZATIONS.animateImage.name_localizations,
	...EVERYWHERE,
} as const satisfies RESTPostAPIContextMenuApplicationCommandsJSONBody;
