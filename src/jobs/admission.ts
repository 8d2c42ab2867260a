import { monthBounds, startOfNextUtcDay, startOfUtcDay } from '../domain/calendar.js';
import type { AnimateRequest, JobOrigin } from '../domain/job.js';
import { givenOptions, modelSpec } from '../domain/models.js';
import { refuse } from '../domain/refusal.js';
import type { GuildSettings } from '../domain/settings.js';
import type { JobStore, SettingsStore } from './ports.js';

export interface AdmissionDeps {
	readonly store: JobStore;
	readonly settings: SettingsStore;
	readonly prices: Readonly<Record<string, number>>;
}

/**
 * Everything that can refuse a new job, cheapest first: the channel, the poster's consent, the
 * model's options, the member's and the server's limits, the spend cap. Returns the server's
 * settings so the caller reads them once.
 */
export async function checkAllowed(
	deps: AdmissionDeps,
	request: AnimateRequest | undefined,
	origin: JobOrigin,
	now = Date.now(),
): Promise<GuildSettings> {
	const { store } = deps;
	const settings = await deps.settings.get(origin.guildId);
	if (settings.allowedChannels.length > 0 && !settings.allowedChannels.includes(origin.channelId)) {
		refuse({ kind: 'channel-not-allowed', allowed: settings.allowedChannels });
	}
	if (origin.source && origin.source.authorId !== origin.userId && (await deps.settings.isOptedOut(origin.source.authorId))) {
		refuse({ kind: 'opted-out', posterId: origin.source.authorId });
	}
	const model = modelSpec(settings.model, deps.prices);
	if (request) {
		const unsupported = givenOptions(request).filter((option) => !model.options.has(option));
		if (unsupported.length > 0) refuse({ kind: 'options-not-taken', model: model.id, options: unsupported });
	}
	const active = await store.activeCountForUser(origin.userId);
	if (active >= settings.jobsPerUser) refuse({ kind: 'too-many-jobs', active, limit: settings.jobsPerUser });
	const last = await store.lastCreatedForUser(origin.userId);
	const cooldownMs = settings.cooldownSeconds * 1000;
	if (last !== undefined && now - last < cooldownMs) refuse({ kind: 'cooldown', until: last + cooldownMs });
	if ((await store.countForGuildSince(origin.guildId, startOfUtcDay(now))) >= settings.jobsPerDay) {
		refuse({ kind: 'daily-limit', limit: settings.jobsPerDay, resetsAt: startOfNextUtcDay(now) });
	}
	if (settings.monthlyCapUsd !== null) {
		const month = monthBounds(now);
		const committed = await store.committedSince(origin.guildId, month.start);
		if (committed + model.priceUsd > settings.monthlyCapUsd + 1e-9) {
			refuse({ kind: 'spend-cap', capUsd: settings.monthlyCapUsd, usedUsd: committed, resetsAt: month.next });
		}
	}
	return settings;
}
