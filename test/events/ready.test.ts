import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { since, titleOf } from '../support/requests.js';
import { startWorld, type World } from '../support/world.js';

describe('on ready', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld({ progressIntervalMs: 100 });
	});
	afterAll(async () => {
		await world?.close();
	});

	it('resumes unfinished jobs before registering commands, so a slow registration does not hold them up', async () => {
		// A job long enough to be at fal across the restart, its card following the queue.
		world.fal.script({ queuePositions: [8, 7, 6, 5, 4, 3, 2, 1, 0], queueStepMs: 400, runMs: 200 });
		const image = world.discord.addAttachment('source-1024x576.png');
		const { token } = await world.discord.dispatchChatInput({
			name: 'animate',
			options: [{ name: 'image', type: 11, value: image.id }],
			attachments: [image],
		});
		await world.discord.waitForRequest((r) => r.path.includes(token) && /Waiting in the fal queue/.test(titleOf(r)), 10_000);

		// The next start's look at the registered commands is held back 2 s by a rate limit.
		world.discord.rateLimit('GET /applications/:app/guilds/:guild/commands', { retryAfterSeconds: 2, times: 1 });
		const fresh = since(world);
		await world.restart();

		const listed = world.discord.requests.find((r) => fresh(r) && r.route === 'GET /applications/:app/guilds/:guild/commands' && r.status === 200);
		const limited = world.discord.requests.find((r) => fresh(r) && r.route === 'GET /applications/:app/guilds/:guild/commands' && r.status === 429);
		expect(limited).toBeDefined();
		// The resumed job brought its card up to date while registration was still waiting. Only the new
		// process's edits count: the old one may land a last edit while it stops.
		const connected = world.discord.requests.find((r) => fresh(r) && r.route === 'GET /gateway/bot')!;
		const edit = await world.discord.waitForRequest((r) => r.at >= connected.at && r.method === 'PATCH' && r.path.includes(token), 10_000);
		expect(edit.at).toBeLessThan(listed!.at);

		const messages = world
			.logText()
			.split('\n')
			.filter(Boolean)
			.map((line) => (JSON.parse(line) as { msg: string }).msg);
		const resumed = messages.indexOf('resuming unfinished jobs');
		expect(resumed).toBeGreaterThan(-1);
		expect(resumed).toBeLessThan(messages.findLastIndex((msg) => msg.startsWith('commands ')));
	});
});
