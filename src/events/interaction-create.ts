import { Events, MessageFlags, type AutocompleteInteraction } from 'discord.js';
import { handleAnimateButton } from '../commands/animate/buttons.js';
import { readArgs } from '../commands/args.js';
import { chatInputCommands, messageCommands } from '../commands/index.js';
import { reportInteractionError } from '../discord/interaction-errors.js';
import type { Services } from '../context.js';
import { messagesOf } from '../discord/views/i18n/index.js';
import { refusalText } from '../discord/views/refusals.js';
import type { BotEvent } from './types.js';

/** Suggestions while a member types; an error only costs the suggestions, never the command. */
async function answerAutocomplete(services: Services, interaction: AutocompleteInteraction): Promise<void> {
	const command = chatInputCommands.get(interaction.commandName);
	try {
		if (command?.autocomplete && interaction.inCachedGuild() && !services.stopping()) await command.autocomplete(interaction, services);
		else await interaction.respond([]);
	} catch (error) {
		services.log.warn({ err: error, command: interaction.commandName, interactionId: interaction.id }, 'autocomplete failed');
	}
}

/** The one place interactions enter the bot, and the one place their errors are caught. */
export default {
	name: Events.InteractionCreate,
	async execute(services, interaction) {
		if (interaction.isAutocomplete()) {
			await answerAutocomplete(services, interaction);
			return;
		}
		if (!interaction.isRepliable()) return;
		const log = services.log.child({ interactionId: interaction.id, userId: interaction.user.id });
		try {
			if (services.stopping()) {
				await interaction.reply({ content: refusalText({ kind: 'restarting' }, messagesOf(interaction)), flags: MessageFlags.Ephemeral });
				return;
			}
			if (!interaction.inCachedGuild()) {
				// Settings, limits and channels are all per server: without one the bot can do nothing,
				// but silence would leave the member with "The application did not respond".
				log.debug({ guildId: interaction.guildId, channelId: interaction.channelId }, 'interaction outside a cached guild refused');
				await interaction.reply({ content: refusalText({ kind: 'not-available-here' }, messagesOf(interaction)), flags: MessageFlags.Ephemeral });
				return;
			}
			if (interaction.isChatInputCommand()) {
				const command = chatInputCommands.get(interaction.commandName);
				if (!command) {
					log.warn({ command: interaction.commandName }, 'unknown command');
					return;
				}
				log.info({ command: interaction.commandName, guildId: interaction.guildId }, 'command received');
				await command.execute(interaction, readArgs(interaction, command.definition), services);
			} else if (interaction.isMessageContextMenuCommand()) {
				const command = messageCommands.get(interaction.commandName);
				if (!command) {
					log.warn({ command: interaction.commandName }, 'unknown command');
					return;
				}
				log.info({ command: interaction.commandName, guildId: interaction.guildId }, 'command received');
				await command.execute(interaction, services);
			} else if (interaction.isButton()) {
				if (!(await handleAnimateButton(interaction, services))) log.debug({ customId: interaction.customId }, 'unknown button');
			}
		} catch (error) {
			await reportInteractionError(interaction, error, log);
		}
	},
} satisfies BotEvent<Events.InteractionCreate>;
