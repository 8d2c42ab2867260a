import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { Logger } from '../../logger.js';
import type { Animator, InteractionRef } from '../../services/animator.js';

/** Discord's default upload limit, for an interaction that arrives without one. */
const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;

/** The ids a job needs to answer this interaction, now or after a restart. */
export function interactionRef(interaction: ChatInputCommandInteraction<'cached'> | ButtonInteraction<'cached'>): InteractionRef {
	return {
		guildId: interaction.guildId,
		channelId: interaction.channelId,
		userId: interaction.user.id,
		interactionId: interaction.id,
		applicationId: interaction.applicationId,
		interactionToken: interaction.token,
		interactionAt: interaction.createdTimestamp,
		attachmentSizeLimit: interaction.attachmentSizeLimit ?? DEFAULT_ATTACHMENT_LIMIT,
	};
}

/**
 * Acknowledges publicly and hands the job to the animator. A failed defer (a late interaction)
 * does not lose the job: it then reports through the channel instead.
 */
export async function deferAndStart(
	interaction: ChatInputCommandInteraction<'cached'> | ButtonInteraction<'cached'>,
	jobId: string,
	animator: Animator,
	log: Logger,
): Promise<void> {
	try {
		const response = await interaction.deferReply({ withResponse: true });
		animator.deferred(jobId, response.resource?.message?.id);
	} catch (error) {
		log.warn({ err: error, jobId }, 'defer failed; the job will report in the channel');
	}
	animator.start(jobId);
}
