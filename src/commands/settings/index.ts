import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { Services } from '../../context.js';
import { messagesOf, type Messages } from '../../discord/views/i18n/index.js';
import { renderSettings } from '../../discord/views/settings-card.js';
import { refuse } from '../../domain/refusal.js';
import { modelSpec } from '../../domain/models.js';
import type { GuildOverrides, GuildSettings } from '../../domain/settings.js';
import type { ChatInputCommand } from '../types.js';
import { SettingsCommand } from './definition.js';
import { settingsSummary } from './summary.js';

/** A Unicode emoji, or a custom one as `<:name:id>` (stored as `name:id`, as reactions report it). */
function parseEmoji(text: string): string {
	const custom = /^<a?:(\w{2,32}):(\d{17,20})>$/.exec(text.trim());
	if (custom) return `${custom[1]}:${custom[2]}`;
	if (/^\p{Extended_Pictographic}[\p{Extended_Pictographic}\u{FE0F}\u{200D}\p{Emoji_Modifier}]*$/u.test(text.trim())) return text.trim();
	return refuse({ kind: 'invalid-emoji', text });
}

interface Change {
	readonly patch?: GuildOverrides;
	readonly reset?: true;
	readonly change?: string;
}

/** The allowed models and the default after one /animate-settings models; the default is always allowed. */
function modelsChange(m: Messages, current: GuildSettings, preferred: string | null, allow: string | null, forbid: string | null): Change {
	const model = preferred ?? current.model;
	if (forbid !== null && forbid === model) refuse({ kind: 'forbid-default', model: modelSpec(forbid).label });
	const models = [...new Set([...current.models, ...(allow ? [allow] : []), model])].filter((id) => id !== forbid);
	return { patch: { models, model }, change: m['settings.changed.models']() };
}

async function readChange(interaction: ChatInputCommandInteraction<'cached'>, services: Services): Promise<Change> {
	const { options } = interaction;
	const m = messagesOf(interaction);
	const current = await services.settings.get(interaction.guildId);
	switch (options.getSubcommand()) {
		case 'channel': {
			const channel = options.getChannel('channel', true);
			const allowed = options.getBoolean('allowed', true);
			const others = current.allowedChannels.filter((id) => id !== channel.id);
			return {
				patch: { allowedChannels: allowed ? [...others, channel.id] : others },
				change: allowed
					? m['settings.changed.channel-allowed']({ channelId: channel.id })
					: m['settings.changed.channel-denied']({ channelId: channel.id }),
			};
		}
		case 'all-channels':
			return { patch: { allowedChannels: [] }, change: m['settings.changed.all-channels']() };
		case 'reactions': {
			const emoji = options.getString('emoji');
			const enabled = options.getBoolean('enabled', true);
			return {
				patch: { reactionEnabled: enabled, ...(emoji ? { reactionEmoji: parseEmoji(emoji) } : {}) },
				change: enabled ? m['settings.changed.reactions-on']() : m['settings.changed.reactions-off'](),
			};
		}
		case 'defaults': {
			const patch = {
				motion: options.getInteger('motion') ?? undefined,
				noise: options.getNumber('noise') ?? undefined,
				steps: options.getInteger('steps') ?? undefined,
			};
			return { patch, change: m['settings.changed.defaults']() };
		}
		case 'models':
			return modelsChange(m, current, options.getString('default'), options.getString('allow'), options.getString('forbid'));
		case 'limits': {
			const patch = {
				jobsPerUser: options.getInteger('per_user') ?? undefined,
				cooldownSeconds: options.getInteger('cooldown') ?? undefined,
				jobsPerDay: options.getInteger('per_day') ?? undefined,
				monthlyCapUsd: options.getNumber('monthly_cap') ?? undefined,
			};
			return { patch, change: m['settings.changed.limits']() };
		}
		case 'reset':
			return { reset: true, change: m['settings.changed.reset']() };
		default:
			return {};
	}
}

export default {
	definition: SettingsCommand,
	async execute(interaction, _args, services) {
		const { patch, reset, change } = await readChange(interaction, services);
		const guildId = interaction.guildId;
		const settings = await (reset
			? services.settings.reset(guildId)
			: patch
				? services.settings.update(guildId, patch)
				: services.settings.get(guildId));
		if (patch || reset) services.log.info({ guildId, userId: interaction.user.id, patch, reset }, 'settings changed');
		const embed = renderSettings({ ...(await settingsSummary(services, guildId, settings)), ...(change ? { change } : {}) }, messagesOf(interaction));
		await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral });
	},
} satisfies ChatInputCommand<typeof SettingsCommand>;
