import type { Services } from '../../context.js';
import type { SettingsCardData } from '../../discord/views/settings-card.js';
import { monthBounds } from '../../domain/calendar.js';
import { modelSpec } from '../../domain/models.js';
import type { GuildSettings } from '../../domain/settings.js';

/** What the settings card shows for a server: its settings, model, spend this month. */
export function settingsSummary(services: Services, guildId: string, settings: GuildSettings = services.settings.get(guildId)): SettingsCardData {
	return {
		settings,
		model: modelSpec(settings.model, services.config.falPrices),
		usedUsd: services.jobs.committedSince(guildId, monthBounds(Date.now()).start),
		reactionsAvailable: services.config.reactionTrigger,
	};
}
