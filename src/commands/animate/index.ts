import type { ChatInputCommand } from '../types.js';
import { AnimateCommand } from './definition.js';

export default {
	definition: AnimateCommand,
	async execute(interaction) {
		await interaction.deferReply();
		throw new Error('not implemented yet');
	},
} satisfies ChatInputCommand<typeof AnimateCommand>;
