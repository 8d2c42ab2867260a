import { MessageFlags, PermissionFlagsBits, type ButtonInteraction } from 'discord.js';
import type { Services } from '../../services/index.js';
import { parseCustomId } from '../../services/progress.js';
import { STRINGS } from '../../strings.js';
import { deferAndStart, originOf } from './origin.js';

const CANCEL_REPLY = {
	'not-yours': 'Only the person who started this job can cancel it.',
	unknown: 'That job has already finished.',
	finished: 'Too late: the video is already being posted.',
} as const;

/**
 * The buttons on progress cards (Cancel, Try again) and on results (Reroll, More/Less motion,
 * Delete). Everything is read from the database by the job id in the custom id, so they keep
 * working after a restart. Returns false if the button is not ours.
 */
export async function handleAnimateButton(interaction: ButtonInteraction<'cached'>, { animator, log }: Services): Promise<boolean> {
	const parsed = parseCustomId(interaction.customId);
	if (!parsed) return false;
	const { action, jobId } = parsed;
	switch (action) {
		case 'cancel': {
			const outcome = animator.cancel(jobId, interaction.user.id);
			// When cancelled, the job's own card edit shows it; the click only needs acknowledging.
			if (outcome === 'cancelled') await interaction.deferUpdate();
			else await interaction.reply({ content: CANCEL_REPLY[outcome], flags: MessageFlags.Ephemeral });
			return true;
		}
		case 'delete': {
			const canManage = interaction.memberPermissions.has(PermissionFlagsBits.ManageMessages);
			if (!animator.mayDelete(jobId, interaction.user.id, canManage)) {
				await interaction.reply({ content: STRINGS.notAllowedToDelete, flags: MessageFlags.Ephemeral });
				return true;
			}
			await interaction.message.delete();
			log.info({ jobId, by: interaction.user.id }, 'result deleted');
			await interaction.reply({ content: STRINGS.deleted, flags: MessageFlags.Ephemeral });
			return true;
		}
		default: {
			const job = animator.followUp(jobId, action, originOf(interaction, 'button'));
			log.info({ jobId: job.id, from: jobId, action }, 'follow-up accepted');
			await deferAndStart(interaction, job.id, animator, log);
			return true;
		}
	}
}
