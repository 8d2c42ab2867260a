/**
 * What Discord shows of the commands in each member's language (names, descriptions, /animate's
 * option descriptions), taken from the message catalogue so replies and commands never disagree.
 */
import type { DescribedOption } from './help-card.js';
import { LANGUAGES, messagesFor, type Language, type Messages } from './i18n/index.js';

/** The Discord locales each catalogued language answers to; English is the commands' own text. */
const DISCORD_LOCALES: Readonly<Record<Exclude<Language, 'en'>, readonly string[]>> = { fr: ['fr'], de: ['de'], es: ['es-ES', 'es-419'] };

/** One text in every Discord locale the catalogue speaks, e.g. `{ fr: …, de: …, 'es-ES': …, 'es-419': … }`. */
export function localizations(word: (m: Messages) => string): Record<string, string> {
	const languages = LANGUAGES.filter((language): language is Exclude<Language, 'en'> => language !== 'en');
	return Object.fromEntries(languages.flatMap((language) => DISCORD_LOCALES[language].map((locale) => [locale, word(messagesFor(locale))])));
}

export const COMMAND_LOCALIZATIONS = {
	animate: { description_localizations: localizations((m) => m['command.animate']()) },
	animateImage: { name_localizations: localizations((m) => m['command.animate-image']()) },
	help: { description_localizations: localizations((m) => m['command.animate-help']()) },
	optout: { description_localizations: localizations((m) => m['command.animate-optout']()) },
	optoutUndo: { description_localizations: localizations((m) => m['command.animate-optout.undo']()) },
	// Only the command's own description: its many subcommands and options are for server admins, in English for now.
	settings: { description_localizations: localizations((m) => m['command.animate-settings']()) },
} as const;

/** /animate's options as registered, each with its description in every catalogued language. */
export function withOptionDescriptions<T extends { readonly options?: readonly { readonly name: string }[] }>(command: T): T {
	if (!command.options) return command;
	const described = command.options.map((option) => ({
		...option,
		description_localizations: localizations((m) => m[`option.${option.name as DescribedOption}`]()),
	}));
	return { ...command, options: described };
}
