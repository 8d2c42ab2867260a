import { describe, expect, it } from 'vitest';
import { AnimateCommand } from '../../../src/commands/animate/definition.js';
import { AnimateImageCommand } from '../../../src/commands/animate-image/definition.js';
import { commandDefinitions } from '../../../src/commands/index.js';
import { HelpCommand } from '../../../src/commands/help/definition.js';
import { OptOutCommand } from '../../../src/commands/optout/definition.js';
import { SettingsCommand } from '../../../src/commands/settings/definition.js';
import { messagesFor } from '../../../src/discord/views/i18n/index.js';
import { textLength } from '../../../fakes/discord/message-limits.js';

const LOCALES = ['fr', 'de', 'es-ES', 'es-419'];
const english = messagesFor('en-US');

describe('command text from the catalogue', () => {
	it('says in English exactly what the commands register, so /animate-help and Discord agree', () => {
		expect(english['command.animate']()).toBe(AnimateCommand.description);
		expect(english['command.animate-image']()).toBe(AnimateImageCommand.name);
		for (const option of AnimateCommand.options) expect(english[`option.${option.name}`](), option.name).toBe(option.description);
	});

	it('names the commands in every catalogued language, within Discord’s lengths', () => {
		expect(Object.keys(AnimateCommand.description_localizations).sort()).toEqual([...LOCALES].sort());
		for (const locale of LOCALES) {
			const m = messagesFor(locale);
			expect(AnimateCommand.description_localizations[locale as 'fr']).toBe(m['command.animate']());
			expect(AnimateImageCommand.name_localizations[locale as 'fr']).toBe(m['command.animate-image']());
			expect(textLength(m['command.animate']())).toBeLessThanOrEqual(100);
			expect(textLength(m['command.animate-image']())).toBeLessThanOrEqual(32);
		}
		expect(AnimateCommand.description_localizations['es-419' as 'fr']).toBe('Convertir una imagen fija en un vídeo corto');
	});

	it('describes /animate-help, /animate-optout (and its undo) and /animate-settings in every catalogued language', () => {
		const described = [
			[HelpCommand, 'command.animate-help'],
			[OptOutCommand, 'command.animate-optout'],
			[OptOutCommand.options[0], 'command.animate-optout.undo'],
			[SettingsCommand, 'command.animate-settings'],
		] as const;
		for (const [command, key] of described) {
			expect(english[key](), key).toBe(command.description);
			expect(Object.keys(command.description_localizations).sort(), key).toEqual([...LOCALES].sort());
			for (const [locale, text] of Object.entries(command.description_localizations)) {
				expect(text, `${key} ${locale}`).toBe(messagesFor(locale)[key]());
				expect(text, `${key} ${locale}`).not.toBe(command.description);
				expect(textLength(text)).toBeLessThanOrEqual(100);
			}
		}
		expect(OptOutCommand.description_localizations['de' as 'fr']).toBe('Anderen verbieten, deine Bilder zu animieren (undo:True erlaubt es wieder)');
	});

	it('registers every /animate option with its description in every catalogued language', () => {
		const registered = commandDefinitions.find((command) => command.name === 'animate') as {
			options: { name: string; description: string; description_localizations: Record<string, string> }[];
		};
		expect(registered.options.map((option) => option.name)).toEqual(AnimateCommand.options.map((option) => option.name));
		for (const option of registered.options) {
			expect(Object.keys(option.description_localizations).sort(), option.name).toEqual([...LOCALES].sort());
			for (const [locale, text] of Object.entries(option.description_localizations)) {
				expect(text, `${option.name} ${locale}`).toBe(messagesFor(locale)[`option.${option.name}` as 'option.image']());
				expect(textLength(text)).toBeGreaterThan(0);
				expect(textLength(text)).toBeLessThanOrEqual(100);
			}
		}
		// The other commands go as they are defined: their options (motion, noise…) mean other things.
		expect(commandDefinitions.find((command) => command.name === 'animate-settings')).toBe(SettingsCommand);
	});
});
