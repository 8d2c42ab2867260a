import type { ButtonInteraction, ChatInputCommandInteraction, MessageContextMenuCommandInteraction } from 'discord.js';
import type { Logger } from '../../logger.js';
import type { Animator, JobOrigin } from '../../services/animator.js';
import type { JobTrigger } from '../../services/job-store.js';

/** Discord's default upload limit, for an interaction that arrives without one. */
export const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;

type JobInteraction = ChatInputCommandInteraction<'cached'> | ButtonInteraction<'cached'> | MessageContextMenuCommandInteraction<'cached'>;

/** The ids a job needs to answer this interaction, now or after a restart. */
export function originOf(interaction: JobInteraction, trigger: JobTrigger, source?: JobOrigin['source']): JobOrigin {
	return {
		guildId: interaction.guildId,
		channelId: interaction.channelId,
		userId: interaction.user.id,
		trigger,
		interaction: {
			id: interaction.id,
			applicationId: interaction.applicationId,
			token: interaction.token,
			createdAt: interaction.createdTimestamp,
		},
		attachmentSizeLimit: interaction.attachmentSizeLimit ?? DEFAULT_ATTACHMENT_LIMIT,
		...(source ? { source } : {}),
	};
}

/**
 * Acknowledges publicly and hands the job to the animator. A failed defer (a late interaction)
 * does not lose the job: it then reports through the channel instead.
 */
export async function deferAndStart(interaction: JobInteraction, jobId: string, animator: Animator, log: Logger): Promise<void> {
	try {
		const response = await interaction.deferReply({ withResponse: true });
		animator.deferred(jobId, response.resource?.message?.id);
	} catch (error) {
		log.warn({ err: error, jobId }, 'defer failed; the job will report in the channel');
	}
	animator.start(jobId);
}
