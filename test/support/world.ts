import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createBot, type Bot, type BotOverrides } from '../../src/bot.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { FakeDiscord } from '../../fakes/discord/index.js';
import { FakeFal } from '../../fakes/fal/index.js';

/** A realistic-looking token: three dot-separated parts, like Discord's. */
export const BOT_TOKEN = 'MTE5ODc2NTQzMjEwOTg3NjU0Mw.GfAkEt.fake-bot-token-for-tests_0123456789abcd';

export interface World {
	readonly discord: FakeDiscord;
	readonly fal: FakeFal;
	readonly bot: Bot;
	/** Every log line the bot wrote, as raw JSON text. */
	readonly logText: () => string;
	readonly env: Record<string, string>;
	/** Stops the bot and starts a new one on the same database and fakes, as a restart would. */
	restart(): Promise<void>;
	close(): Promise<void>;
}

/** The env that points a bot at the fakes, for in-process bots and for `node dist/index.js`. */
export function envFor(discord: FakeDiscord, fal: FakeFal, extra: Record<string, string> = {}): Record<string, string> {
	return {
		DISCORD_TOKEN: discord.token,
		FAL_KEY: fal.key,
		DISCORD_API_URL: discord.apiUrl,
		FAL_PROXY_URL: fal.url,
		DISCORD_GUILD_ID: discord.guild.id,
		DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'animate-db-')), 'bot.sqlite'),
		LOG_LEVEL: 'debug',
		// Tests run many jobs for one user back to back; the limits have their own tests.
		USER_COOLDOWN_SECONDS: '0',
		MAX_JOBS_PER_USER: '50',
		...extra,
	};
}

export interface WorldOptions extends BotOverrides {
	/** Extra settings, as the environment would give them (limits, timeouts). */
	readonly env?: Record<string, string>;
	/** A fake fal started by the test (to read its URLs, e.g. its JWKS, before the bot starts). */
	readonly fal?: FakeFal;
}

/** Starts the fake Discord, the fake fal and the real bot wired to them, and waits until it is ready. */
export async function startWorld({ env: extra = {}, fal: givenFal, ...overrides }: WorldOptions = { progressIntervalMs: 200 }): Promise<World> {
	const discord = await FakeDiscord.start({ token: BOT_TOKEN });
	const fal = givenFal ?? (await FakeFal.start());
	const env = envFor(discord, fal, extra);
	const config = parseConfig(env);
	const lines: string[] = [];
	const destination = new Writable({
		write(chunk: Buffer, _encoding, done) {
			lines.push(chunk.toString());
			done();
		},
	});
	const log = createLogger({ level: 'debug', secrets: [config.discordToken, config.falKey], destination });
	let bot = createBot(config, log, overrides);
	/** Resolves once a bot started after `mark` lines of log has registered its commands (its ready handler ran). */
	const registered = async (mark: number) => {
		const deadline = Date.now() + 10_000;
		while (!lines.slice(mark).some((line) => line.includes('"msg":"commands '))) {
			if (Date.now() > deadline) throw new Error('the bot did not get ready');
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	};
	await bot.start();
	// Commands are registered on ready; interactions before that would race the registration.
	await registered(0);
	return {
		discord,
		fal,
		get bot() {
			return bot;
		},
		env,
		logText: () => lines.join(''),
		async restart() {
			await bot.stop(1_000);
			const mark = lines.length;
			bot = createBot(config, log, overrides);
			await bot.start();
			await registered(mark);
		},
		async close() {
			await bot.stop(1_000);
			await discord.close();
			await fal.close();
		},
	};
}
