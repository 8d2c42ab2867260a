import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../src/bot.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { openDatabase } from '../src/store/database.js';
import { SqliteJobStore } from '../src/store/job-store.js';
import { descriptionOf as description, isVideoPost, replyOf, since, titleOf as title } from './support/requests.js';
import { startWorld, type World } from './support/world.js';

let world: World | undefined;
afterEach(async () => {
	await world?.close();
	world = undefined;
});

async function animate(w: World, user = w.discord.users[0]!) {
	const image = w.discord.addAttachment('source-1024x576.png');
	const fresh = since(w);
	const dispatched = await w.discord.dispatchChatInput({
		name: 'animate',
		options: [{ name: 'image', type: 11, value: image.id }],
		attachments: [image],
		user,
	});
	return { ...dispatched, fresh };
}

describe('a job longer than the interaction token', () => {
	it('switches to channel routes on 401 50027 and still edits the card and posts the video', async () => {
		world = await startWorld({ progressIntervalMs: 100 });
		world.discord.setTokenLifetime(1_000);
		world.fal.script({ queuePositions: [3, 2, 1, 0], queueStepMs: 500, runMs: 1_500, logs: ['Step 10/20', 'Step 20/20'] });
		const { token, fresh } = await animate(world);

		const expired = await world.discord.waitForRequest((r) => fresh(r) && r.path.includes(token) && r.status === 401, 10_000);
		expect((expired.response as { code: number }).code).toBe(50027);
		const post = await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 15_000);
		const final = await world.discord.waitForRequest(
			(r) => fresh(r) && r.route === 'PATCH /channels/:channel/messages/:message' && /Video ready/.test(title(r)),
		);
		// The card edited through the channel is the very message the interaction created.
		const callback = world.discord.requests.find((r) => fresh(r) && r.route === 'POST /interactions/:id/:token/callback')!;
		const cardId = (callback.response as { resource: { message: { id: string } } }).resource.message.id;
		expect(final.path.endsWith(`/messages/${cardId}`)).toBe(true);
		expect((post.body as { message_reference?: { message_id: string } }).message_reference?.message_id).toBe(cardId);
		// Once told the token is dead, the bot stops using it.
		const webhookAfter = world.discord.requests.filter((r) => fresh(r) && r.path.includes(token) && r.at > expired.at);
		expect(webhookAfter).toEqual([]);
	});
});

describe('fal outages', () => {
	it('keeps a queued job through an outage, tells the user, and resumes when fal is back', async () => {
		world = await startWorld({ progressIntervalMs: 100 });
		world.fal.script({ queuePositions: [4, 3, 2, 1, 0], queueStepMs: 700, runMs: 300 });
		const { token, fresh } = await animate(world);
		await world.discord.waitForRequest((r) => fresh(r) && r.path.includes(token) && /Waiting in the fal queue/.test(title(r)));
		const submits = world.fal.submits.length;

		world.fal.setDown(true);
		const told = await world.discord.waitForRequest(
			(r) => fresh(r) && r.path.includes(token) && /isn't answering right now/.test(description(r)),
			10_000,
		);
		expect(description(told)).toMatch(/Your job is kept and continues when it is back \(next try <t:\d+:R>\)/);
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		world.fal.setDown(false);

		await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 20_000);
		expect(world.fal.submits.length).toBe(submits);
	});

	it('gives up after the outage limit with a clear message and a retry button', async () => {
		world = await startWorld({ progressIntervalMs: 100, env: { FAL_OUTAGE_MINUTES: '0.03' } });
		world.fal.script({ queuePositions: [4, 3, 2, 1, 0], queueStepMs: 1_000 });
		const { token, fresh } = await animate(world);
		await world.discord.waitForRequest((r) => fresh(r) && r.path.includes(token) && /Waiting in the fal queue/.test(title(r)));
		world.fal.setDown(true);
		try {
			const failed = await world.discord.waitForRequest((r) => fresh(r) && r.path.includes(token) && /could not be made/.test(title(r)), 15_000);
			expect(description(failed)).toContain('fal.ai was unreachable for over');
			expect(JSON.stringify(failed.body)).toContain('animate:retry:');
		} finally {
			world.fal.setDown(false);
		}
	});
});

