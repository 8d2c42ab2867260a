import { describe, expect, it } from 'vitest';
import {
	CATALOGUES,
	DEFAULT_LOCALE,
	LANGUAGES,
	languageOf,
	messagesFor,
	pickLocale,
	type Language,
	type MessageId,
} from '../../../../src/discord/views/i18n/index.js';
import { formatsFor } from '../../../../src/discord/views/i18n/formats.js';
import { renderEvery } from '../../../support/message-samples.js';

const english = messagesFor('en-US');
const IDS = Object.keys(english).sort();

/**
 * Messages a language words exactly as English does, because they are names, markup or symbols
 * (a file name, "Prompt", "FPS", "5 s"). Any other message that reads as in English was not translated.
 */
const SAME_AS_ENGLISH: Record<Exclude<Language, 'en'>, readonly MessageId[]> = {
	fr: ['note.text', 'mention.prefix', 'result.title', 'result.prompt', 'result.seconds', 'help.title', 'model.choice'],
	de: ['note.text', 'mention.prefix', 'result.title', 'result.prompt', 'result.seconds', 'help.title', 'model.choice', 'result.seed', 'result.fps'],
	es: ['note.text', 'mention.prefix', 'result.title', 'result.prompt', 'result.seconds', 'help.title', 'model.choice', 'result.fps', 'result.no'],
};

/** Every rendering of each message, by id, in one locale. */
function rendered(locale: string): Map<MessageId, string[]> {
	const byId = new Map<MessageId, string[]>();
	for (const [id, text] of renderEvery(messagesFor(locale))) byId.set(id, [...(byId.get(id) ?? []), text]);
	return byId;
}

describe.each(LANGUAGES)('the %s catalogue', (language) => {
	// Built directly, not through messagesFor: a language that silently fell back to English would pass otherwise.
	const catalogue = CATALOGUES[language];
	const messages = catalogue.build(formatsFor(language, catalogue.units));

	it('has a message for every message id, and no other', () => {
		// The compiler already refuses a missing or extra id; this catches a cast or a Partial slipping through.
		expect(Object.keys(messages).sort()).toEqual(IDS);
		for (const id of IDS) expect(typeof messages[id as MessageId], id).toBe('function');
	});
});

// English against English could only pass: the other languages are held against it.
describe.each(Object.keys(SAME_AS_ENGLISH) as Exclude<Language, 'en'>[])('the %s catalogue against English', (language) => {
	it('words every message in its own language, not in English', () => {
		const ours = rendered(language);
		const theirs = rendered('en-US');
		const untranslated = IDS.filter((id) => ours.get(id as MessageId)!.every((text, i) => text === theirs.get(id as MessageId)![i]));
		expect(untranslated.sort()).toEqual([...SAME_AS_ENGLISH[language]].sort());
	});
});

