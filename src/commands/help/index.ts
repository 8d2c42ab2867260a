import { MessageFlags } from 'discord.js';
import { renderHelp } from '../../discord/views/help-card.js';
import { messages as m } from '../../discord/views/messages.js';
import { renderSettings } from '../../discord/views/settings-card.js';
import { AnimateCommand } from '../animate/definition.js';
import { settingsSummary } from '../settings/summary.js';
import type { ChatInputCommand } from '../types.js';
import { HelpCommand } from './definition.js';

export default {
	definition: HelpCommand,
	async execute(interaction, _args, services) {
		const options = AnimateCommand.options.map((option) => ({
			name: option.name,
			description: option.description,
			required: 'required' in option && option.required,
		}));
		const here = renderSettings({ ...(await settingsSummary(services, interaction.guildId)), title: m['settings.title-in-force']() });
		await interaction.reply({ embeds: [renderHelp(options), here], flags: MessageFlags.Ephemeral });
	},
} satisfies ChatInputCommand<typeof HelpCommand>;
