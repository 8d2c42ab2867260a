import { EmbedBuilder, MessageFlags } from 'discord.js';
import { AnimateCommand } from '../animate/definition.js';
import { settingsEmbed } from '../settings/index.js';
import type { ChatInputCommand } from '../types.js';
import { HelpCommand } from './definition.js';

export default {
	definition: HelpCommand,
	async execute(interaction, _args, services) {
		const options = AnimateCommand.options
			.map((option) => `\`${option.name}\`${'required' in option && option.required ? ' (required)' : ''}: ${option.description}`)
			.join('\n');
		const about = new EmbedBuilder()
			.setTitle('animate-bot')
			.setDescription(
				'Turns a still image into a short video with Stable Video Diffusion. ' +
					'Run `/animate` with an image, or right-click a post → Apps → **Animate image**. The reply shows your place in ' +
					'the queue and the progress, and the video is posted in the channel with the seed used, with buttons to ' +
					'reroll, add or remove motion, or delete it. `/animate-optout` stops others from animating your images.',
			)
			.addFields({ name: '/animate options', value: options });
		const here = settingsEmbed(services.settings.get(interaction.guildId), services, interaction.guildId).setTitle('In force in this server');
		await interaction.reply({ embeds: [about, here], flags: MessageFlags.Ephemeral });
	},
} satisfies ChatInputCommand<typeof HelpCommand>;
