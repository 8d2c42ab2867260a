import { MessageFlags } from 'discord.js';
import { messagesOf } from '../../discord/views/i18n/index.js';
import type { ChatInputCommand } from '../types.js';
import { OptOutCommand } from './definition.js';

export default {
	definition: OptOutCommand,
	async execute(interaction, args, { settings, log }) {
		const optOut = !args.undo;
		await settings.setOptOut(interaction.user.id, optOut);
		log.info({ userId: interaction.user.id, optOut }, 'opt-out changed');
		const m = messagesOf(interaction);
		await interaction.reply({ content: optOut ? m['optout.done']() : m['optout.undone'](), flags: MessageFlags.Ephemeral });
	},
} satisfies ChatInputCommand<typeof OptOutCommand>;
