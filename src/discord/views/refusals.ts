import type { Refusal } from '../../domain/refusal.js';
import { user } from './format.js';
import type { Messages } from './i18n/index.js';
import { truncate, DISCORD_LIMITS } from './truncate.js';

/** A refusal in words, within a message's length. */
export function refusalText(refusal: Refusal, m: Messages): string {
	const word = m[`refusal.${refusal.kind}`] as (params: Refusal) => string;
	return truncate(word(refusal), DISCORD_LIMITS.content);
}

/** Text addressed to a member in a public channel: their mention first. */
export const addressed = (userId: string, text: string, m: Messages): string =>
	truncate(m['mention.prefix']({ userId, text }), DISCORD_LIMITS.content);

/** A bare mention, for a card posted in a channel. */
export const mention = (userId: string): string => user(userId);
