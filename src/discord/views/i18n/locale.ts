/** The languages the catalogue speaks, and how a Discord locale maps to one. */

export const LANGUAGES = ['en', 'fr', 'de', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Discord's own default locale: what a member without a catalogued language, in a server without one, gets. */
export const DEFAULT_LOCALE = 'en-US';

const isLanguage = (text: string): text is Language => (LANGUAGES as readonly string[]).includes(text);

/**
 * The catalogue language of a Discord locale (`fr`, `de`, `es-ES`, `es-419`, `en-GB`…), by its
 * language subtag; undefined for a language the catalogue lacks, or for text that is no locale.
 */
export function languageOf(locale: string | null | undefined): Language | undefined {
	if (!locale) return undefined;
	const language = locale.split(/[-_]/)[0]!.toLowerCase();
	return isLanguage(language) ? language : undefined;
}

/**
 * The locale a member is answered in: theirs when the catalogue speaks its language, else the
 * server's (`guild_locale`), else English. Kept whole (`es-419`, not `es`) because numbers and
 * prices are written the local way: `0.21` in Mexico, `0,21` in Spain.
 */
export function pickLocale(locale?: string | null, guildLocale?: string | null): string {
	for (const candidate of [locale, guildLocale]) {
		if (candidate && languageOf(candidate) && isValidLocale(candidate)) return candidate;
	}
	return DEFAULT_LOCALE;
}

function isValidLocale(locale: string): boolean {
	try {
		return Intl.getCanonicalLocales(locale).length === 1;
	} catch {
		return false;
	}
}
