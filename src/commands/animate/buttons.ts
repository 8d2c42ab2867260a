import { MessageFlags, PermissionFlagsBits, type ButtonInteraction } from 'discord.js';
import type { Services } from '../../context.js';
import { parseCustomId } from '../../discord/custom-ids.js';
import { messagesOf } from '../../discord/views/i18n/index.js';
import { refuse } from '../../domain/refusal.js';
import { deferAndStart, originOf } from './origin.js';

/**
 * The buttons on progress cards (Cancel, Try again) and on results (Reroll, More/Less motion,
 * Delete). Everything is read from the database by the job id in the custom id, so they keep
 * working after a restart. Returns false if the button is not ours.
 */
export async function handleAnimateButton(interaction: ButtonInteraction, { engine, log }: Services): Promise<boolean> {
	const parsed = parseCustomId(interaction.customId);
	if (!parsed) return false;
	const { action, jobId } = parsed;
	switch (action) {
		case 'cancel': {
			await engine.cancel(jobId, interaction.user.id);
			// The job's own card edit shows the cancellation; the click only needs acknowledging.
			await interaction.deferUpdate();
			return true;
		}
		case 'delete': {
			const canManage = interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;
			if (!(await engine.mayDelete(jobId, interaction.user.id, canManage))) refuse({ kind: 'delete-not-allowed' });
			if (interaction.inCachedGuild()) await interaction.message.delete();
			else {
				// Outside a cached server (a user installation, the bot's DMs) the message goes through the
				// interaction, whose "original" is the message the button is on.
				await interaction.deferUpdate();
				await interaction.deleteReply();
			}
			log.info({ jobId, by: interaction.user.id }, 'result deleted');
			const done = { content: messagesOf(interaction)['delete.done'](), flags: MessageFlags.Ephemeral } as const;
			await (interaction.deferred ? interaction.followUp(done) : interaction.reply(done));
			return true;
		}
		default: {
			const job = await engine.followUp(jobId, action, originOf(interaction, 'button'));
			log.info({ jobId: job.id, from: jobId, action }, 'follow-up accepted');
			await deferAndStart(interaction, job.id, engine, log);
			return true;
		}
	}
}
