import type { APIUser } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../fakes/discord/index.js';
import { bodyOf, callbackFor, descriptionOf, replyOf, runCommand, since } from '../support/requests.js';
import { snowflake } from '../../fakes/discord/index.js';
import { startWorld, type World } from '../support/world.js';

const ATTACHMENT = 11;
const GUILD = 0;
const BOT_DM = 1;
const PRIVATE_CHANNEL = 2;

/**
 * A member who installed the app for themselves uses it where the bot is not a member (a group DM):
 * everything goes through the interaction, and past the 15-minute token through their DMs.
 */
let world: World;
beforeAll(async () => {
	world = await startWorld({ progressIntervalMs: 100, env: { MAX_JOBS_PER_USER: '1' } });
});
afterAll(async () => {
	const refused = world?.discord.requests.filter((r) => r.status === 400) ?? [];
	await world?.close();
	expect(refused.map((r) => `${r.route} ${JSON.stringify(r.response)}`)).toEqual([]);
});
beforeEach(() => {
	world.discord.setTokenLifetime(15 * 60_000);
	world.fal.setDefaultScript({ queuePositions: [1, 0], queueStepMs: 100, runMs: 300, logs: ['Step 10/20', 'Step 20/20'] });
});

/** A member of their own for each case: one case's job in flight must not meet another's limit. */
const newMember = (name: string): APIUser => ({ id: snowflake(), username: name, discriminator: '0', global_name: name, avatar: null });

async function animate(context: 0 | 1 | 2, user: APIUser) {
	const image = world.discord.addAttachment('source-1024x576.png');
	const fresh = since(world);
	const dispatched = await world.discord.dispatchChatInput({
		name: 'animate',
		options: [{ name: 'image', type: ATTACHMENT, value: image.id }],
		attachments: [image],
		context,
		user,
	});
	const mine = (r: RecordedRequest) => fresh(r) && r.path.includes(dispatched.token);
	return { ...dispatched, fresh, mine };
}

const isWebhookVideo = (r: RecordedRequest) => r.route === 'POST /webhooks/:app/:token' && r.status === 200 && r.files.length === 1;
const isChannelRoute = (r: RecordedRequest) => r.path.startsWith('/channels/');

describe('where /animate and Animate image may be used', () => {
	it('registers both for server and user installs in servers, the bot DM and group DMs; settings stay in servers', () => {
		// The tests register to one server (DISCORD_GUILD_ID); the bot sends the same body globally.
		const registered = new Map(world.discord.commands(world.discord.guild.id).map((c) => [c.name, c]));
		for (const name of ['animate', 'Animate image']) {
			expect(registered.get(name)).toMatchObject({ integration_types: [0, 1], contexts: [GUILD, BOT_DM, PRIVATE_CHANNEL] });
		}
		for (const name of ['animate-settings', 'animate-optout']) {
			expect(registered.get(name)).toMatchObject({ integration_types: [0], contexts: [GUILD] });
		}
	});
});