describe('restarts', () => {
	it('finds a video posted just before a crash instead of posting it again', async () => {
		world = await startWorld({ progressIntervalMs: 100 });
		const { id, fresh } = await animate(world);
		await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r));
		await world.bot.services.engine.idle();
		await world.bot.stop(500);
		// Rewind the row as if the process died after posting but before recording it.
		const db = openDatabase(world.env['DATABASE_PATH']!);
		const store = new SqliteJobStore(db);
		const { id: jobId } = db.prepare('SELECT id FROM jobs WHERE interaction_id = ?').get(id) as { id: string };
		const row = await store.get(jobId);
		expect(row?.state).toBe('delivered');
		await store.update(row!.id, { state: 'delivering', deliveredMessageId: null });
		db.close();

		const logs: string[] = [];
		const config = parseConfig(world.env);
		const again = createBot(config, createLogger({ level: 'info', secrets: [], destination: { write: (line: string) => void logs.push(line) } }));
		const postsBefore = world.discord.requests.filter(isVideoPost).length;
		await again.start();
		await expect.poll(() => logs.some((l) => l.includes('found the video already posted before the restart')), { timeout: 10_000 }).toBe(true);
		await again.services.engine.idle();
		await again.stop(500);
		expect(world.discord.requests.filter(isVideoPost)).toHaveLength(postsBefore);
		const reopenedDb = openDatabase(world.env['DATABASE_PATH']!);
		expect(await new SqliteJobStore(reopenedDb).get(row!.id)).toMatchObject({
			state: 'delivered',
			deliveredMessageId: expect.stringMatching(/^\d{17,19}$/) as string,
		});
		reopenedDb.close();
	});

	it('on shutdown answers new interactions with "restarting" and lets a delivery under way finish', async () => {
		world = await startWorld({ progressIntervalMs: 100 });
		// The channel post is held back by a rate limit, so shutdown starts mid-delivery.
		world.discord.rateLimit('POST /channels/:channel/messages', { retryAfterSeconds: 1.5, times: 1 });
		const { fresh } = await animate(world);
		await world.discord.waitForRequest((r) => fresh(r) && r.route === 'POST /channels/:channel/messages' && r.status === 429);
		const stopped = world.bot.stop(10_000);
		const help = await world.discord.dispatchChatInput({ name: 'animate-help' });
		const answer = await world.discord.waitForRequest((r) => r.route === 'POST /interactions/:id/:token/callback' && r.path.includes(help.id));
		expect(replyOf(answer).content).toContain('restarting');
		await stopped;
		expect(world.discord.requests.filter((r) => fresh(r) && isVideoPost(r))).toHaveLength(1);
	});
});

describe('limits and the fair queue', () => {
	it('serves users round robin when fal slots are full, showing each job its place', async () => {
		world = await startWorld({ progressIntervalMs: 100, env: { MAX_FAL_JOBS: '1' } });
		const [alice, bob] = world.discord.users as [never, never];
		world.fal.setDefaultScript({ queuePositions: [0], runMs: 600 });
		const a1 = await animate(world, alice);
		await expect.poll(() => world!.fal.submits.length).toBe(1);
		const a2 = await animate(world, alice);
		const b1 = await animate(world, bob);
		const waiting = await world.discord.waitForRequest((r) => r.path.includes(b1.token) && /Waiting for a free slot/.test(title(r)));
		expect(description(waiting)).toMatch(/Next up for a fal slot|\*\*1\*\* job ahead/);
		for (const job of [a1, a2, b1])
			await world.discord.waitForRequest((r) => job.fresh(r) && r.path.includes(job.token) && /Video ready/.test(title(r)), 15_000);
		expect(world.fal.submits).toHaveLength(3);
		// Bob's only job reached fal before Alice's second, although Alice asked first.
		const bobSubmit = world.discord.requests.find((r) => r.path.includes(b1.token) && /Waiting in the fal queue|Generating/.test(title(r)))!;
		const aliceSecond = world.discord.requests.find((r) => r.path.includes(a2.token) && /Waiting in the fal queue|Generating/.test(title(r)))!;
		expect(bobSubmit.at).toBeLessThan(aliceSecond.at);
	});

	it('refuses a job over the per-user limit privately, naming the limit', async () => {
		world = await startWorld({ progressIntervalMs: 100, env: { MAX_JOBS_PER_USER: '1' } });
		world.fal.setDefaultScript({ queuePositions: [2, 1, 0], queueStepMs: 500 });
		await animate(world);
		const second = await animate(world);
		const reply = await world.discord.waitForRequest((r) => r.route === 'POST /interactions/:id/:token/callback' && r.path.includes(second.id));
		const data = replyOf(reply);
		expect((reply.body as { type: number }).type).toBe(4);
		expect(data.flags! & 64).toBe(64);
		expect(data.content).toContain('You already have 1 video in the works (the limit is 1)');
		await expect.poll(() => world!.fal.submits.length).toBe(1);
		// Once every job the bot drives is finished, nothing more can reach fal.
		await world.bot.services.engine.idle();
		expect(world.fal.submits).toHaveLength(1);
	});
});
