import { Client, GatewayIntentBits, Partials } from 'discord.js';
import type { Config } from './config.js';
import { events } from './events/index.js';
import type { Logger } from './logger.js';
import { Animator } from './services/animator.js';
import { createFalGateway } from './services/fal.js';
import { FalSlots } from './services/fal-slots.js';
import { createJobMessenger } from './services/job-messenger.js';
import { openDatabase } from './services/database.js';
import { SettingsStore } from './services/guild-settings.js';
import { JobStore } from './services/job-store.js';
import type { Services } from './services/index.js';

export interface Bot {
	readonly client: Client;
	readonly services: Services;
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
}

export function createBot(config: Config, log: Logger, overrides: BotOverrides = {}): Bot {
	const client = new Client({
		// Reactions on posts the bot never saw arrive as partials; reading their images needs Message Content.
		intents: [
			GatewayIntentBits.Guilds,
			...(config.reactionTrigger ? [GatewayIntentBits.GuildMessageReactions, GatewayIntentBits.MessageContent] : []),
		],
		...(config.reactionTrigger ? { partials: [Partials.Message, Partials.Reaction, Partials.Channel] } : {}),
		...(config.discordApiUrl ? { rest: { api: config.discordApiUrl } } : {}),
	});
	const db = openDatabase(config.databasePath);
	const jobs = new JobStore(db);
	const settings = new SettingsStore(db, config);
	const animator = new Animator({
		store: jobs,
		settings,
		fal: createFalGateway({ key: config.falKey, proxyUrl: config.falProxyUrl }),
		slots: new FalSlots(config.limits.falConcurrency),
		messengerFor: (job, persist) => createJobMessenger(client as Client<true>, job, persist),
		limits: config.limits,
		prices: config.falPrices,
		log: log.child({ component: 'animator' }),
		...overrides,
	});
	let stopping = false;
	const services: Services = { config, log, animator, jobs, settings, stopping: () => stopping };

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
		async start() {
			await client.login(config.discordToken);
		},
		async stop(graceMs = 10_000) {
			stopping = true;
			await animator.shutdown(graceMs);
			await Promise.race([Promise.allSettled([...handlers]), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
			await client.destroy();
			if (db.open) db.close();
		},
	};
}
