import { EmbedBuilder } from 'discord.js';
import { optionsOf, type ModelSpec } from '../../domain/models.js';
import type { GuildSettings } from '../../domain/settings.js';
import type { Messages } from './i18n/index.js';
import { priceLabel } from './model-choices.js';
import { fitEmbed } from './truncate.js';

export interface SettingsCardData {
	readonly settings: GuildSettings;
	/** The server's default model. */
	readonly model: ModelSpec;
	/** The models members may pick, the default among them. */
	readonly models: readonly ModelSpec[];
	/** USD committed this month. */
	readonly usedUsd: number;
	/** Whether the bot owner turned the reaction trigger on (REACTION_TRIGGER). */
	readonly reactionsAvailable: boolean;
	/** What was just changed, shown first. */
	readonly change?: string;
	readonly title?: string;
}

/** A custom emoji is stored as `name:id`, as reactions report it, and shown as `<:name:id>`. */
const showEmoji = (emoji: string) => (emoji.includes(':') ? `<:${emoji}>` : emoji);

/** The settings in force in a server, with what was just changed. */
export function renderSettings({ settings, model, models, usedUsd, reactionsAvailable, change, title }: SettingsCardData, m: Messages): EmbedBuilder {
	const lines = [
		m['settings.channels']({ allowed: settings.allowedChannels }),
		m['settings.reactions']({ enabled: settings.reactionEnabled, emoji: showEmoji(settings.reactionEmoji), ownerEnabled: reactionsAvailable }),
		m['settings.defaults'](settings.defaults),
		m['settings.model']({ label: model.label, id: model.id, price: priceLabel(model, m), options: optionsOf(model) }),
		m['settings.models']({ models: models.map((allowed) => ({ label: allowed.label, price: priceLabel(allowed, m) })) }),
		m['settings.limits']({ perUser: settings.jobsPerUser, cooldownSeconds: settings.cooldownSeconds, perDay: settings.jobsPerDay }),
		m['settings.cap']({ capUsd: settings.monthlyCapUsd, usedUsd }),
	];
	const text = fitEmbed({ title: title ?? m['settings.title'](), description: [change, ...lines].filter(Boolean).join('\n') });
	return new EmbedBuilder().setTitle(text.title!).setColor(0x5865f2).setDescription(text.description!);
}
