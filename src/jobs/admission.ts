import { monthBounds, startOfNextUtcDay, startOfUtcDay } from '../domain/calendar.js';
import { catalogueModel } from '../domain/catalogue/index.js';
import type { AnimateRequest, JobOrigin, ModelChoices } from '../domain/job.js';
import { checkRequest } from '../domain/model-options.js';
import { jobPriceUsd, modelSpec, type ModelSpec } from '../domain/models.js';
import { refuse } from '../domain/refusal.js';
import type { GuildSettings } from '../domain/settings.js';
import type { JobStore, SettingsStore } from './ports.js';

export interface AdmissionDeps {
	readonly store: JobStore;
	readonly settings: SettingsStore;
	readonly prices: Readonly<Record<string, number>>;
}

/** What a job is: a new member's request, or a follow-up's model and choices. */
export type Asked = { readonly request: AnimateRequest } | { readonly model: string; readonly choices: ModelChoices };

export interface Admitted {
	readonly settings: GuildSettings;
	readonly model: ModelSpec;
	/** The request in the model's own spelling (new jobs only). */
	readonly request?: AnimateRequest;
	/** The estimated price, counted against the server's cap while the job is in flight. */
	readonly priceUsd: number;
}

/** The model a job runs on: one this server allows, and one the catalogue knows when a member names it. */
function pickModel(deps: AdmissionDeps, settings: GuildSettings, asked: Asked): ModelSpec {
	const named = 'request' in asked ? asked.request.model : asked.model;
	const id = named ?? settings.model;
	if ('request' in asked && named !== undefined && named !== settings.model && !catalogueModel(named))
		refuse({ kind: 'unknown-model', model: named });
	const model = modelSpec(id, deps.prices);
	if (!settings.models.includes(id)) {
		refuse({ kind: 'model-not-allowed', model: model.label, allowed: settings.models.map((allowed) => modelSpec(allowed).label) });
	}
	return model;
}

/**
 * Everything that can refuse a new job, cheapest first: the channel, the poster's consent, the
 * model and its options, the member's and the server's limits, the spend cap.
 */
export async function checkAllowed(deps: AdmissionDeps, asked: Asked, origin: JobOrigin, now = Date.now()): Promise<Admitted> {
	const { store } = deps;
	const settings = await deps.settings.get(origin.guildId);
	if (settings.allowedChannels.length > 0 && !settings.allowedChannels.includes(origin.channelId)) {
		refuse({ kind: 'channel-not-allowed', allowed: settings.allowedChannels });
	}
	if (origin.source && origin.source.authorId !== origin.userId && (await deps.settings.isOptedOut(origin.source.authorId))) {
		refuse({ kind: 'opted-out', posterId: origin.source.authorId });
	}
	const model = pickModel(deps, settings, asked);
	const request = 'request' in asked ? checkRequest(model, asked.request) : undefined;
	const priceUsd = jobPriceUsd(model, request ? request.choices : 'choices' in asked ? asked.choices : {});
	const active = await store.activeCountForUser(origin.userId);
	if (active >= settings.jobsPerUser) refuse({ kind: 'too-many-jobs', active, limit: settings.jobsPerUser });
	const last = await store.lastCreatedForUser(origin.userId);
	const cooldownMs = settings.cooldownSeconds * 1000;
	if (last !== undefined && now - last < cooldownMs) refuse({ kind: 'cooldown', until: last + cooldownMs });
	// Daily counts and spend caps belong to a server that installed the bot; DMs and user installs have none.
	const server = origin.guildId !== '';
	if (server && (await store.countForGuildSince(origin.guildId, startOfUtcDay(now))) >= settings.jobsPerDay) {
		refuse({ kind: 'daily-limit', limit: settings.jobsPerDay, resetsAt: startOfNextUtcDay(now) });
	}
	if (server && settings.monthlyCapUsd !== null) {
		const month = monthBounds(now);
		const committed = await store.committedSince(origin.guildId, month.start);
		if (committed + priceUsd > settings.monthlyCapUsd + 1e-9) {
			refuse({ kind: 'spend-cap', capUsd: settings.monthlyCapUsd, usedUsd: committed, resetsAt: month.next });
		}
	}
	return { settings, model, priceUsd, ...(request ? { request } : {}) };
}
