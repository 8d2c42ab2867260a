import { Client, GatewayIntentBits } from 'discord.js';
import type { Config } from './config.js';
import { events } from './events/index.js';
import type { Logger } from './logger.js';
import { Animator } from './services/animator.js';
import { createFalGateway } from './services/fal.js';
import type { Services } from './services/index.js';

export interface Bot {
	readonly client: Client;
	readonly services: Services;
	start(): Promise<void>;
	/** Stops taking events, waits for handlers already running (bounded), then disconnects. */
	stop(graceMs?: number): Promise<void>;
}

export interface BotOverrides {
	/** Tests shorten these so a long job fits in a test. */
	readonly progressIntervalMs?: number;
	readonly jobTimeoutMs?: number;
}

export function createBot(config: Config, log: Logger, overrides: BotOverrides = {}): Bot {
	const fal = createFalGateway({ key: config.falKey, proxyUrl: config.falProxyUrl });
	const animator = new Animator({ fal, model: config.falModel, log: log.child({ service: 'animator' }), ...overrides });
	const services: Services = { config, log, animator };
	const client = new Client({
		intents: [GatewayIntentBits.Guilds],
		...(config.discordApiUrl ? { rest: { api: config.discordApiUrl } } : {}),
	});

	const running = new Set<Promise<unknown>>();
	let stopping = false;
	for (const event of events) {
		const listener = (...args: unknown[]) => {
			if (stopping) return;
			const handled = Promise.resolve()
				.then(() => (event.execute as (s: Services, ...a: unknown[]) => unknown)(services, ...args))
				.catch((error: unknown) => log.error({ err: error, event: event.name }, 'event handler failed'))
				.finally(() => running.delete(handled));
			running.add(handled);
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
			const grace = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
			await Promise.race([Promise.allSettled([...running]), grace]);
			await client.destroy();
		},
	};
}
