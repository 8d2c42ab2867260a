import {
	ApplicationIntegrationType,
	InteractionContextType,
	type ButtonInteraction,
	type ChatInputCommandInteraction,
	type MessageContextMenuCommandInteraction,
} from 'discord.js';
import type { JobOrigin, JobTrigger } from '../../domain/job.js';
import { localeOf } from '../../discord/views/i18n/index.js';
import { DEFAULT_ATTACHMENT_LIMIT } from '../../domain/media.js';
import type { JobEngine } from '../../jobs/job-engine.js';
import type { Logger } from '../../logger.js';

/** Any interaction that starts a job, wherever it comes from: a server, the bot's DM, a group DM. */
export type JobInteraction = ChatInputCommandInteraction | ButtonInteraction | MessageContextMenuCommandInteraction;

/**
 * The server whose settings apply: one that installed the bot (Discord names it among the
 * interaction's authorizing owners). A member's own installation brings no server policy along.
 */
export function policyServer(interaction: Pick<JobInteraction, 'guildId' | 'authorizingIntegrationOwners'>): string {
	const installedBy = interaction.authorizingIntegrationOwners[ApplicationIntegrationType.GuildInstall];
	return interaction.guildId !== null && installedBy === interaction.guildId ? interaction.guildId : '';
}

/** The ids a job needs to answer this interaction, now or after a restart. */
export function originOf(interaction: JobInteraction, trigger: JobTrigger, source?: JobOrigin['source']): JobOrigin {
	// The bot sees the channel in a server it is in (cached) and in its own DM; elsewhere it is a
	// user-installed app: only the interaction reaches the member.
	const seesChannel = interaction.inCachedGuild() || interaction.context === InteractionContextType.BotDM;
	return {
		guildId: policyServer(interaction),
		reach: seesChannel ? 'channel' : 'interaction',
		channelId: interaction.channelId ?? '',
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
