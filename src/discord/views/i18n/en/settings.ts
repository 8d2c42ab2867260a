/** The words of /animate-settings: the settings in force and what was just changed. */
import { channel } from '../../format.js';
import type { Formats } from '../formats.js';

export const enSettings = (f: Formats) => {
	const modelDefault = "(the model's)";
	return {
		'settings.title': () => 'animate-bot settings for this server',
		'settings.title-in-force': () => 'In force in this server',
		'settings.channels': (p: { allowed: readonly string[] }) => `**Channels:** ${p.allowed.length ? f.list(p.allowed.map(channel)) : 'all'}`,
		'settings.reactions': (p: { enabled: boolean; emoji: string; ownerEnabled: boolean }) =>
			`**Reaction trigger:** ${p.enabled ? `on, ${p.emoji}` : 'off'}${p.enabled && !p.ownerEnabled ? ' (waiting for the bot owner to set REACTION_TRIGGER=on)' : ''}`,
		'settings.defaults': (p: { motion?: number; noise?: number; steps?: number }) =>
			`**Defaults:** ${[`motion ${p.motion ?? modelDefault}`, `noise ${p.noise ?? modelDefault}`, `steps ${p.steps ?? modelDefault}`].join(', ')}`,
		'settings.model': (p: { label: string; id: string; price: string; options: readonly string[] }) =>
			`**Default model:** ${p.label} (\`${p.id}\`), ${p.price}; takes ${f.list(p.options.map((option) => `\`${option}\``))}`,
		'settings.models': (p: { models: readonly { label: string; price: string }[] }) =>
			`**Models members may pick:** ${f.list(p.models.map((model) => `${model.label} (${model.price})`))}`,
		'settings.limits': (p: { perUser: number; cooldownSeconds: number; perDay: number }) =>
			`**Limits:** ${f.number(p.perUser)} in the works per member, ${f.number(p.cooldownSeconds)} s between a member's videos, ${f.number(p.perDay)} per day here`,
		'settings.cap': (p: { capUsd: number | null; usedUsd: number }) =>
			`**Monthly spend cap:** ${p.capUsd === null ? 'none' : `${f.usd(p.capUsd)} (${f.usd(p.usedUsd)} used this month)`}`,
		'settings.changed.channel-allowed': (p: { channelId: string }) => `✅ Videos allowed in ${channel(p.channelId)}.`,
		'settings.changed.channel-denied': (p: { channelId: string }) => `✅ No more videos in ${channel(p.channelId)}.`,
		'settings.changed.all-channels': () => '✅ Videos allowed in every channel.',
		'settings.changed.reactions-on': () => '✅ Reaction trigger on.',
		'settings.changed.reactions-off': () => '✅ Reaction trigger off.',
		'settings.changed.defaults': () => '✅ Defaults saved.',
		'settings.changed.models': () => '✅ Models saved.',
		'settings.changed.limits': () => '✅ Limits saved.',
		'settings.changed.reset': () => '✅ Everything is back to the defaults.',
	};
};

export type SettingsMessages = ReturnType<typeof enSettings>;
