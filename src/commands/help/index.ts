import { EmbedBuilder, MessageFlags } from 'discord.js';
import { AnimateCommand } from '../animate/definition.js';
import type { ChatInputCommand } from '../types.js';
import { HelpCommand } from './definition.js';

export default {
	definition: HelpCommand,
	async execute(interaction, _args, { config }) {
		const options = AnimateCommand.options
			.map((option) => `\`${option.name}\`${'required' in option && option.required ? ' (required)' : ''}: ${option.description}`)
			.join('\n');
		const embed = new EmbedBuilder()
			.setTitle('animate-bot')
			.setDescription(
				'Turns a still image into a short video with Stable Video Diffusion. ' +
					'Run `/animate` with an image; the reply shows your place in the queue and the progress, ' +
					'and the video is posted in this channel with the seed used, so you can make it again.',
			)
			.addFields({ name: '/animate options', value: options }, { name: 'Model', value: `\`${config.falModel}\``, inline: true });
		await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral });
	},
} satisfies ChatInputCommand<typeof HelpCommand>;
