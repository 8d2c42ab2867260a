import { describe, expect, it } from 'vitest';
import type { JobScript } from '../fakes/fal/index.js';
import { BotProcess } from './support/bot-process.js';
import type { RecordedRequest } from '../fakes/discord/index.js';
import { useFakes } from './support/fakes.js';
import { envFor } from './support/world.js';

/**
 * The real bot process is killed at each stage of a job and started again on the same database;
 * the video must be posted exactly once and fal must have seen exactly one submit.
 */
describe('a job survives the bot being killed at any stage', () => {
	const fakes = useFakes();

	const title = (r: RecordedRequest) => (r.body as { embeds?: { title?: string }[] } | undefined)?.embeds?.[0]?.title ?? '';

	interface Stage {
		readonly script: JobScript;
		/** Resolves at the moment the bot is to be killed. */
		readonly reached: (ctx: { bot: BotProcess; interactionId: string; token: string; submitsBefore: number }) => Promise<unknown>;
		readonly signal?: NodeJS.Signals;
	}

	const stages: Record<string, Stage> = {
		'after the defer': {
			script: {},
			reached: ({ interactionId }) =>
				fakes.discord.waitForRequest((r) => r.route === 'POST /interactions/:id/:token/callback' && r.path.includes(interactionId)),
		},
		'after submit': {
			script: { queuePositions: [2, 1, 0], queueStepMs: 400 },
			reached: ({ bot }) => bot.waitForLog((line) => line.msg === 'job submitted'),
		},
		'while queued': {
			script: { queuePositions: [5, 4, 3, 2, 1, 0], queueStepMs: 400 },
			reached: ({ token }) =>
				fakes.discord.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(token) && /Waiting in the fal queue/.test(title(r))),
		},
		'while running': {
			script: { queuePositions: [0], runMs: 2_500, logs: ['Step 5/20', 'Step 10/20', 'Step 15/20', 'Step 20/20'] },
			reached: ({ token }) => fakes.discord.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(token) && /Generating/.test(title(r))),
		},
		'after the result arrived, before posting': {
			script: { queuePositions: [0], runMs: 200 },
			reached: async ({ submitsBefore }) => {
				await expect.poll(() => fakes.fal.submits.length, { timeout: 10_000 }).toBeGreaterThan(submitsBefore);
				const requestId = fakes.fal.submits[submitsBefore]!.requestId;
				await expect.poll(() => fakes.fal.requestsFor(requestId).some((r) => r.kind === 'result'), { timeout: 10_000, interval: 5 }).toBe(true);
			},
		},
		'on SIGTERM while queued': {
			script: { queuePositions: [3, 2, 1, 0], queueStepMs: 500 },
			reached: ({ bot }) => bot.waitForLog((line) => line.msg === 'job submitted'),
			signal: 'SIGTERM',
		},
	};

	it.each(Object.entries(stages))('%s', async (_stage, { script, reached, signal = 'SIGKILL' }) => {
		const env = envFor(fakes.discord, fakes.fal, { LOG_LEVEL: 'debug' });
		const submitsBefore = fakes.fal.submits.length;
		fakes.fal.script(script);
		const first = new BotProcess(env);
		await first.waitForLog((line) => line.msg.startsWith('commands '), 15_000);
		const image = fakes.discord.addAttachment('source-1024x576.png');
		const { id: interactionId, token } = await fakes.discord.dispatchChatInput({
			name: 'animate',
			options: [{ name: 'image', type: 11, value: image.id }],
			attachments: [image],
		});
		// Only videos posted after this dispatch count: the fakes are shared with the previous stages.
		const dispatchedAt = Date.now();
		await reached({ bot: first, interactionId, token, submitsBefore });
		const code = await first.kill(signal);
		expect(code).toBe(signal === 'SIGTERM' ? 0 : null);

		const second = new BotProcess(env);
		try {
			const delivered = await second.waitForLog(
				(line) => line.msg === 'job delivered' || line.msg === 'found the video already posted before the restart',
				20_000,
			);
			expect(delivered).toBeDefined();
		} finally {
			// A graceful stop lets every delivery under way finish before the process exits, so a
			// duplicate, if there were one, is posted before kill() resolves.
			await second.kill('SIGTERM');
		}
		const videos = fakes.discord
			.messages(fakes.discord.channelId)
			.filter((m) => Date.parse(m.timestamp) >= dispatchedAt && m.content.includes('your video is ready'));
		expect(videos).toHaveLength(1);
		expect(videos[0]!.attachments).toHaveLength(1);
		expect(fakes.fal.submits.length - submitsBefore).toBe(1);
		const resumed = second.lines.find((line) => line.msg === 'resuming unfinished jobs');
		expect(resumed?.['count']).toBe(1);
		// The requester's card ends pointing at the video, whichever process finished the job.
		const lastEdit = fakes.discord.requests
			.filter((r) => r.method === 'PATCH' && (r.path.includes(token) || r.route.startsWith('PATCH /channels')))
			.at(-1);
		expect(title(lastEdit!)).toBe('✅ Video ready');
	});
});
