/** Les mots de /animate-settings, en français. */
import { channel } from '../../format.js';
import type { SettingsMessages } from '../en/settings.js';
import type { Formats } from '../formats.js';

export const frSettings = (f: Formats): SettingsMessages => {
	const modelDefault = '(celle du modèle)';
	return {
		'settings.title': () => 'Paramètres d’animate-bot pour ce serveur',
		'settings.title-in-force': () => 'En vigueur sur ce serveur',
		'settings.channels': (p) => `**Salons :** ${p.allowed.length ? f.and(p.allowed.map(channel)) : 'tous'}`,
		'settings.reactions': (p) =>
			`**Déclenchement par réaction :** ${p.enabled ? `activé, ${p.emoji}` : 'désactivé'}${p.enabled && !p.ownerEnabled ? ' (en attente que le propriétaire du bot définisse REACTION_TRIGGER=on)' : ''}`,
		'settings.defaults': (p) =>
			`**Valeurs par défaut :** ${[`motion ${p.motion ?? modelDefault}`, `noise ${p.noise ?? modelDefault}`, `steps ${p.steps ?? modelDefault}`].join(', ')}`,
		'settings.model': (p) =>
			`**Modèle par défaut :** ${p.label} (\`${p.id}\`), ${p.price} ; accepte ${f.and(p.options.map((option) => `\`${option}\``))}`,
		'settings.models': (p) => `**Modèles au choix des membres :** ${f.and(p.models.map((model) => `${model.label} (${model.price})`))}`,
		'settings.limits': (p) =>
			`**Limites :** ${f.number(p.perUser)} en cours par membre, ${f.number(p.cooldownSeconds)} s entre deux vidéos d’un membre, ${f.number(p.perDay)} par jour ici`,
		'settings.cap': (p) =>
			`**Plafond mensuel de dépenses :** ${p.capUsd === null ? 'aucun' : `${f.usd(p.capUsd)} (${f.usd(p.usedUsd)} utilisés ce mois-ci)`}`,
		'settings.changed.channel-allowed': (p) => `✅ Vidéos autorisées dans ${channel(p.channelId)}.`,
		'settings.changed.channel-denied': (p) => `✅ Plus de vidéos dans ${channel(p.channelId)}.`,
		'settings.changed.all-channels': () => '✅ Vidéos autorisées dans tous les salons.',
		'settings.changed.reactions-on': () => '✅ Déclenchement par réaction activé.',
		'settings.changed.reactions-off': () => '✅ Déclenchement par réaction désactivé.',
		'settings.changed.defaults': () => '✅ Valeurs par défaut enregistrées.',
		'settings.changed.models': () => '✅ Modèles enregistrés.',
		'settings.changed.limits': () => '✅ Limites enregistrées.',
		'settings.changed.reset': () => '✅ Tout est revenu aux valeurs par défaut.',
	};
};
