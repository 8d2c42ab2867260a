import type { Services } from '../../context.js';
import type { SettingsCardData } from '../../discord/views/settings-card.js';
import { monthBounds } from '../../domain/calendar.js';
import { modelSpec } from '../../domain/models.js';
import type { GuildSettings } from '../../domain/settings.js';

/** What the settings card shows for a server: its settings, model, spend this month. */
export async function settingsSummary(services: Services, guildId: string, given?: GuildSettings): Promise<SettingsCardData> {
	const settings = given ?? (await services.settings.get(guildId));
	return {
		settings,
		model: modelSpec(settings.model, services.config.falPrices),
		models: settings.models.map((id) => modelSpec(id, services.config.falPrices)),
		usedUsd: await services.jobs.committedSince(guildId, monthBounds(Date.now()).start),
		reactionsAvailable: services.config.reactionTrigger,
	};
}
