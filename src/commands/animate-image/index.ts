import { UserError } from '../../errors.js';
import { imagesIn } from '../../services/message-images.js';
import { STRINGS } from '../../strings.js';
import { deferAndStart, originOf } from '../animate/origin.js';
import type { MessageCommand } from '../types.js';
import { AnimateImageCommand } from './definition.js';

export default {
	definition: AnimateImageCommand,
	async execute(interaction, { animator, log }) {
		const post = interaction.targetMessage;
		const images = imagesIn(post);
		const [first] = images;
		if (!first) throw new UserError(STRINGS.noImage);
		const job = animator.accept(
			{ image: first, ...(images.length > 1 ? { note: STRINGS.manyImages(images.length) } : {}) },
			originOf(interaction, 'context-menu', { messageId: post.id, authorId: post.author.id }),
		);
		log.info({ jobId: job.id, userId: job.userId, sourceMessageId: post.id }, 'job accepted from a post');
		await deferAndStart(interaction, job.id, animator, log);
	},
} satisfies MessageCommand<typeof AnimateImageCommand>;
