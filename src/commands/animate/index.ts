import { refuse } from '../../domain/refusal.js';
import type { ChatInputCommand } from '../types.js';
import { AnimateCommand } from './definition.js';
import { deferAndStart, originOf } from './origin.js';

export default {
	definition: AnimateCommand,
	async execute(interaction, args, { engine, log }) {
		// Only fast, local checks before the defer: Discord allows 3 seconds for it.
		if (!interaction.channel?.isTextBased() || interaction.channel.isVoiceBased()) refuse({ kind: 'not-text-channel' });
		const source = (attachment: { url: string; name: string }) => ({ url: attachment.url, name: attachment.name });
		const job = await engine.accept(
			{
				image: source(args.image),
				...(args.mask ? { mask: source(args.mask) } : {}),
				...(args.depth_maps ? { depthMaps: source(args.depth_maps) } : {}),
				...(args.motion !== undefined ? { motion: args.motion } : {}),
				...(args.noise !== undefined ? { noise: args.noise } : {}),
				...(args.seed !== undefined ? { seed: args.seed } : {}),
				...(args.steps !== undefined ? { steps: args.steps } : {}),
				...(args.fps !== undefined ? { fps: args.fps } : {}),
			},
			originOf(interaction, 'command'),
		);
		log.info({ jobId: job.id, userId: job.userId, guildId: job.guildId }, 'job accepted');
		await deferAndStart(interaction, job.id, engine, log);
	},
} satisfies ChatInputCommand<typeof AnimateCommand>;
