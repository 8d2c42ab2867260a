import type { ButtonInteraction, ChatInputCommandInteraction, MessageContextMenuCommandInteraction } from 'discord.js';
import type { JobOrigin, JobTrigger } from '../../domain/job.js';
import { localeOf } from '../../discord/views/i18n/index.js';
import { DEFAULT_ATTACHMENT_LIMIT } from '../../domain/media.js';
import type { JobEngine } from '../../jobs/job-engine.js';
import type { Logger } from '../../logger.js';

type JobInteraction = ChatInputCommandInteraction<'cached'> | ButtonInteraction<'cached'> | MessageContextMenuCommandInteraction<'cached'>;

/** The ids a job needs to answer this interaction, now or after a restart. */
export function originOf(interaction: JobInteraction, trigger: JobTrigger, source?: JobOrigin['source']): JobOrigin {
	return {
		guildId: interaction.guildId,
		channelId: interaction.channelId,
		userId: interaction.user.id,
		locale: localeOf(interaction),
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
 * Acknowledges publicly and hands the job to the engine. A failed defer (a late interaction)
 * does not lose the job: it then reports through the channel instead.
 */
export async function deferAndStart(interaction: JobInteraction, jobId: string, engine: JobEngine, log: Logger): Promise<void> {
	try {
		const response = await interaction.deferReply({ withResponse: true });
		const cardId = response.resource?.message?.id;
		if (cardId) await engine.recordCard(jobId, cardId);
	} catch (error) {
		log.warn({ err: error, jobId }, 'defer failed; the job will report in the channel');
	}
	await engine.start(jobId);
}
