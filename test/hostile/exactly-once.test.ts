import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../fakes/discord/index.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteJobStore } from '../../src/store/job-store.js';
import { isVideoPost, titleOf } from '../support/requests.js';
import { startWorld, type World } from '../support/world.js';

/**
 * A job that crashed in `delivering` must find its video wherever it went, and never post it
 * twice or turn a delivered job into a failed one.
 */
describe('exactly once after a crash while posting', () => {
	let world: World | undefined;
	afterEach(async () => {
		await world?.close();
		world = undefined;
	});

	async function deliverOnce(w: World) {
		w.fal.setDefaultScript({ queuePositions: [0], runMs: 50 });
		const image = w.discord.addAttachment('source-1024x576.png');
		const { id, token } = await w.discord.dispatchChatInput({
			name: 'animate',
			options: [{ name: 'image', type: 11, value: image.id }],
			attachments: [image],
		});
		await w.discord.waitForRequest((r) => r.path.includes(token) && /Video ready/.test(titleOf(r)), 15_000);
		await w.bot.services.engine.idle();
		return { id, token };
	}

	/** Stops the bot and rewinds the job as if the process died after posting, before recording it. */
	async function rewindToDelivering(w: World, interactionId: string) {
		await w.bot.stop(500);
		const db = openDatabase(w.env['DATABASE_PATH']!);
		const { id } = db.prepare('SELECT id FROM jobs WHERE interaction_id = ?').get(interactionId) as { id: string };
		const store = new SqliteJobStore(db);
		await store.update(id, { state: 'delivering', deliveredMessageId: null, finishedAt: null });
		db.close();
		return id;
	}

	/** The job's row as the running bot sees it (the database file is the bot's alone while it runs). */
	const jobRow = (w: World, jobId: string) => w.bot.services.jobs.get(jobId);

	it('finds its post among every message after its card, not only the last 50', async () => {
		world = await startWorld({ progressIntervalMs: 100 });
		const { id } = await deliverOnce(world);
		for (let i = 0; i < 120; i += 1) world.discord.dispatchMessageCreate({ author: world.discord.users[1]!, content: `chatter ${i}` });
		const jobId = await rewindToDelivering(world, id);
		const posts = world.discord.requests.filter(isVideoPost).length;
		await world.restart();
		await expect.poll(() => world!.logText().includes('found the video already posted before the restart'), { timeout: 10_000 }).toBe(true);
		await world.bot.services.engine.idle();
		expect(world.discord.requests.filter(isVideoPost)).toHaveLength(posts);
		expect(await jobRow(world, jobId)).toMatchObject({ state: 'delivered', deliveredMessageId: expect.stringMatching(/^\d+$/) as string });
	});

	it('never turns a delivered job into a failed one when the channel cannot be read on restart', async () => {
		world = await startWorld({ progressIntervalMs: 100 });
		const { id } = await deliverOnce(world);
		const jobId = await rewindToDelivering(world, id);
		world.discord.denyChannel(world.discord.channelId, 50001);
		try {
			await world.restart();
			await expect.poll(async () => (await jobRow(world!, jobId))?.state, { timeout: 15_000 }).toBe('delivered');
		} finally {
			world.discord.allowChannel(world.discord.channelId);
		}
	});

	it('delivered through the interaction: a restart puts the video in the card instead of posting a second follow-up', async () => {
		world = await startWorld({ progressIntervalMs: 100 });
		world.discord.denyChannel(world.discord.channelId);
		try {
			const { id, token } = await deliverOnce(world);
			const isFollowUpVideo = (r: RecordedRequest) => r.route === 'POST /webhooks/:app/:token' && r.path.includes(token) && r.files.length === 1;
			expect(world.discord.requests.filter(isFollowUpVideo)).toHaveLength(1);
			const jobId = await rewindToDelivering(world, id);
			await world.restart();
			expect((await jobRow(world, jobId))?.deliveryRoute).toBe('follow-up');
			const edit = await world.discord.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(token) && r.files.length === 1, 15_000);
			expect(edit.status).toBe(200);
			await expect.poll(async () => (await jobRow(world!, jobId))?.state, { timeout: 10_000 }).toBe('delivered');
			expect(world.discord.requests.filter(isFollowUpVideo)).toHaveLength(1);
		} finally {
			world.discord.allowChannel(world.discord.channelId);
		}
	});
});
