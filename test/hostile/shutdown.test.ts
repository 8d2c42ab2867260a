import { describe, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process.js';
import type { FakeDiscord } from '../../fakes/discord/index.js';
import type { FakeFal, JobScript } from '../../fakes/fal/index.js';
import { useFakes } from '../support/fakes.js';
import { envFor } from '../support/world.js';

/** What an orchestrator waits before it kills: the bot must be gone well within it. */
const EXIT_WITHIN_MS = 15_000;

interface State {
	readonly script?: JobScript;
	readonly env?: Record<string, string>;
	/** Prepares the fakes; returns the image attachment to animate. */
	readonly arrange?: (fakes: { discord: FakeDiscord; fal: FakeFal }) => ReturnType<FakeDiscord['addAttachment']>;
	/** How many /animate to start (the last one is the one in the state). */
	readonly jobs?: number;
	/** Resolves once the job is in the state. */
	readonly reached: (bot: BotProcess, fakes: { discord: FakeDiscord; fal: FakeFal }) => Promise<unknown>;
}

/**
 * SIGTERM must end the process within 15 s whatever its jobs are doing: every wait in the bot
 * listens to the job's signal, and the engine stops waiting for a job that does not settle.
 */
describe('SIGTERM in every state', () => {
	const fakes = useFakes();
	let stalled: { id: string } | undefined;
	const log = (bot: BotProcess, msg: string) => bot.waitForLog((line) => line.msg === msg, 15_000);

	const states: Record<string, State> = {
		'downloading an attachment that stalls': {
			arrange: ({ discord }) => {
				const image = discord.addAttachment('source-1024x576.png');
				discord.throttleMedia(image, { stallAfterBytes: 1_000 });
				stalled = image;
				return image;
			},
			reached: (_bot, { discord }) => expect.poll(() => discord.mediaRequests(stalled!).length, { timeout: 10_000 }).toBeGreaterThan(0),
		},
		'waiting for a free fal slot': {
			env: { MAX_FAL_JOBS: '1' },
			script: { outcome: 'never' },
			jobs: 2,
			reached: (bot) => bot.waitForLog((line) => line.msg === 'job submitted', 15_000),
		},
		'queued at fal': {
			script: { queuePositions: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0], queueStepMs: 5_000 },
			reached: (bot) => log(bot, 'job submitted'),
		},
		'on a status stream that says nothing': {
			script: { silentStream: true, queuePositions: [0], runMs: 60_000 },
			reached: (bot) => log(bot, 'job submitted'),
		},
		'waiting out a fal outage': {
			script: { unavailable: { status: 503, kinds: ['status', 'stream'] }, queuePositions: [0], runMs: 60_000 },
			reached: (bot) => log(bot, 'fal status stream failed'),
		},
		'downloading the video from a slow fal': {
			script: { queuePositions: [0], runMs: 100, drip: { bytes: 64, everyMs: 1_000 } },
			reached: (_bot, { fal }) =>
				expect.poll(() => fal.requests.some((r) => (r.bytesSent ?? 0) > 0 && r.kind === 'file'), { timeout: 15_000 }).toBe(true),
		},
	};

	it.each(Object.entries(states))('exits 0 within 15 s while %s', async (_state, { script = {}, env = {}, arrange, jobs = 1, reached }) => {
		const bot = new BotProcess(envFor(fakes.discord, fakes.fal, { LOG_LEVEL: 'debug', ...env }));
		try {
			await bot.waitForLog((line) => line.msg.startsWith('commands '), 15_000);
			fakes.fal.setDefaultScript(script);
			for (let i = 0; i < jobs; i += 1) {
				const image = arrange?.(fakes) ?? fakes.discord.addAttachment('source-1024x576.png');
				await fakes.discord.dispatchChatInput({ name: 'animate', options: [{ name: 'image', type: 11, value: image.id }], attachments: [image] });
			}
			await reached(bot, fakes);
			const signalledAt = Date.now();
			const code = await bot.kill('SIGTERM');
			expect(code).toBe(0);
			expect(Date.now() - signalledAt).toBeLessThan(EXIT_WITHIN_MS);
			expect(bot.count((line) => line.msg === 'stopped' || /exiting anyway/.test(line.msg))).toBe(1);
		} finally {
			fakes.fal.setDefaultScript({});
			await bot.kill('SIGKILL');
		}
	});
});

describe('one SQLite database, one process', () => {
	const fakes = useFakes();

	it('refuses to start a second process on the same database file, saying why', async () => {
		const env = envFor(fakes.discord, fakes.fal);
		const first = new BotProcess(env);
		try {
			await first.waitForLog((line) => line.msg.startsWith('commands '), 15_000);
			const second = new BotProcess(env);
			expect(await second.exited).toBe(1);
			expect(second.output).toContain('Another animate-bot process is using the database');
			expect(second.output).toContain(env['DATABASE_PATH']);
			// The first one is untouched and still answers.
			expect(first.count((line) => line.level >= 50)).toBe(0);
		} finally {
			await first.kill('SIGTERM');
		}
	});
});
