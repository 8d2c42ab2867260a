import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FakeFal } from '../fakes/fal/index.js';
import { BotChild } from './bot.js';
import { serve } from './server.js';
import { Session } from './session.js';

/**
 * How long the fake fal takes until the page says otherwise: long enough to watch the card move through the queue
 * and the progress bar, short enough not to wait. The bot reads progress from "Step k/N" logs where N is the job's
 * steps (20 unless asked otherwise).
 */
export const DEFAULT_SCRIPT = {
	queuePositions: [3, 2, 1, 0],
	queueStepMs: 1_500,
	runMs: 6_000,
	logs: Array.from({ length: 10 }, (_, i) => `Step ${2 * (i + 1)}/20`),
};

export interface Playground {
	/** The page to open. */
	readonly url: string;
	readonly discord: FakeDiscord;
	readonly fal: FakeFal;
	/** The bot's JSON log. */
	readonly logPath: string;
	/** Stops the bot (SIGTERM, as `npm start` is stopped), the page and the fakes, and removes the bot's database. */
	close(): Promise<void>;
	/** Kills the bot without waiting, for a process that is exiting anyway. */
	killNow(): void;
}

/**
 * The real built bot against the fake Discord and the fake fal, all on 127.0.0.1, with a page that plays the Discord
 * client. Nothing reaches the network and no account or key is needed: the fakes accept the token and key they made.
 */
export async function startPlayground(options: { port?: number; echo?: (text: string) => void } = {}): Promise<Playground> {
	const echo = options.echo ?? (() => undefined);
	const dir = mkdtempSync(join(tmpdir(), 'animate-playground-'));
	const discord = await FakeDiscord.start();
	const fal = await FakeFal.start();
	const logPath = join(dir, 'bot.log');
	const session = new Session(discord, fal, DEFAULT_SCRIPT);
	let server: Server | undefined;
	let bot: BotChild | undefined;
	let closing = false;
	const close = async () => {
		closing = true;
		session.close();
		server?.closeAllConnections();
		await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
		await bot?.stop();
		await discord.close();
		await fal.close();
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		// The page's port first: if it is taken, nothing else has been started in vain.
		server = await serve(session, options.port ?? 0);
		bot = new BotChild(
			{
				DISCORD_TOKEN: discord.token,
				FAL_KEY: fal.key,
				DISCORD_API_URL: discord.apiUrl,
				FAL_PROXY_URL: fal.url,
				DISCORD_GUILD_ID: discord.guild.id,
				DATABASE_PATH: join(dir, 'bot.sqlite'),
				LOG_LEVEL: 'debug',
				// Trying things back to back should not meet the 10 s cooldown between videos; the other limits stay.
				USER_COOLDOWN_SECONDS: '0',
			},
			dir,
			logPath,
			echo,
		);
		await bot.ready();
		// A bot that dies while the page is open is news: the page would otherwise just stop getting answers.
		void bot.exited.then((code) =>
			closing ? undefined : echo(`The bot exited (code ${code}); its log: ${logPath}. Ctrl-C to stop the playground.`),
		);
	} catch (error) {
		await close();
		throw error;
	}
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}/`, discord, fal, logPath, close, killNow: () => bot?.killNow() };
}
