import type { APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../fakes/discord/index.js';
import { bodyOf, callbackFor, postImages, runCommand, since } from '../support/requests.js';
import { startWorld, type World } from '../support/world.js';

interface LogLine {
	readonly msg: string;
	readonly userId?: string;
	readonly messageId?: string;
	readonly reason?: string;
	readonly posted?: boolean;
}

/**
 * Reactions are the one trigger any member can fire at no cost to themselves. The bot listens
 * without the message intent, so every reaction arrives on a partial message the bot would have
 * to fetch: what it decides before fetching, and how often it answers, is what a flood costs.
 */
describe('a flood of reactions', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld({ progressIntervalMs: 100, env: { REACTION_TRIGGER: 'on' } });
		const settings = async (options: unknown[]) =>
			callbackFor(world, (await runCommand(world, 'animate-settings', [{ type: 1, ...options[0]! }])).id);
		await settings([
			{
				name: 'reactions',
				options: [
					{ name: 'enabled', type: 5, value: true },
					{ name: 'emoji', type: 3, value: '🎬' },
				],
			},
		]);
		// Videos only in the second channel: the first is where they are not allowed.
		await settings([
			{
				name: 'channel',
				options: [
					{ name: 'channel', type: 7, value: world.discord.otherChannelId },
					{ name: 'allowed', type: 5, value: true },
				],
			},
		]);
	});
	afterAll(async () => {
		await world?.close();
	});

	const logLines = (): LogLine[] =>
		world
			.logText()
			.split('\n')
			.filter(Boolean)
			.map((line) => JSON.parse(line) as LogLine);
	const posts = (count: number, channelId: string, make: () => APIMessage) =>
		Array.from({ length: count }, () => make()).map((post) => {
			expect(post.channel_id).toBe(channelId);
			return post;
		});
	const imageless = (channelId: string) => () =>
		world.discord.dispatchMessageCreate({ author: world.discord.users[1]!, channel_id: channelId, content: 'no picture here' });
	const react = (post: APIMessage, emoji: string, userId: string) => world.discord.dispatchReactionAdd({ messageId: post.id, userId, emoji });
	const fetchesOf = (ids: Set<string>, fresh: (r: RecordedRequest) => boolean) =>
		world.discord.requests.filter((r) => fresh(r) && r.route === 'GET /channels/:channel/messages/:message' && ids.has(r.path.split('/').at(-1)!));
	const repliesTo = (ids: Set<string>, fresh: (r: RecordedRequest) => boolean) =>
		world.discord.requests.filter(
			(r) => fresh(r) && r.route === 'POST /channels/:channel/messages' && ids.has(bodyOf(r).message_reference?.message_id ?? ''),
		);

	it('answers one member reacting 30 times to image-less posts once, not 30 times', async () => {
		const member = world.discord.users[0]!;
		const flood = posts(30, world.discord.otherChannelId, imageless(world.discord.otherChannelId));
		const ids = new Set(flood.map((p) => p.id));
		const fresh = since(world);
		const mark = logLines().length;
		const started = Date.now();
		for (const post of flood) react(post, '🎬', member.id);
		expect(Date.now() - started).toBeLessThan(1_000);

		// Every reaction is decided (each is a refusal: no image), then the one answer is posted.
		const refused = () =>
			logLines()
				.slice(mark)
				.filter((l) => l.msg === 'reaction refused' && l.userId === member.id);
		await expect.poll(() => refused().length, { timeout: 15_000 }).toBe(30);
		const answer = await world.discord.waitForRequest((r) => repliesTo(ids, fresh).includes(r));
		expect(bodyOf(answer).content).toContain('has no image I can animate');
		expect(refused().filter((l) => l.posted)).toHaveLength(1);
		expect(repliesTo(ids, fresh)).toHaveLength(1);
		// The bot had to look at each post to know it had no image: the messages really were not cached,
		// which is what makes the zero fetches below mean something.
		expect(fetchesOf(ids, fresh)).toHaveLength(30);
	});

	it('fetches nothing and answers nothing for another emoji or in a channel where videos are not allowed', async () => {
		// A member the bot has not answered yet: a refusal, if one slipped through, would be posted.
		const member = world.discord.users[2]!;
		const elsewhere = [
			...posts(5, world.discord.channelId, imageless(world.discord.channelId)),
			...posts(5, world.discord.channelId, () => postImages(world, ['source-1024x576.png'])),
		];
		const otherEmoji = posts(10, world.discord.otherChannelId, imageless(world.discord.otherChannelId));
		const ids = new Set([...elsewhere, ...otherEmoji].map((p) => p.id));
		const fresh = since(world);
		const mark = logLines().length;
		const submits = world.fal.submits.length;
		for (const post of elsewhere) react(post, '🎬', member.id);
		for (const post of otherEmoji) react(post, '👍', member.id);

		const reasons = () =>
			logLines()
				.slice(mark)
				.filter((l) => l.msg === 'reaction ignored' && l.userId === member.id && ids.has(l.messageId ?? ''))
				.map((l) => l.reason);
		await expect.poll(() => reasons().length, { timeout: 15_000 }).toBe(20);
		expect(reasons().filter((r) => r === 'channel not allowed')).toHaveLength(10);
		expect(reasons().filter((r) => r === 'another emoji')).toHaveLength(10);
		expect(fetchesOf(ids, fresh)).toEqual([]);
		expect(repliesTo(ids, fresh)).toEqual([]);
		expect(
			logLines()
				.slice(mark)
				.filter((l) => l.msg === 'reaction refused' && l.userId === member.id),
		).toEqual([]);
		expect(world.fal.submits).toHaveLength(submits);
	});
});
