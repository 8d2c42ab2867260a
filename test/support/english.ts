import { messagesFor } from '../../src/discord/views/i18n/index.js';

/** The messages a member with Discord's default locale (en-US) reads: what most tests assert on. */
export const en = messagesFor('en-US');
