/** The words of /animate-settings and /animate-help (part of the message catalogue). */
import { channel, list, usd } from './format.js';

const MODEL_DEFAULT = "(the model's)";

export const enSettings = {
	'settings.title': () => 'animate-bot settings for this server',
	'settings.title-in-force': () => 'In force in this server',
	'settings.channels': (p: { allowed: readonly string[] }) => `**Channels:** ${p.allowed.length ? list(p.allowed.map(channel)) : 'all'}`,
	'settings.reactions': (p: { enabled: boolean; emoji: string; ownerEnabled: boolean }) =>
		`**Reaction trigger:** ${p.enabled ? `on, ${p.emoji}` : 'off'}${p.enabled && !p.ownerEnabled ? ' (waiting for the bot owner to set REACTION_TRIGGER=on)' : ''}`,
	'settings.defaults': (p: { motion?: number; noise?: number; steps?: number }) =>
		`**Defaults:** ${[`motion ${p.motion ?? MODEL_DEFAULT}`, `noise ${p.noise ?? MODEL_DEFAULT}`, `steps ${p.steps ?? MODEL_DEFAULT}`].join(', ')}`,
	'settings.model': (p: { label: string; id: string; price: string; options: readonly string[] }) =>
		`**Default model:** ${p.label} (\`${p.id}\`), ${p.price}; takes ${list(p.options.map((option) => `\`${option}\``))}`,
	'settings.models': (p: { models: readonly { label: string; price: string }[] }) =>
		`**Models members may pick:** ${list(p.models.map((model) => `${model.label} (${model.price})`))}`,
	'settings.limits': (p: { perUser: number; cooldownSeconds: number; perDay: number }) =>
		`**Limits:** ${p.perUser} in the works per member, ${p.cooldownSeconds} s between a member's videos, ${p.perDay} per day here`,
	'settings.cap': (p: { capUsd: number | null; usedUsd: number }) =>
		`**Monthly spend cap:** ${p.capUsd === null ? 'none' : `${usd(p.capUsd)} (${usd(p.usedUsd)} used this month)`}`,
	'settings.changed.channel-allowed': (p: { channelId: string }) => `✅ Videos allowed in ${channel(p.channelId)}.`,
	'settings.changed.channel-denied': (p: { channelId: string }) => `✅ No more videos in ${channel(p.channelId)}.`,
	'settings.changed.all-channels': () => '✅ Videos allowed in every channel.',
	'settings.changed.reactions-on': () => '✅ Reaction trigger on.',
	'settings.changed.reactions-off': () => '✅ Reaction trigger off.',
	'settings.changed.defaults': () => '✅ Defaults saved.',
	'settings.changed.models': () => '✅ Models saved.',
	'settings.changed.limits': () => '✅ Limits saved.',
	'settings.changed.reset': () => '✅ Everything is back to the defaults.',

	'help.title': () => 'animate-bot',
	'help.about': () =>
		'Turns a still image into a short video with Stable Video Diffusion. ' +
		'Run `/animate` with an image, or right-click a post → Apps → **Animate image**. The reply shows your place in ' +
		'the queue and the progress, and the video is posted in the channel with the seed used, with buttons to ' +
		'reroll, add or remove motion, or delete it. `/animate-optout` stops others from animating your images.',
	'help.options-title': () => '/animate options',
	'help.option': (p: { name: string; required: boolean; description: string }) => `\`${p.name}\`${p.required ? ' (required)' : ''}: ${p.description}`,
} as const;
