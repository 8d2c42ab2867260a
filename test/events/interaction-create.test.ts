import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackFor, replyOf } from '../support/requests.js';
import { startWorld, type World } from '../support/world.js';

describe('interactions from outside a server the bot knows', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld({ progressIntervalMs: 100 });
	});
	afterAll(async () => {
		await world?.close();
	});

	// 1: the bot's own DM; 2: a group DM the bot is not in, reached through a user installation.
	it.each([
		{ where: 'the bot DM', context: 1 as const },
		{ where: 'a group DM', context: 2 as const },
	])('answers privately in $where that it cannot work there, instead of not responding', async ({ context }) => {
		const submits = world.fal.submits.length;
		const { id } = await world.discord.dispatchChatInput({ name: 'animate-help', context });
		const callback = await callbackFor(world, id);
		expect(callback.status).toBe(204);
		expect((callback.body as { type: number }).type).toBe(4);
		const reply = replyOf(callback);
		expect(reply.flags! & 64).toBe(64);
		expect(reply.content).toContain('This command works only in servers animate-bot has been added to.');
		expect(world.fal.submits).toHaveLength(submits);
	});
});
