import { randomUUID } from 'node:crypto';
import { MessageFlags, type RepliableInteraction } from 'discord.js';
import { UserError } from './errors.js';
import type { Logger } from './logger.js';

/** Short enough to read out loud to an admin, long enough to find in the logs. */
export function newErrorId(): string {
	return randomUUID().slice(0, 8);
}

/**
 * Tells the user what went wrong without leaking internals. A UserError is their mistake and is
 * shown privately; everything else is logged with an id that the user sees.
 */
export async function reportInteractionError(interaction: RepliableInteraction, error: unknown, log: Logger): Promise<void> {
	let content: string;
	if (error instanceof UserError) {
		content = error.message;
		log.debug({ interactionId: interaction.id, userId: interaction.user.id, reason: error.message }, 'request refused');
	} else {
		const errorId = newErrorId();
		content = `Something went wrong on our side (error id \`${errorId}\`). Please try again in a moment.`;
		log.error(
			{ err: error, errorId, interactionId: interaction.id, userId: interaction.user.id, guildId: interaction.guildId },
			'interaction failed',
		);
	}
	try {
		if (!interaction.deferred && !interaction.replied) {
			await interaction.reply({ content, flags: MessageFlags.Ephemeral });
			return;
		}
		// A public deferred reply cannot turn private, so the refusal goes in a private
		// follow-up and the public "thinking…" placeholder is removed.
		if (interaction.deferred && !interaction.ephemeral) {
			await interaction.deleteReply().catch(() => undefined);
		}
		await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
	} catch (replyError) {
		log.warn({ err: replyError, interactionId: interaction.id }, 'could not tell the user about an error');
	}
}
