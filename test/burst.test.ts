import type { APIUser } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/index.js';
import { startWorld, type World } from './support/world.js';

describe('a burst of 100 /animate in one second', () => {
	let world: World;
	beforeAll(async () => {
		// Default limits (20 jobs at fal at once), one job per user.
		world = await startWorld({ progressIntervalMs: 500, env: { USER_COOLDOWN_SECONDS: '10', MAX_JOBS_PER_USER: '2' } });
		world.fal.setDefaultScript({ queuePositions: [2, 1, 0], queueStepMs: 100, runMs: 300, logs: ['Step 10/20', 'Step 20/20'] });
	});
	afterAll(async () => {
		await world?.close();
	});

	it('defers every one within 3 s and delivers all 100 exactly once', { timeout: 120_000 }, async () => {
		const users: APIUser[] = Array.from({ length: 100 }, (_, i) => ({
			id: snowflake(),
			username: `member${i}`,
			discriminator: '0',
			global_name: `Member ${i}`,
			avatar: null,
		}));
		const image = world.discord.addAttachment('source-1024x576.png');
		const dispatched = await Promise.all(
			users.map(async (user, i) => {
				await new Promise((resolve) => setTimeout(resolve, i * 10));
				return world.discord.dispatchChatInput({
					name: 'animate',
					options: [{ name: 'image', type: 11, value: image.id }],
					attachments: [image],
					user,
				});
			}),
		);

		await expect
			.poll(() => world.discord.messages(world.discord.channelId).filter((m) => m.content.includes('your video is ready')).length, {
				timeout: 90_000,
				interval: 250,
			})
			.toBe(100);

		const ackDelays = dispatched.map(({ id }) => {
			const state = world.discord.interaction(id)!;
			return state.acknowledgedAt! - state.dispatchedAt;
		});
		expect(Math.max(...ackDelays)).toBeLessThan(3_000);
		expect(world.discord.requests.filter((r) => r.route === 'POST /interactions/:id/:token/callback' && r.status !== 200)).toEqual([]);

		const videos = world.discord.messages(world.discord.channelId).filter((m) => m.content.includes('your video is ready'));
		const mentioned = new Set(videos.map((m) => /<@(\d+)>/.exec(m.content)?.[1]));
		expect(mentioned.size).toBe(100);
		expect(world.fal.submits).toHaveLength(100);
		// Discord's 429s are discord.js's business; none may have cost a delivery.
		expect(world.discord.requests.filter((r) => r.route === 'POST /channels/:channel/messages' && r.status === 200)).toHaveLength(100);
	});
});
