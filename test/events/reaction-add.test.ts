import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefusalThrottle } from '../../src/events/reaction-add.js';
import { readFixture } from '../support/fixtures.js';
import { bodyOf, callbackFor, isVideoPost, postImages, replyOf, runCommand, since } from '../support/requests.js';
import { startWorld, type World } from '../support/world.js';

describe('the reaction trigger', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld({ progressIntervalMs: 100, env: { REACTION_TRIGGER: 'on' } });
		world.fal.setDefaultScript({ queuePositions: [0], runMs: 100 });
	});
	afterAll(async () => {
		await world?.close();
	});

	const react = (messageId: string, emoji: string, user = world.discord.users[0]!) =>
		world.discord.dispatchReactionAdd({ messageId, userId: user.id, emoji });
	const ignoredCount = (messageId: string) =>
		world
			.logText()
			.split('\n')
			.filter((line) => line.includes('"msg":"reaction ignored"') && line.includes(`"messageId":"${messageId}"`)).length;
	/** Reacts and waits until the bot has looked at the reaction and let it be. */
	const reactIgnored = async (messageId: string, emoji: string, user = world.discord.users[0]!) => {
		const before = ignoredCount(messageId);
		react(messageId, emoji, user);
		await expect.poll(() => ignoredCount(messageId)).toBe(before + 1);
	};

	it('is off by default: a 🎬 reaction starts nothing', async () => {
		const post = postImages(world, ['source-1024x576.png']);
		const submits = world.fal.submits.length;
		await reactIgnored(post.id, '🎬');
		expect(world.fal.submits).toHaveLength(submits);
	});

	it('once an admin turns it on, the emoji starts a job for the reacting member, reported as a reply to the post', async () => {
		const on = await runCommand(world, 'animate-settings', [{ name: 'reactions', type: 1, options: [{ name: 'enabled', type: 5, value: true }] }]);
		const answer = replyOf(await callbackFor(world, on.id));
		expect(answer.flags! & 64).toBe(64);
		expect(answer.embeds?.[0]?.description).toContain('**Reaction trigger:** on, 🎬');

		const post = postImages(world, ['source-1024x576.png']);
		const fresh = since(world);
		const reactor = world.discord.users[0]!;
		react(post.id, '🎬', reactor);
		const card = await world.discord.waitForRequest(
			(r) => fresh(r) && r.route === 'POST /channels/:channel/messages' && bodyOf(r).message_reference?.message_id === post.id,
			10_000,
		);
		expect(bodyOf(card).content).toBe(`<@${reactor.id}>`);
		const video = await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 10_000);
		expect(bodyOf(video).content).toContain(`<@${reactor.id}> your video is ready`);

		// Another emoji does nothing.
		const submits = world.fal.submits.length;
		await reactIgnored(post.id, '👍');
		expect(world.fal.submits).toHaveLength(submits);
	});

	it('answers a reaction on a post without an image in a reply, and submits nothing', async () => {
		const on = await runCommand(world, 'animate-settings', [
			{
				name: 'reactions',
				type: 1,
				options: [
					{ name: 'enabled', type: 5, value: true },
					{ name: 'emoji', type: 3, value: '🎬' },
				],
			},
		]);
		await callbackFor(world, on.id);
		const post = world.discord.dispatchMessageCreate({ author: world.discord.users[1]!, content: 'no picture' });
		const fresh = since(world);
		const submits = world.fal.submits.length;
		react(post.id, '🎬');
		const reply = await world.discord.waitForRequest(
			(r) => fresh(r) && r.route === 'POST /channels/:channel/messages' && bodyOf(r).message_reference?.message_id === post.id,
		);
		expect(bodyOf(reply).content).toContain('has no image I can animate');
		expect(world.fal.submits).toHaveLength(submits);
	});

	it('starts a job from a forwarded post, with the image its snapshot carries', async () => {
		const post = postImages(world, ['square-768.jpg']);
		const forward = world.discord.dispatchForward({ message: post, channelId: world.discord.otherChannelId, author: world.discord.users[1]! });
		expect(forward.attachments).toEqual([]);
		const fresh = since(world);
		const submits = world.fal.submits.length;
		const reactor = world.discord.users[0]!;
		react(forward.id, '🎬', reactor);
		const card = await world.discord.waitForRequest(
			(r) => fresh(r) && r.route === 'POST /channels/:channel/messages' && bodyOf(r).message_reference?.message_id === forward.id,
			10_000,
		);
		expect(card.path).toContain(world.discord.otherChannelId);
		const video = await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 10_000);
		expect(bodyOf(video).content).toContain(`<@${reactor.id}> your video is ready`);
		const input = world.fal.submits[submits]!.input as { image_url: string };
		expect(world.fal.upload(input.image_url)?.sha256).toBe(createHash('sha256').update(readFixture('square-768.jpg')).digest('hex'));
	});

	it('can be turned off again, and uses the emoji the admin picked', async () => {
		const changed = await runCommand(world, 'animate-settings', [
			{
				name: 'reactions',
				type: 1,
				options: [
					{ name: 'enabled', type: 5, value: true },
					{ name: 'emoji', type: 3, value: '🎥' },
				],
			},
		]);
		await callbackFor(world, changed.id);
		const post = postImages(world, ['source-1024x576.png']);
		let submits = world.fal.submits.length;
		await reactIgnored(post.id, '🎬');
		expect(world.fal.submits).toHaveLength(submits);
		react(post.id, '🎥');
		await expect.poll(() => world.fal.submits.length).toBe(submits + 1);

		const off = await runCommand(world, 'animate-settings', [{ name: 'reactions', type: 1, options: [{ name: 'enabled', type: 5, value: false }] }]);
		await callbackFor(world, off.id);
		await world.bot.services.engine.idle();
		submits = world.fal.submits.length;
		await reactIgnored(post.id, '🎥', world.discord.users[1]);
		expect(world.fal.submits).toHaveLength(submits);
	});
});

describe('answers to reactions are throttled per member', () => {
	const throttle = (maxMembers = 10_000) => {
		const clock = { now: 1_000_000 };
		return { clock, throttle: new RefusalThrottle({ windowMs: 60_000, maxMembers, now: () => clock.now }) };
	};

	it('answers a member once a minute, counted from the last answer', () => {
		const { clock, throttle: t } = throttle();
		expect(t.mayAnswer('g:alice')).toBe(true);
		clock.now += 59_999;
		expect(t.mayAnswer('g:alice')).toBe(false);
		clock.now += 1;
		expect(t.mayAnswer('g:alice')).toBe(true);
		clock.now += 30_000;
		expect(t.mayAnswer('g:alice')).toBe(false);
	});

	it('keeps members apart', () => {
		const { throttle: t } = throttle();
		expect(t.mayAnswer('g:alice')).toBe(true);
		expect(t.mayAnswer('g:bob')).toBe(true);
		expect(t.mayAnswer('other-guild:alice')).toBe(true);
		expect(t.mayAnswer('g:alice')).toBe(false);
	});

	it('remembers at most maxMembers, forgetting the least recently answered first', () => {
		const { clock, throttle: t } = throttle(3);
		for (const member of ['a', 'b', 'c']) {
			expect(t.mayAnswer(member)).toBe(true);
			clock.now += 1;
		}
		expect(t.mayAnswer('d')).toBe(true);
		expect(t.size).toBe(3);
		// 'a' was forgotten, so it is answered again; 'c' is still remembered.
		expect(t.mayAnswer('a')).toBe(true);
		expect(t.mayAnswer('c')).toBe(false);
		expect(t.size).toBe(3);
	});
});