describe('choosing the language', () => {
	const says = (locale?: string | null, guildLocale?: string | null) => messagesFor(locale, guildLocale)['button.cancel']();

	it('answers in the member’s locale when the catalogue has its language', () => {
		expect(says('fr')).toBe('Annuler');
		expect(says('de')).toBe('Abbrechen');
		expect(says('es-ES')).toBe('Cancelar');
		expect(says('es-419')).toBe('Cancelar');
		expect(says('en-US')).toBe('Cancel');
		expect(says('en-GB')).toBe('Cancel');
	});

	it('lets the member’s locale win over the server’s, even when it is English', () => {
		expect(says('en-US', 'de')).toBe('Cancel');
		expect(says('fr', 'de')).toBe('Annuler');
		expect(pickLocale('en-GB', 'fr')).toBe('en-GB');
	});

	it('falls back to the server’s locale, then to English, for a language the catalogue lacks', () => {
		expect(says('ja', 'de')).toBe('Abbrechen');
		expect(says('ja', 'es-419')).toBe('Cancelar');
		expect(says('ja', 'ko')).toBe('Cancel');
		expect(says('ja')).toBe('Cancel');
		expect(says(undefined, 'fr')).toBe('Annuler');
		expect(says(null, null)).toBe('Cancel');
		expect(pickLocale('ja', 'ko')).toBe(DEFAULT_LOCALE);
	});

	it('ignores text that is no locale', () => {
		expect(languageOf('french')).toBeUndefined();
		expect(pickLocale('fr-', 'de')).toBe('de');
		expect(says('', '')).toBe('Cancel');
	});

	it('keeps the whole locale, so numbers are written the local way', () => {
		const cap = { capUsd: 12_500.5, usedUsd: 0.075 };
		expect(messagesFor('en-US')['settings.cap'](cap)).toBe('**Monthly spend cap:** $12,500.50 ($0.075 used this month)');
		expect(messagesFor('fr')['settings.cap'](cap)).toBe(
			'**Plafond mensuel de dépenses :** 12\u202f500,50\u00a0$US (0,075\u00a0$US utilisés ce mois-ci)',
		);
		expect(messagesFor('de')['settings.cap'](cap)).toBe('**Monatliches Ausgabenlimit:** 12.500,50\u00a0$ (0,075\u00a0$ in diesem Monat verbraucht)');
		expect(messagesFor('es-ES')['settings.cap'](cap)).toMatch(/^\*\*Límite de gasto mensual:\*\* 12\.500,50\u00a0US\$/);
		expect(messagesFor('es-419')['settings.cap'](cap)).toMatch(/^\*\*Límite de gasto mensual:\*\* USD\u00a012,500\.50/);
	});

	it('leaves four-digit numbers ungrouped, as English always wrote them', () => {
		expect(english['refusal.daily-limit']({ limit: 1000, resetsAt: 0 })).toContain('its 1000 videos');
		expect(english['settings.cap']({ capUsd: 1000, usedUsd: 0 })).toContain('$1000.00');
	});
});

describe('plurals follow the language’s own rules (Intl.PluralRules)', () => {
	const videos = (locale: string, active: number) => messagesFor(locale)['refusal.too-many-jobs']({ active, limit: 5 });
	const frames = (locale: string, n: number) => messagesFor(locale)['result.frames']({ frames: n });

	it('in English and German, one is singular and zero is plural', () => {
		expect(videos('en-US', 1)).toContain('1 video in the works');
		expect(videos('en-US', 2)).toContain('2 videos in the works');
		expect(frames('en-US', 0)).toBe('0 frames');
		expect(videos('de', 1)).toContain('1 Video in Arbeit');
		expect(videos('de', 3)).toContain('3 Videos in Arbeit');
	});

	it('in French, zero and one are both singular', () => {
		expect(frames('fr', 0)).toBe('0 image');
		expect(frames('fr', 1)).toBe('1 image');
		expect(frames('fr', 2)).toBe('2 images');
		expect(videos('fr', 1)).toContain('1 vidéo en cours');
	});

	it('in Spanish, one is singular', () => {
		expect(frames('es-ES', 1)).toBe('1 fotograma');
		expect(frames('es-419', 25)).toBe('25 fotogramas');
	});

	it('words lists with the language’s own conjunction where a sentence needs one', () => {
		const allowed = { allowed: ['1', '2', '3'] };
		expect(messagesFor('en-US')['refusal.channel-not-allowed'](allowed)).toContain('in <#1>, <#2>, <#3>.');
		expect(messagesFor('fr')['refusal.channel-not-allowed'](allowed)).toContain('dans <#1>, <#2> et <#3>.');
		expect(messagesFor('de')['refusal.channel-not-allowed'](allowed)).toContain('in <#1>, <#2> und <#3>.');
		expect(messagesFor('es-ES')['refusal.channel-not-allowed'](allowed)).toContain('en <#1>, <#2> y <#3>.');
		const choices = { model: 'Hailuo 02', option: 'resolution', values: ['512P', '768P'] };
		expect(messagesFor('fr')['refusal.option-not-a-choice'](choices)).toBe('Pour `resolution`, Hailuo 02 accepte uniquement `512P` ou `768P`.');
	});
});
