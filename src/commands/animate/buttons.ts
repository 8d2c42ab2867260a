import { MessageFlags, type ButtonInteraction } from 'discord.js';
import type { Services } from '../../services/index.js';
import { parseCustomId } from '../../services/progress.js';
import { deferAndStart, interactionRef } from './interaction-ref.js';

const CANCEL_REPLY = {
	'not-yours': 'Only the person who started this job can cancel it.',
	unknown: 'That job has already finished.',
	finished: 'Too late: the video is already being posted.',
} as const;

/** Handles the Cancel and Try again buttons on progress replies. Returns false if not ours. */
export async function handleAnimateButton(interaction: ButtonInteraction<'cached'>, { animator, log }: Services): Promise<boolean> {
	const parsed = parseCustomId(interaction.customId);
	if (!parsed) return false;
	if (parsed.action === 'cancel') {
		const outcome = animator.cancel(parsed.jobId, interaction.user.id);
		if (outcome === 'cancelled') {
			// The job's own progress edit shows the result; this only acknowledges the click.
			await interaction.deferUpdate();
		} else {
			await interaction.reply({ content: CANCEL_REPLY[outcome], flags: MessageFlags.Ephemeral });
		}
		return true;
	}
	const job = animator.retry(parsed.jobId, interaction.user.id, interactionRef(interaction));
	log.info({ jobId: job.id, retryOf: parsed.jobId }, 'retry accepted');
	await deferAndStart(interaction, job.id, animator, log);
	return true;
}
