/**
 * The message catalogue: every word the bot says to members, in the member's language. Views take
 * a `Messages` and word their texts from it and nothing else; callers pick it with `messagesFor`
 * from the interaction (the member's locale, then the server's) or from the job's stored locale.
 */
import { de } from './de/index.js';
import { en, type Catalogue, type Messages } from './en/index.js';
import { es } from './es/index.js';
import { formatsFor } from './formats.js';
import { fr } from './fr/index.js';
import { languageOf, pickLocale, type Language } from './locale.js';

export type { Catalogue, MessageId, Messages } from './en/index.js';
export { DEFAULT_LOCALE, LANGUAGES, languageOf, pickLocale, type Language } from './locale.js';

export const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en, fr, de, es };

/** Built once per locale: a handful of Intl formatters and closures, reused by every card edit. */
const built = new Map<string, Messages>();

/**
 * The messages for a member: in their locale when the catalogue has its language, else in the
 * server's, else in English (`fr` → French, `es-419` and `es-ES` → Spanish, `ja` → the server's).
 */
export function messagesFor(locale?: string | null, guildLocale?: string | null): Messages {
	const chosen = pickLocale(locale, guildLocale);
	let messages = built.get(chosen);
	if (!messages) {
		const catalogue = CATALOGUES[languageOf(chosen) ?? 'en'];
		messages = catalogue.build(formatsFor(chosen, catalogue.units));
		// Discord has a few dozen locales; anything else that reached here is not worth keeping.
		if (built.size < 64) built.set(chosen, messages);
	}
	return messages;
}

/** What an interaction says about language: the member's client locale, and the server's preferred one (none outside a server). */
export interface Speaker {
	readonly locale?: string | null;
	readonly guildLocale?: string | null;
}

/** The locale to answer an interaction in, for a job to keep. */
export const localeOf = (interaction: Speaker): string => pickLocale(interaction.locale, interaction.guildLocale);

/** The messages to answer an interaction with. */
export const messagesOf = (interaction: Speaker): Messages => messagesFor(interaction.locale, interaction.guildLocale);
