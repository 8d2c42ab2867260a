import { EmbedBuilder, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { UserError } from '../../errors.js';
import { monthBounds } from '../../services/animator.js';
import type { GuildOverrides, GuildSettings } from '../../services/guild-settings.js';
import type { Services } from '../../services/index.js';
import { modelSpec } from '../../services/models.js';
import { formatUsd } from '../../strings.js';
import type { ChatInputCommand } from '../types.js';
import { SettingsCommand } from './definition.js';

/** A Unicode emoji, or a custom one as `<:name:id>` (stored as `name:id`, as reactions report it). */
function parseEmoji(text: string): string {
	const custom = /^<a?:(\w{2,32}):(\d{17,20})>$/.exec(text.trim());
	if (custom) return `${custom[1]}:${custom[2]}`;
	if (/^\p{Extended_Pictographic}[\p{Extended_Pictographic}\u{FE0F}\u{200D}\p{Emoji_Modifier}]*$/u.test(text.trim())) return text.trim();
	throw new UserError(`\`${text}\` doesn't look like an emoji. Pick one from the emoji picker, e.g. 🎬.`);
}

const showEmoji = (emoji: string) => (emoji.includes(':') ? `<:${emoji}>` : emoji);

export function settingsEmbed(settings: GuildSettings, services: Services, guildId: string, change?: string): EmbedBuilder {
	const model = modelSpec(settings.model, services.config.falPrices);
	const spent = services.jobs.committedSince(guildId, monthBounds(Date.now()).start);
	const lines = [
		`**Channels:** ${settings.allowedChannels.length ? settings.allowedChannels.map((id) => `<#${id}>`).join(', ') : 'all'}`,
		`**Reaction trigger:** ${settings.reactionEnabled ? `on, ${showEmoji(settings.reactionEmoji)}` : 'off'}${
			settings.reactionEnabled && !services.config.reactionTrigger ? ' (waiting for the bot owner to set REACTION_TRIGGER=on)' : ''
		}`,
		`**Defaults:** motion ${settings.defaults.motion}, noise ${settings.defaults.noise}, steps ${settings.defaults.steps}`,
		`**Model:** ${model.label} (\`${model.id}\`), about ${formatUsd(model.priceUsd)} a video; takes ${[...model.options].join(', ')}`,
		`**Limits:** ${settings.jobsPerUser} in the works per member, ${settings.cooldownSeconds} s between a member's videos, ${settings.jobsPerDay} per day here`,
		`**Monthly spend cap:** ${settings.monthlyCapUsd === null ? 'none' : `${formatUsd(settings.monthlyCapUsd)} (${formatUsd(spent)} used this month)`}`,
	];
	return new EmbedBuilder()
		.setTitle('animate-bot settings for this server')
		.setColor(0x5865f2)
		.setDescription([change, ...lines].filter(Boolean).join('\n'));
}

function readChange(interaction: ChatInputCommandInteraction<'cached'>, services: Services): { patch?: GuildOverrides; reset?: true; change?: string } {
	const { options } = interaction;
	const current = services.settings.get(interaction.guildId);
	switch (options.getSubcommand()) {
		case 'channel': {
			const channel = options.getChannel('channel', true);
			const allowed = options.getBoolean('allowed', true);
			const others = current.allowedChannels.filter((id) => id !== channel.id);
			return {
				patch: { allowedChannels: allowed ? [...others, channel.id] : others },
				change: allowed ? `✅ Videos allowed in <#${channel.id}>.` : `✅ No more videos in <#${channel.id}>.`,
			};
		}
		case 'all-channels':
			return { patch: { allowedChannels: [] }, change: '✅ Videos allowed in every channel.' };
		case 'reactions': {
			const emoji = options.getString('emoji');
			const enabled = options.getBoolean('enabled', true);
			return {
				patch: { reactionEnabled: enabled, ...(emoji ? { reactionEmoji: parseEmoji(emoji) } : {}) },
				change: enabled ? '✅ Reaction trigger on.' : '✅ Reaction trigger off.',
			};
		}
		case 'defaults': {
			const patch = {
				motion: options.getInteger('motion') ?? undefined,
				noise: options.getNumber('noise') ?? undefined,
				steps: options.getInteger('steps') ?? undefined,
			};
			return { patch, change: '✅ Defaults saved.' };
		}
		case 'model':
			return { patch: { model: options.getString('model', true) }, change: '✅ Model changed.' };
		case 'limits': {
			const patch = {
				jobsPerUser: options.getInteger('per_user') ?? undefined,
				cooldownSeconds: options.getInteger('cooldown') ?? undefined,
				jobsPerDay: options.getInteger('per_day') ?? undefined,
				monthlyCapUsd: options.getNumber('monthly_cap') ?? undefined,
			};
			return { patch, change: '✅ Limits saved.' };
		}
		case 'reset':
			return { reset: true, change: '✅ Everything is back to the defaults.' };
		default:
			return {};
	}
}

export default {
	definition: SettingsCommand,
	async execute(interaction, _args, services) {
		const { patch, reset, change } = readChange(interaction, services);
		const guildId = interaction.guildId;
		const settings = reset ? services.settings.reset(guildId) : patch ? services.settings.update(guildId, patch) : services.settings.get(guildId);
		if (patch || reset) services.log.info({ guildId, userId: interaction.user.id, patch, reset }, 'settings changed');
		await interaction.reply({ embeds: [settingsEmbed(settings, services, guildId, change)], flags: MessageFlags.Ephemeral });
	},
} satisfies ChatInputCommand<typeof SettingsCommand>;
