import { imagesIn, posterOf } from '../../discord/message-images.js';
import { refuse } from '../../domain/refusal.js';
import { deferAndStart, originOf } from '../animate/origin.js';
import type { MessageCommand } from '../types.js';
import { AnimateImageCommand } from './definition.js';

export default {
	definition: AnimateImageCommand,
	anywhere: true,
	async execute(interaction, { engine, log }) {
		const post = interaction.targetMessage;
		const images = imagesIn(post);
		const [first] = images;
		if (!first) refuse({ kind: 'no-image' });
		const job = await engine.accept(
			{ image: first, ...(images.length > 1 ? { notes: [{ kind: 'many-images', count: images.length }] } : {}) },
			originOf(interaction, 'context-menu', { messageId: post.id, authorId: await posterOf(post) }),
		);
		log.info({ jobId: job.id, userId: job.userId, sourceMessageId: post.id }, 'job accepted from a post');
		await deferAndStart(interaction, job.id, engine, log);
	},
} satisfies MessageCommand<typeof AnimateImageCommand>;