describe('a user installation in a group DM the bot is not in', () => {
	it('answers through the interaction: the card is the deferred reply, the video its follow-up; no channel route is tried', async () => {
		const { mine, fresh } = await animate(PRIVATE_CHANNEL, newMember('ada'));
		const video = await world.discord.waitForRequest((r) => mine(r) && isWebhookVideo(r), 15_000);
		expect(bodyOf(video).content).toContain('your video is ready');
		const cards = world.discord.requests.filter((r) => mine(r) && r.route === 'PATCH /webhooks/:app/:token/messages/:message');
		// Said before it matters: if it runs past the token, the video comes by DM.
		expect(descriptionOf(cards[0]!)).toContain("I'm not in this channel, so if it takes more than 15 minutes I'll send the video to your DMs.");
		await world.discord.waitForRequest((r) => mine(r) && /Video ready/.test(bodyOf(r).embeds?.[0]?.title ?? ''), 5_000);
		// A channel the bot is not in answers 50001: the bot never asks.
		expect(world.discord.requests.filter((r) => fresh(r) && isChannelRoute(r))).toEqual([]);
	});

	it('answers the buttons under such a video through their own interaction: Reroll makes another, Delete removes it', async () => {
		const member = newMember('margaret');
		const { mine, fresh } = await animate(PRIVATE_CHANNEL, member);
		const video = await world.discord.waitForRequest((r) => mine(r) && isWebhookVideo(r), 15_000);
		const message = world.discord.message((video.response as { id: string }).id)!;
		await world.discord.waitForRequest((r) => mine(r) && /Video ready/.test(bodyOf(r).embeds?.[0]?.title ?? ''), 5_000);
		const idOf = (label: string) => bodyOf(video).components![0]!.components.find((b) => b.label === label)!.custom_id!;

		const reroll = await world.discord.dispatchButton({ customId: idOf('Reroll'), message, user: member });
		await world.discord.waitForRequest((r) => r.path.includes(reroll.token) && isWebhookVideo(r), 15_000);

		const del = await world.discord.dispatchButton({ customId: idOf('Delete'), message, user: member });
		await world.discord.waitForRequest((r) => r.method === 'DELETE' && r.path.includes(del.token) && r.status === 204, 5_000);
		expect(world.discord.message(message.id)).toBeUndefined();
		expect(world.discord.requests.filter((r) => fresh(r) && isChannelRoute(r))).toEqual([]);
	});

	it('sends to the member’s DMs a video that outlives the interaction token, exactly once', async () => {
		world.discord.setTokenLifetime(1_500);
		world.fal.script({ queuePositions: [0], runMs: 2_500 });
		const member = newMember('grace');
		const { fresh } = await animate(PRIVATE_CHANNEL, member);
		const dmPost = await world.discord.waitForRequest(
			(r) => fresh(r) && r.route === 'POST /channels/:channel/messages' && r.status === 200 && r.files.length === 1,
			20_000,
		);
		const dm = world.discord.dmChannelFor(member);
		expect(dmPost.path).toBe(`/channels/${dm.id}/messages`);
		expect(world.discord.requests.filter((r) => fresh(r) && r.route === 'POST /users/@me/channels').length).toBeGreaterThan(0);
		expect(world.discord.requests.filter((r) => fresh(r) && isWebhookVideo(r))).toEqual([]);
		// Nothing else went to the group DM's channel routes, and the video was posted once.
		expect(world.discord.requests.filter((r) => fresh(r) && isChannelRoute(r) && !r.path.startsWith(`/channels/${dm.id}/`))).toEqual([]);
		expect(world.discord.messages(dm.id).filter((m) => m.attachments.length === 1)).toHaveLength(1);
	});

	it('keeps the member’s limit across a server and a group DM', async () => {
		world.fal.script({ queuePositions: [0], runMs: 2_000 });
		const member = newMember('linus');
		const inServer = await animate(GUILD, member);
		await world.discord.waitForRequest((r) => inServer.mine(r) && r.method === 'PATCH', 10_000);
		const elsewhere = await animate(PRIVATE_CHANNEL, member);
		const reply = replyOf(await callbackFor(world, elsewhere.id));
		expect(reply.flags! & 64).toBe(64);
		expect(reply.content).toMatch(/You already have 1 video in the works \(the limit is 1\)/);
		await world.discord.waitForRequest((r) => inServer.fresh(r) && r.route === 'POST /channels/:channel/messages' && r.files.length === 1, 15_000);
	});

	it('takes no server’s spend cap along: a capped server refuses, the group DM does not', async () => {
		const capped = await runCommand(world, 'animate-settings', [
			{ name: 'limits', type: 1, options: [{ name: 'monthly_cap', type: 10, value: 0.01 }] },
		]);
		await callbackFor(world, capped.id);
		try {
			const member = newMember('barbara');
			const inServer = await animate(GUILD, member);
			expect(replyOf(await callbackFor(world, inServer.id)).content).toMatch(/monthly spend cap/);
			const elsewhere = await animate(PRIVATE_CHANNEL, member);
			await world.discord.waitForRequest((r) => elsewhere.mine(r) && isWebhookVideo(r), 15_000);
		} finally {
			await callbackFor(world, (await runCommand(world, 'animate-settings', [{ name: 'reset', type: 1 }])).id);
		}
	});
});

describe('the bot’s own DM', () => {
	it('posts the video in the DM as a reply to the card', async () => {
		const member = newMember('edsger');
		const { fresh } = await animate(BOT_DM, member);
		const dm = world.discord.dmChannelFor(member);
		const post = await world.discord.waitForRequest(
			(r) => fresh(r) && r.route === 'POST /channels/:channel/messages' && r.status === 200 && r.files.length === 1,
			15_000,
		);
		expect(post.path).toBe(`/channels/${dm.id}/messages`);
		expect(bodyOf(post).message_reference?.message_id).toBeDefined();
	});
});
