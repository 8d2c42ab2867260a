import { Client, GatewayIntentBits, Partials } from 'discord.js';
import type { Config } from './config.js';
import type { Services } from './context.js';
import { createJobMessenger } from './discord/messenger.js';
import { events } from './events/index.js';
import { createFalGateway } from './fal/gateway.js';
import { JobEngine } from './jobs/job-engine.js';
import { FalSlots } from './jobs/slots.js';
import type { HttpServer } from './http/server.js';
import type { Logger } from './logger.js';
import { metricsFor, startHttp, timedDiscordRequests } from './observability.js';
import { createMedia, type MediaOptions } from './media/media.js';
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

/** Wires the adapters (SQLite, fal, media, Discord) to the job engine and the event handlers. */
export function createBot(config: Config, log: Logger, overrides: BotOverrides = {}): Bot {
	const stores = openStores(config, (error) => log.warn({ err: error }, 'idle database connection failed'));
	const { jobs, settings } = stores;
	const metrics = metricsFor(config, jobs);
	const client = new Client({
		// Reactions on posts the bot never saw arrive as partials; reading their images needs Message Content.
		intents: [
			GatewayIntentBits.Guilds,
			...(config.reactionTrigger ? [GatewayIntentBits.GuildMessageReactions, GatewayIntentBits.MessageContent] : []),
		],
		...(config.reactionTrigger ? { partials: [Partials.Message, Partials.Reaction, Partials.Channel] } : {}),
		rest: { ...(config.discordApiUrl ? { api: config.discordApiUrl } : {}), makeRequest: timedDiscordRequests(metrics) },
	});
	const engineLog = log.child({ component: 'engine' });
	const media = createMedia({ discordApiUrl: config.discordApiUrl, ...(overrides.mediaTimeouts ? { timeouts: overrides.mediaTimeouts } : {}) });
	const engine = new JobEngine({
		store: jobs,
		settings,
		fal: createFalGateway({ key: config.falKey, proxyUrl: config.falProxyUrl }),
		media,
		slots: new FalSlots(config.limits.falConcurrency),
		messengerFor: (job, persist) =>
			createJobMessenger(client as Client<true>, job, persist, {
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
			// Before logging in: /readyz answers 503 until the gateway's READY has arrived.
			http = await startHttp(config, log, { metrics, engine, ready: () => client.isReady() });
			await client.login(config.discordToken);
		},
		async stop(graceMs = 10_000) {
			stopping = true;
			await engine.shutdown(graceMs);
			await Promise.race([Promise.allSettled([...handlers]), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
			await client.destroy();
			await http?.close();
			await media.close();
			await stores.close();
		},
	};
}
