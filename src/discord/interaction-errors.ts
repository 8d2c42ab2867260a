import { MessageFlags, type RepliableInteraction } from 'discord.js';
import { newErrorId } from '../domain/errors.js';
import { Refused } from '../domain/refusal.js';
import type { Logger } from '../logger.js';
import { messagesOf } from './views/i18n/index.js';
import { refusalText } from './views/refusals.js';

/**
 * Tells the member what went wrong without leaking internals. A refusal is shown privately as the
 * views word it; anything else is logged with an id that the member sees.
 */
export async function reportInteractionError(interaction: RepliableInteraction, error: unknown, log: Logger): Promise<void> {
	const m = messagesOf(interaction);
	let content: string;
	if (error instanceof Refused) {
		content = refusalText(error.refusal, m);
		log.debug({ interactionId: interaction.id, userId: interaction.user.id, refusal: error.refusal.kind }, 'request refused');
	} else {
		const errorId = newErrorId();
		content = m['error.unexpected']({ errorId });
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
