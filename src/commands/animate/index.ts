import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import { UserError } from '../../errors.js';
import { createJobMessenger, type JobTarget } from '../../services/job-messenger.js';
import type { ChatInputCommand } from '../types.js';
import { AnimateCommand } from './definition.js';

/** Discord's default upload limit, used if an interaction arrives without one. */
const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;

export function jobTarget(interaction: ChatInputCommandInteraction | ButtonInteraction): JobTarget {
	return {
		applicationId: interaction.applicationId,
		interactionToken: interaction.token,
		channelId: interaction.channelId!,
		userId: interaction.user.id,
		attachmentSizeLimit: interaction.attachmentSizeLimit ?? DEFAULT_ATTACHMENT_LIMIT,
	};
}

export default {
	definition: AnimateCommand,
	async execute(interaction, args, { animator }) {
		// Defer first: downloads and fal calls below can take longer than Discord's 3 s.
		await interaction.deferReply();
		if (!interaction.channel?.isTextBased() || interaction.channel.isVoiceBased()) {
			throw new UserError('/animate works in text channels and threads.');
		}
		const attachment = (a: { url: string; name: string } | undefined) => (a ? { url: a.url, name: a.name } : undefined);
		await animator.run(
			{
				userId: interaction.user.id,
				guildId: interaction.guildId,
				image: attachment(args.image)!,
				...(args.mask ? { mask: attachment(args.mask)! } : {}),
				...(args.depth_maps ? { depthMaps: attachment(args.depth_maps)! } : {}),
				...(args.motion !== undefined ? { motion: args.motion } : {}),
				...(args.noise !== undefined ? { noise: args.noise } : {}),
				...(args.seed !== undefined ? { seed: args.seed } : {}),
				...(args.steps !== undefined ? { steps: args.steps } : {}),
			},
			createJobMessenger(interaction.client, jobTarget(interaction)),
		);
	},
} satisfies ChatInputCommand<typeof AnimateCommand>;
