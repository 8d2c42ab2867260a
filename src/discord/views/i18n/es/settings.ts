/** Las palabras de /animate-settings en español. */
import { channel } from '../../format.js';
import type { SettingsMessages } from '../en/settings.js';
import type { Formats } from '../formats.js';

export const esSettings = (f: Formats): SettingsMessages => {
	const modelDefault = '(el del modelo)';
	return {
		'settings.title': () => 'Ajustes de animate-bot para este servidor',
		'settings.title-in-force': () => 'Vigente en este servidor',
		'settings.channels': (p) => `**Canales:** ${p.allowed.length ? f.and(p.allowed.map(channel)) : 'todos'}`,
		'settings.reactions': (p) =>
			`**Activación por reacción:** ${p.enabled ? `activada, ${p.emoji}` : 'desactivada'}${p.enabled && !p.ownerEnabled ? ' (a la espera de que quien gestiona el bot configure REACTION_TRIGGER=on)' : ''}`,
		'settings.defaults': (p) =>
			`**Valores predeterminados:** ${[`motion ${p.motion ?? modelDefault}`, `noise ${p.noise ?? modelDefault}`, `steps ${p.steps ?? modelDefault}`].join(', ')}`,
		'settings.model': (p) =>
			`**Modelo predeterminado:** ${p.label} (\`${p.id}\`), ${p.price}; admite ${f.and(p.options.map((option) => `\`${option}\``))}`,
		'settings.models': (p) => `**Modelos que pueden elegir los miembros:** ${f.and(p.models.map((model) => `${model.label} (${model.price})`))}`,
		'settings.limits': (p) =>
			`**Límites:** ${f.number(p.perUser)} en curso por miembro, ${f.number(p.cooldownSeconds)} s entre vídeos de un miembro, ${f.number(p.perDay)} al día aquí`,
		'settings.cap': (p) =>
			`**Límite de gasto mensual:** ${p.capUsd === null ? 'ninguno' : `${f.usd(p.capUsd)} (${f.usd(p.usedUsd)} usados este mes)`}`,
		'settings.changed.channel-allowed': (p) => `✅ Vídeos permitidos en ${channel(p.channelId)}.`,
		'settings.changed.channel-denied': (p) => `✅ Ya no se permiten vídeos en ${channel(p.channelId)}.`,
		'settings.changed.all-channels': () => '✅ Vídeos permitidos en todos los canales.',
		'settings.changed.reactions-on': () => '✅ Activación por reacción activada.',
		'settings.changed.reactions-off': () => '✅ Activación por reacción desactivada.',
		'settings.changed.defaults': () => '✅ Valores predeterminados guardados.',
		'settings.changed.models': () => '✅ Modelos guardados.',
		'settings.changed.limits': () => '✅ Límites guardados.',
		'settings.changed.reset': () => '✅ Todo ha vuelto a los valores predeterminados.',
	};
};
