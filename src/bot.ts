import { Client, GatewayIntentBits, Partials, Routes, type APIUser } from 'discord.js';
import type { Config } from './config.js';
import type { Services } from './context.js';
import { createJobMessenger } from './discord/messenger.js';
import { events } from './events/index.js';
import { createFalGateway } from './fal/gateway.js';
import { GlobalSlots } from './jobs/global-slots.js';
import { JobEngine } from './jobs/job-engine.js';
import { FalSlots } from './jobs/slots.js';
import type { HttpServer } from './http/server.js';
import type { Logger } from './logger.js';
import { noopMetrics } from './http/metrics.js';
import { metricsFor, startHttp, timedDiscordRequests } from './observability.js';
import { createMedia, type MediaOptions } from './media/media.js';
import { BullmqScheduler } from './queue/bullmq-scheduler.js';
import { openStores } from './store/open-store.js';

export interface Bot {
	readonly client: Client;
	readonly services: Services;
	/** The HTTP server's address once started (HTTP_PORT set). */
	readonly httpUrl: () => string | undefined;
	start(): Promise<void>;
	/**
	 * Answers new interactions with "restarting", pauses jobs (their rows stay as they are, to
	 * resume on the next start), lets deliveries under way finish, then disconnects and closes
	 * the database.
	 */
	stop(graceMs?: number): Promise<void>;
}

export interface BotOverrides {
	/** Tests shorten this so a long job fits in a test. */
	readonly progressIntervalMs?: number;
	/** Tests shorten webhook mode's status poll (15 s). */
	readonly webhookPollMs?: number;
	/** Tests shorten the download timeouts so a stalled host fits in a test. */
	readonly mediaTimeouts?: MediaOptions['timeouts'];
}

/** How often a worker (no gateway) checks that its database and queue answer, for /readyz. */
const WORKER_HEALTH_MS = 5_000;

/**
 * Wires the adapters (database, fal, media, Discord, the shared queue) to the job engine and the
 * event handlers. ROLE=worker drives jobs over REST alone: no gateway connection, no events.
 */
export function createBot(config: Config, log: Logger, overrides: BotOverrides = {}): Bot {
	const stores = openStores(config, (error) => log.warn({ err: error }, 'idle database connection failed'));
	const { jobs, settings } = stores;
	// The engine needs the metrics and the queue-depth gauge needs the engine: read only at scrapes, after both exist.
	const metrics = metricsFor(config, jobs, () => engine.queueDepth());
	const client = new Client({
		// Reactions on posts the bot never saw arrive as partials; reading their images needs Message Content.
		intents: [
			GatewayIntentBits.Guilds,
			...(config.reactionTrigger ? [GatewayIntentBits.GuildMessageReactions, GatewayIntentBits.MessageContent] : []),
		],
		...(config.reactionTrigger ? { partials: [Partials.Message, Partials.Reaction, Partials.Channel] } : {}),
		// SHARD_COUNT/SHARD_IDS: discord.js's own sharding; each process connects only its shards.
		...(config.shards ? { shards: [...config.shards.ids], shardCount: config.shards.count } : {}),
		rest: {
			...(config.discordApiUrl ? { api: config.discordApiUrl } : {}),
			// Timed only when something reads the figures: every Discord call passes through here.
			...(metrics === noopMetrics ? {} : { makeRequest: timedDiscordRequests(metrics) }),
		},
	});
	const engineLog = log.child({ component: 'engine' });
	const media = createMedia({ discordApiUrl: config.discordApiUrl, ...(overrides.mediaTimeouts ? { timeouts: overrides.mediaTimeouts } : {}) });
	let queue: BullmqScheduler | undefined;
	const redisUrl = config.redisUrl;
	const engine = new JobEngine({
		store: jobs,
		settings,
		fal: createFalGateway({ key: config.falKey, proxyUrl: config.falProxyUrl }),
		media,
		// On the shared queue the fal slots are counted in the database, across every process.
		slots:
			redisUrl && stores.slots ? new GlobalSlots(stores.slots, config.limits.falConcurrency, engineLog) : new FalSlots(config.limits.falConcurrency),
		...(redisUrl
			? {
					scheduler: (driver) =>
						(queue = new BullmqScheduler(driver, {
							redisUrl,
							prefix: config.queuePrefix,
							drives: config.role !== 'gateway',
							log: log.child({ component: 'queue' }),
						})),
				}
			: {}),
		messengerFor: (job, persist) =>
			createJobMessenger(client as Client<true>, job, persist, {
				botUserId: () => client.user?.id ?? restUser?.id ?? '',
				...(overrides.progressIntervalMs === undefined ? {} : { progressIntervalMs: overrides.progressIntervalMs }),
				onProgressError: (error) => engineLog.warn({ err: error, jobId: job.id }, 'progress edit failed'),
			}),
		limits: config.limits,
		prices: config.falPrices,
		log: engineLog,
		metrics,
		falWebhookUrl: config.falWebhookUrl,
		...(overrides.webhookPollMs === undefined ? {} : { webhookPollMs: overrides.webhookPollMs }),
	});
	let http: HttpServer | undefined;
	let stopping = false;
	/** A worker's own user, read over REST (there is no READY to bring it). */
	let restUser: APIUser | undefined;
	let healthy = false;
	let healthTimer: NodeJS.Timeout | undefined;
	const checkHealth = async () => {
		try {
			await stores.ping();
			healthy = (await queue?.ping()) ?? true;
		} catch (error) {
			if (healthy) log.warn({ err: error }, 'database or queue not answering');
			healthy = false;
		}
	};
	const services: Services = { config, log, engine, jobs, settings, stopping: () => stopping };

	const handlers = new Set<Promise<unknown>>();
	for (const event of events) {
		const listener = (...args: unknown[]) => {
			const handled = Promise.resolve()
				.then(() => (event.execute as (s: Services, ...a: unknown[]) => unknown)(services, ...args))
				.catch((error: unknown) => log.error({ err: error, event: event.name }, 'event handler failed'))
				.finally(() => handlers.delete(handled));
			handlers.add(handled);
		};
		if (event.once) client.once(event.name, listener);
		else client.on(event.name, listener);
	}
	client.on('error', (error) => log.error({ err: error }, 'discord client error'));
	client.on('warn', (message) => log.warn({ message }, 'discord client warning'));

	return {
		client,
		services,
		httpUrl: () => http?.url,
		async start() {
			// PostgreSQL is migrated in the background; a database that cannot be reached stops the start here.
			await stores.ready;
			await queue?.start();
			if (config.role === 'worker') {
				client.rest.setToken(config.discordToken);
				restUser = (await client.rest.get(Routes.user())) as APIUser;
				await checkHealth();
				healthTimer = setInterval(() => void checkHealth(), WORKER_HEALTH_MS).unref();
				http = await startHttp(config, log, { metrics, engine, ready: () => healthy });
				log.info({ user: restUser.username, role: config.role }, 'worker started (REST only)');
				await engine.resume();
				return;
			}
			// Before logging in: /readyz answers 503 until the gateway's READY has arrived.
			http = await startHttp(config, log, { metrics, engine, ready: () => client.isReady() });
			await client.login(config.discordToken);
		},
		async stop(graceMs = 10_000) {
			stopping = true;
			clearInterval(healthTimer);
			await engine.shutdown(graceMs);
			await Promise.race([Promise.allSettled([...handlers]), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
			await client.destroy();
			await http?.close();
			await media.close();
			await stores.close();
		},
	};
}
