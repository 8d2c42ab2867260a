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
		if (!command?.autocomplete || services.stopping()) await interaction.respond([]);
		else if (command.anywhere) await command.autocomplete(interaction, services);
		else if (interaction.inCachedGuild()) await command.autocomplete(interaction, services);
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
			// Settings, opt-outs and help are per server: outside a server the bot is in they cannot work,
			// but silence would leave the member with "The application did not respond".
			const notHere = async () => {
				log.debug({ guildId: interaction.guildId, channelId: interaction.channelId }, 'server command outside a cached server refused');
				await interaction.reply({ content: refusalText({ kind: 'not-available-here' }, messagesOf(interaction)), flags: MessageFlags.Ephemeral });
			};
			if (interaction.isChatInputCommand()) {
				const command = chatInputCommands.get(interaction.commandName);
				if (!command) {
					log.warn({ command: interaction.commandName }, 'unknown command');
					return;
				}
				log.info({ command: interaction.commandName, guildId: interaction.guildId, context: interaction.context }, 'command received');
				if (command.anywhere) await command.execute(interaction, readArgs(interaction, command.definition), services);
				else if (interaction.inCachedGuild()) await command.execute(interaction, readArgs(interaction, command.definition), services);
				else await notHere();
			} else if (interaction.isMessageContextMenuCommand()) {
				const command = messageCommands.get(interaction.commandName);
				if (!command) {
					log.warn({ command: interaction.commandName }, 'unknown command');
					return;
				}
				log.info({ command: interaction.commandName, guildId: interaction.guildId, context: interaction.context }, 'command received');
				if (command.anywhere) await command.execute(interaction, services);
				else if (interaction.inCachedGuild()) await command.execute(interaction, services);
				else await notHere();
			} else if (interaction.isButton()) {
				if (!(await handleAnimateButton(interaction, services))) log.debug({ customId: interaction.customId }, 'unknown button');
			}
		} catch (error) {
			await reportInteractionError(interaction, error, log);
		}
	},
} satisfies BotEvent<Events.InteractionCreate>;
