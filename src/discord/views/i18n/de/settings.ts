/** Die Wörter von /animate-settings auf Deutsch. */
import { channel } from '../../format.js';
import type { SettingsMessages } from '../en/settings.js';
import type { Formats } from '../formats.js';

export const deSettings = (f: Formats): SettingsMessages => {
	const modelDefault = '(Standard des Modells)';
	return {
		'settings.title': () => 'animate-bot-Einstellungen für diesen Server',
		'settings.title-in-force': () => 'Auf diesem Server gültig',
		'settings.channels': (p) => `**Kanäle:** ${p.allowed.length ? f.and(p.allowed.map(channel)) : 'alle'}`,
		'settings.reactions': (p) =>
			`**Auslösen per Reaktion:** ${p.enabled ? `an, ${p.emoji}` : 'aus'}${p.enabled && !p.ownerEnabled ? ' (wartet darauf, dass der Bot-Betreiber REACTION_TRIGGER=on setzt)' : ''}`,
		'settings.defaults': (p) =>
			`**Standardwerte:** ${[`motion ${p.motion ?? modelDefault}`, `noise ${p.noise ?? modelDefault}`, `steps ${p.steps ?? modelDefault}`].join(', ')}`,
		'settings.model': (p) =>
			`**Standardmodell:** ${p.label} (\`${p.id}\`), ${p.price}; unterstützt ${f.and(p.options.map((option) => `\`${option}\``))}`,
		'settings.models': (p) => `**Für Mitglieder wählbare Modelle:** ${f.and(p.models.map((model) => `${model.label} (${model.price})`))}`,
		'settings.limits': (p) =>
			`**Limits:** ${f.number(p.perUser)} gleichzeitig pro Mitglied, ${f.number(p.cooldownSeconds)} s zwischen zwei Videos eines Mitglieds, ${f.number(p.perDay)} pro Tag hier`,
		'settings.cap': (p) =>
			`**Monatliches Ausgabenlimit:** ${p.capUsd === null ? 'keines' : `${f.usd(p.capUsd)} (${f.usd(p.usedUsd)} in diesem Monat verbraucht)`}`,
		'settings.changed.channel-allowed': (p) => `✅ Videos in ${channel(p.channelId)} erlaubt.`,
		'settings.changed.channel-denied': (p) => `✅ Keine Videos mehr in ${channel(p.channelId)}.`,
		'settings.changed.all-channels': () => '✅ Videos in allen Kanälen erlaubt.',
		'settings.changed.reactions-on': () => '✅ Auslösen per Reaktion an.',
		'settings.changed.reactions-off': () => '✅ Auslösen per Reaktion aus.',
		'settings.changed.defaults': () => '✅ Standardwerte gespeichert.',
		'settings.changed.models': () => '✅ Modelle gespeichert.',
		'settings.changed.limits': () => '✅ Limits gespeichert.',
		'settings.changed.reset': () => '✅ Alles ist wieder auf den Standardwerten.',
	};
};
