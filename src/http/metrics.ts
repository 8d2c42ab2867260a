/**
 * The bot's Prometheus metrics: one prom-client Registry per process, behind a small typed object
 * so the engine can later be handed something port-shaped and never sees prom-client.
 *
 * Every label comes from a fixed set (states, delivery routes, failure reasons, rate-limit scopes)
 * or is normalised into one (Discord routes), so a flood of odd input cannot grow the series
 * without bound, and no label ever carries an id or a token.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { JOB_STATES } from '../domain/job.js';
import type { InterruptedSubmitOutcome, PostedMessage } from '../jobs/ports.js';

/** How a video reached the member: a channel post or the interaction's follow-up (PostedMessage['via']). */
export type DeliveryVia = PostedMessage['via'];
const DELIVERY_VIA: readonly DeliveryVia[] = ['channel', 'follow-up', 'dm'];
const INTERRUPTED_OUTCOMES: readonly InterruptedSubmitOutcome[] = ['adopted', 'resubmitted'];

/** Why a job ended without a video, in the engine's terms (the card's notes). */
export const FAILURE_REASONS = ['rejected', 'fal-failed', 'timed-out', 'fal-outage', 'media', 'delivery', 'internal', 'other'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** Discord's X-RateLimit-Scope values. */
export const RATE_LIMIT_SCOPES = ['user', 'global', 'shared'] as const;
export type RateLimitScope = (typeof RATE_LIMIT_SCOPES)[number];

/** Distinct Discord routes kept as labels; the bot uses a dozen, so more means something is wrong. */
const MAX_ROUTES = 64;

export type JobStateCounts = Readonly<Record<string, number>>;

export interface Metrics {
	/** A request was accepted by fal's queue. */
	submitted(): void;
	/** A submit a stopped process left unanswered, taken over by this one. */
	interruptedSubmit(outcome: InterruptedSubmitOutcome): void;
	delivered(via: DeliveryVia): void;
	failed(reason: FailureReason): void;
	/** Seconds a request waited in fal's queue (IN_QUEUE). */
	observeFalWait(seconds: number): void;
	/** Seconds a request ran at fal (IN_PROGRESS until COMPLETED). */
	observeFalRun(seconds: number): void;
	/** One Discord REST call; `route` is discord.js's route template (`/channels/:id/messages`). */
	observeDiscordRest(route: string, seconds: number): void;
	discordRateLimited(scope: string): void;
	/** Content type of `render()`'s text. */
	readonly contentType: string;
	/** The Prometheus text exposition of every metric. */
	render(): Promise<string>;
}

export interface MetricsOptions {
	/** Jobs by state, read at each scrape (e.g. a COUNT … GROUP BY state); states it leaves out read 0. */
	readonly collectJobStates?: () => Promise<JobStateCounts> | JobStateCounts;
	/** Jobs waiting their turn for fal, read at each scrape from the engine's slots and queue. */
	readonly collectQueueDepth?: () => Promise<number> | number;
	/** Also collect prom-client's process metrics (memory, CPU, event loop lag, handles). Default true. */
	readonly processMetrics?: boolean;
}

const oneOf = <T extends string>(allowed: readonly T[], value: string, fallback: T): T =>
	(allowed as readonly string[]).includes(value) ? (value as T) : fallback;

const INTERACTION_TOKEN = /(\/(?:webhooks|interactions)\/[^/]+\/)(?!:token(?:\/|$))[^/]+/;
const SNOWFLAKE = /\/\d{5,}(?=\/|$)/g;

/**
 * A route label from discord.js's route data. Its templates keep the major parameter as given, and
 * a webhook route holds the interaction token there (see src/logger.ts), so ids become `:id` and
 * the segment after `/webhooks/:id/` becomes `:token`; a query string is dropped.
 */
export function routeLabel(route: string): string {
	const path = route.split('?')[0] ?? '';
	return path.replace(SNOWFLAKE, '/:id').replace(INTERACTION_TOKEN, '$1:token') || 'unknown';
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
	const registry = new Registry();
	if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
	const registers = [registry];

	const nonNegative = (value: number) => (Number.isFinite(value) && value >= 0 ? value : 0);

	const collectJobStates = options.collectJobStates;
	new Gauge({
		name: 'animate_jobs',
		help: 'Jobs by state, as the database holds them at scrape time.',
		labelNames: ['state'],
		registers,
		async collect() {
			if (!collectJobStates) return;
			const counts = await collectJobStates();
			// Only the domain's states: a stray key from the store must not become a series.
			for (const state of JOB_STATES) this.set({ state }, counts[state] ?? 0);
		},
	});
	const submits = new Counter({ name: 'animate_fal_submits_total', help: 'Requests accepted by the fal queue.', registers });
	const interrupted = new Counter({
		name: 'animate_interrupted_submits_total',
		help: "Submits a stopped process left unanswered: 'adopted' when fal's webhook named the request, 'resubmitted' when it was made again.",
		labelNames: ['outcome'],
		registers,
	});
	const deliveries = new Counter({
		name: 'animate_deliveries_total',
		help: 'Videos delivered, by channel post or interaction follow-up.',
		labelNames: ['via'],
		registers,
	});
	const failures = new Counter({
		name: 'animate_failures_total',
		help: 'Jobs that ended without a video, by reason.',
		labelNames: ['reason'],
		registers,
	});
	const falWait = new Histogram({
		name: 'animate_fal_wait_seconds',
		help: 'Time requests waited in the fal queue.',
		buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800],
		registers,
	});
	const falRun = new Histogram({
		name: 'animate_fal_run_seconds',
		help: 'Time requests ran at fal.',
		buckets: [5, 10, 20, 30, 45, 60, 120, 300, 600],
		registers,
	});
	const discordRest = new Histogram({
		name: 'animate_discord_rest_seconds',
		help: 'Discord REST calls by route template.',
		labelNames: ['route'],
		buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
		registers,
	});
	const discord429 = new Counter({
		name: 'animate_discord_429_total',
		help: 'Discord 429 answers, by rate-limit scope.',
		labelNames: ['scope'],
		registers,
	});
	const collectQueueDepth = options.collectQueueDepth;
	new Gauge({
		name: 'animate_queue_depth',
		help: 'Accepted jobs waiting for a fal slot, or on the shared queue for a process to take them, at scrape time.',
		registers,
		async collect() {
			if (collectQueueDepth) this.set(nonNegative(await collectQueueDepth()));
		},
	});

	// Zero every labelled series up front: a rate() over a counter that appears late misses its first step.
	for (const via of DELIVERY_VIA) deliveries.inc({ via }, 0);
	for (const outcome of INTERRUPTED_OUTCOMES) interrupted.inc({ outcome }, 0);
	for (const reason of FAILURE_REASONS) failures.inc({ reason }, 0);
	for (const scope of RATE_LIMIT_SCOPES) discord429.inc({ scope }, 0);

	const routes = new Set<string>();

	return {
		submitted: () => submits.inc(),
		interruptedSubmit: (outcome) => interrupted.inc({ outcome: oneOf(INTERRUPTED_OUTCOMES, outcome, 'resubmitted') }),
		delivered: (via) => deliveries.inc({ via: oneOf(DELIVERY_VIA, via, 'channel') }),
		failed: (reason) => failures.inc({ reason: oneOf(FAILURE_REASONS, reason, 'other') }),
		observeFalWait: (s) => falWait.observe(nonNegative(s)),
		observeFalRun: (s) => falRun.observe(nonNegative(s)),
		observeDiscordRest: (route, s) => {
			let label = routeLabel(route);
			if (!routes.has(label)) {
				if (routes.size >= MAX_ROUTES) label = 'other';
				else routes.add(label);
			}
			discordRest.observe({ route: label }, nonNegative(s));
		},
		discordRateLimited: (scope) => discord429.inc({ scope: oneOf(RATE_LIMIT_SCOPES, scope, 'user') }),
		contentType: registry.contentType,
		render: () => registry.metrics(),
	};
}

/** Metrics switched off: every call does nothing and the exposition is empty. */
export const noopMetrics: Metrics = {
	submitted: () => undefined,
	interruptedSubmit: () => undefined,
	delivered: () => undefined,
	failed: () => undefined,
	observeFalWait: () => undefined,
	observeFalRun: () => undefined,
	observeDiscordRest: () => undefined,
	discordRateLimited: () => undefined,
	contentType: 'text/plain; version=0.0.4; charset=utf-8',
	render: () => Promise.resolve(''),
};
