import { attemptNamedBy } from './jobs/interrupted-submit.js';
import { DefaultRestOptions, type ResponseLike } from 'discord.js';
import type { Config } from './config.js';
import { createFalWebhookHandler } from './fal/webhook-handler.js';
import { createWebhookVerifier, type WebhookOutcome } from './fal/webhook.js';
import { createMetrics, noopMetrics, routeLabel, type Metrics } from './http/metrics.js';
import { createHttpServer, type HttpServer } from './http/server.js';
import type { JobEngine } from './jobs/job-engine.js';
import type { FalCompletion, JobStore } from './jobs/ports.js';
import type { Logger } from './logger.js';

/** A verified webhook's outcome in the engine's terms. */
const completionOf = (outcome: WebhookOutcome): FalCompletion =>
	outcome.kind === 'ok' ? outcome : outcome.kind === 'failed' ? { kind: 'failed', error: outcome.error } : { kind: 'ask-queue' };

/**
 * Prometheus metrics when HTTP_PORT is set (nothing would read them otherwise). The gauges are read
 * at each scrape: jobs by state from the database, the queue depth from the engine's slots and queue.
 */
export function metricsFor(config: Config, jobs: JobStore, queueDepth: () => Promise<number>): Metrics {
	return config.httpPort === undefined ? noopMetrics : createMetrics({ collectJobStates: () => jobs.countByState(), collectQueueDepth: queueDepth });
}

/**
 * discord.js's own HTTP call, timed: REST latency by route template and 429s by scope. Only the
 * path's shape reaches a label (ids and tokens are replaced), never the URL itself.
 */
export function timedDiscordRequests(metrics: Metrics): (url: string, init: RequestInit) => Promise<ResponseLike> {
	return async (url, init) => {
		const started = performance.now();
		const response = await DefaultRestOptions.makeRequest(url, init);
		const route = routeLabel(new URL(url).pathname.replace(/^.*?\/v\d+(?=\/)/, ''));
		metrics.observeDiscordRest(route, (performance.now() - started) / 1000);
		if (response.status === 429) metrics.discordRateLimited(response.headers.get('x-ratelimit-scope') ?? 'user');
		return response;
	};
}

/**
 * The HTTP server of HTTP_PORT: health for an orchestrator, /metrics for Prometheus, and fal's
 * webhooks (verified, then handed to the engine) when FAL_WEBHOOK_URL is set.
 */
export function startHttp(
	config: Config,
	log: Logger,
	deps: { metrics: Metrics; engine: JobEngine; ready: () => boolean },
): Promise<HttpServer> | undefined {
	if (config.httpPort === undefined) return undefined;
	const httpLog = log.child({ component: 'http' });
	const onFalWebhook = config.falWebhookUrl
		? createFalWebhookHandler({
				verifier: createWebhookVerifier({ jwksUrl: config.falWebhookJwksUrl, log: httpLog }),
				log: httpLog,
				onOutcome: ({ requestId, outcome, query }) => deps.engine.receiveFalCompletion(requestId, completionOf(outcome), attemptNamedBy(query)),
			})
		: undefined;
	return createHttpServer({
		port: config.httpPort,
		log: httpLog,
		ready: deps.ready,
		metrics: deps.metrics,
		...(onFalWebhook ? { onFalWebhook } : {}),
	});
}
