import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { APIAttachment, APIUser } from 'discord.js';
import { FakeDiscord, snowflake, type DispatchedInteraction, type FakeDiscordOptions, type RecordedRequest } from '../fakes/discord/index.js';
import { FakeFal } from '../fakes/fal/index.js';
import { BOT_TOKEN, envFor } from '../test/support/world.js';
import { BotProcess } from '../test/support/bot-process.js';
import { freePort } from '../test/support/free-port.js';

export { freePort };
import { sleep } from './stats.js';

/** The settings every benchmarked bot runs with, then the scenario's own. */
export function benchSettings(settings: Record<string, string>): Record<string, string> {
	return {
		LOG_LEVEL: 'info',
		FAL_MODEL: 'fal-ai/svd',
		MAX_JOBS_PER_USER: '2',
		USER_COOLDOWN_SECONDS: '0',
		GUILD_JOBS_PER_DAY: '200',
		MAX_FAL_JOBS: '20',
		JOB_TIMEOUT_MINUTES: '30',
		FAL_OUTAGE_MINUTES: '30',
		REACTION_TRIGGER: 'off',
		FAL_PRICES: '{}',
		...settings,
	};
}

export interface Rig {
	readonly discord: FakeDiscord;
	readonly fal: FakeFal;
	readonly bot: BotProcess;
	close(): Promise<void>;
}

/**
 * The fake Discord, the fake fal and the real built bot wired to them, ready for /animate.
 * Every setting is given explicitly, so a developer's .env cannot change what is measured; the log
 * level is `info`, the default of `npm start`.
 */
export async function startRig(
	settings: Record<string, string> | ((fal: FakeFal) => Record<string, string>),
	discordOptions: FakeDiscordOptions = {},
): Promise<Rig> {
	const discord = await FakeDiscord.start({ token: BOT_TOKEN, ...discordOptions });
	const fal = await FakeFal.start();
	const env = envFor(discord, fal, benchSettings(typeof settings === 'function' ? settings(fal) : settings));
	// For investigation only: BENCH_BOT_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the bot.
	const bot = new BotProcess(env, process.env['BENCH_BOT_NODE_ARGS']?.split(' ').filter(Boolean) ?? []);
	const close = async () => {
		const exited = bot.kill('SIGTERM');
		const timer = setTimeout(() => void bot.kill('SIGKILL'), 5_000);
		await exited;
		clearTimeout(timer);
		await discord.close();
		await fal.close();
		rmSync(dirname(env['DATABASE_PATH']!), { recursive: true, force: true });
	};
	try {
		await bot.waitForLog((line) => line.msg.startsWith('commands '), 30_000);
		await discord.ready();
	} catch (error) {
		await close();
		throw error;
	}
	return { discord, fal, bot, close };
}

/** Distinct members, so per-member limits and fairness see a crowd, not one person. */
export function members(count: number, prefix: string): APIUser[] {
	return Array.from({ length: count }, (_, i) => ({
		id: snowflake(),
		username: `${prefix}${i}`,
		discriminator: '0',
		global_name: `${prefix} ${i}`,
		avatar: null,
	}));
}

/** Dispatches one /animate per user, `spacingMs` apart, and resolves with the interactions in order. */
export async function dispatchAnimates(
	discord: FakeDiscord,
	image: APIAttachment,
	users: readonly APIUser[],
	spacingMs: number,
): Promise<DispatchedInteraction[]> {
	const start = Date.now();
	return Promise.all(
		users.map(async (user, i) => {
			await sleep(Math.max(0, start + i * spacingMs - Date.now()));
			return discord.dispatchChatInput({
				name: 'animate',
				options: [{ name: 'image', type: 11, value: image.id }],
				attachments: [image],
				user,
			});
		}),
	);
}

const referenced = (request: RecordedRequest) =>
	(request.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id;

/**
 * Every Discord request that concerned one job: the interaction callback and webhook calls made
 * with its token, edits and reads of its progress card through the channel routes, and the post of
 * its video (a reply to the card) and anything done to that message afterwards.
 */
export function discordCallsFor(discord: FakeDiscord, requests: readonly RecordedRequest[], interaction: DispatchedInteraction): RecordedRequest[] {
	const card = discord.interaction(interaction.id)?.original?.id;
	const videos = new Set(
		requests
			.filter((r) => card !== undefined && r.route === 'POST /channels/:channel/messages' && referenced(r) === card)
			.map((r) => (r.response as { id?: string } | undefined)?.id)
			.filter((id): id is string => id !== undefined),
	);
	return requests.filter((r) => {
		if (r.path.includes(interaction.token)) return true;
		if (card === undefined) return false;
		if (r.route === 'POST /channels/:channel/messages' && referenced(r) === card) return true;
		const target = /^\/channels\/\d+\/messages\/(\d+)/.exec(r.path)?.[1];
		return target !== undefined && (target === card || videos.has(target));
	});
}

/** "PATCH /webhooks/:app/:token/messages/:message" → a short label for breakdowns. */
export function callKind(request: RecordedRequest): string {
	return request.route
		.replace('/webhooks/:app/:token/messages/:message', ' webhook message')
		.replace('/webhooks/:app/:token', ' webhook')
		.replace('/interactions/:id/:token/callback', ' interaction callback')
		.replace('/channels/:channel/messages/:message', ' channel message')
		.replace('/channels/:channel/messages', ' channel messages')
		.replace(/\s+/g, ' ')
		.trim();
}

export function tally(labels: readonly string[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const label of labels) out[label] = (out[label] ?? 0) + 1;
	return out;
}
