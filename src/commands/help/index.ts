import { MessageFlags } from 'discord.js';
import { renderHelp } from '../../discord/views/help-card.js';
import { messagesOf } from '../../discord/views/i18n/index.js';
import { renderSettings } from '../../discord/views/settings-card.js';
import { AnimateCommand } from '../animate/definition.js';
import { settingsSummary } from '../settings/summary.js';
import type { ChatInputCommand } from '../types.js';
import { HelpCommand } from './definition.js';

export default {
	definition: HelpCommand,
	async execute(interaction, _args, services) {
		const m = messagesOf(interaction);
		const options = AnimateCommand.options.map((option) => ({ name: option.name, required: 'required' in option && option.required }));
		const here = renderSettings({ ...(await settingsSummary(services, interaction.guildId)), title: m['settings.title-in-force']() }, m);
		await interaction.reply({ embeds: [renderHelp(options, m), here], flags: MessageFlags.Ephemeral });
	},
} satisfies ChatInputCommand<typeof HelpCommand>;
