import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixture } from '../support/fixtures.js';
import { bodyOf, callbackFor, isVideoPost, postImages, replyOf, runCommand, since, titleOf } from '../support/requests.js';
import { startWorld, type World } from '../support/world.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the "Animate image" context menu', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld({ progressIntervalMs: 100 });
		world.fal.setDefaultScript({ queuePositions: [0], runMs: 100 });
	});
	afterAll(async () => {
		await world?.close();
	});

	it('animates the image of a post, for the member who asked', async () => {
		const post = postImages(world, ['square-768.jpg']);
		const fresh = since(world);
		const submits = world.fal.submits.length;
		const { token } = await world.discord.dispatchMessageCommand({ name: 'Animate image', targetMessage: post, user: world.discord.users[0]! });
		const video = await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 10_000);
		expect(bodyOf(video).content).toContain(`<@${world.discord.users[0]!.id}>`);
		const input = world.fal.submits[submits]!.input as { image_url: string };
		expect(world.fal.upload(input.image_url)?.sha256).toBe(sha256(readFixture('square-768.jpg')));
		await world.discord.waitForRequest((r) => fresh(r) && r.path.includes(token) && /Video ready/.test(titleOf(r)));
	});

	it('animates the first of several images and says so', async () => {
		const post = postImages(world, ['small-640x360.webp', 'source-1024x576.png']);
		const fresh = since(world);
		const submits = world.fal.submits.length;
		const { token } = await world.discord.dispatchMessageCommand({ name: 'Animate image', targetMessage: post, user: world.discord.users[0]! });
		const card = await world.discord.waitForRequest((r) => fresh(r) && r.path.includes(token) && r.method === 'PATCH');
		expect(JSON.stringify(bodyOf(card))).toContain('That post has 2 images; I animated the first one.');
		await expect.poll(() => world.fal.submits.length).toBe(submits + 1);
		const input = world.fal.submits[submits]!.input as { image_url: string };
		expect(world.fal.upload(input.image_url)?.sha256).toBe(sha256(readFixture('small-640x360.webp')));
		// Its video is posted before the next case looks for its own.
		await world.discord.waitForRequest((r) => fresh(r) && r.path.includes(token) && /Video ready/.test(titleOf(r)), 10_000);
	});

	it('answers privately when the post has no image', async () => {
		const post = world.discord.dispatchMessageCreate({ author: world.discord.users[1]!, content: 'just words' });
		const submits = world.fal.submits.length;
		const { id } = await world.discord.dispatchMessageCommand({ name: 'Animate image', targetMessage: post, user: world.discord.users[0]! });
		const reply = await callbackFor(world, id);
		expect(replyOf(reply).flags! & 64).toBe(64);
		expect(replyOf(reply).content).toContain('That message has no image I can animate');
		expect(world.fal.submits).toHaveLength(submits);
	});

	describe("on a forwarded post, whose image travels only in the forward's snapshot", () => {
		/** `post` forwarded into the other channel by the second member, checked to carry nothing of its own. */
		const forwardOf = (post: APIMessage) => {
			const forward = world.discord.dispatchForward({ message: post, channelId: world.discord.otherChannelId, author: world.discord.users[1]! });
			expect(forward.attachments).toEqual([]);
			expect(forward.embeds).toEqual([]);
			return forward;
		};

		it('animates the forwarded attachment', async () => {
			const forward = forwardOf(postImages(world, ['square-768.jpg']));
			const fresh = since(world);
			const submits = world.fal.submits.length;
			const { token } = await world.discord.dispatchMessageCommand({ name: 'Animate image', targetMessage: forward, user: world.discord.users[0]! });
			const video = await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 10_000);
			expect(bodyOf(video).content).toContain(`<@${world.discord.users[0]!.id}>`);
			const input = world.fal.submits[submits]!.input as { image_url: string };
			expect(world.fal.upload(input.image_url)?.sha256).toBe(sha256(readFixture('square-768.jpg')));
			await world.discord.waitForRequest((r) => fresh(r) && r.path.includes(token) && /Video ready/.test(titleOf(r)));
		});

		it("takes a forwarded embed's picture through Discord's media proxy, never from the embed's own url", async () => {
			let hits = 0;
			const origin = createServer((_req, res) => {
				hits += 1;
				res.end('not through the proxy');
			});
			await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
			try {
				const url = `http://127.0.0.1:${(origin.address() as AddressInfo).port}/forwarded.png`;
				const image = world.discord.addExternalMedia(url, 'source-1024x576.png');
				const post = world.discord.dispatchMessageCreate({ author: world.discord.users[0]!, content: url, embeds: [{ image: { url } }] });
				const forward = forwardOf(post);
				const fresh = since(world);
				const submits = world.fal.submits.length;
				await world.discord.dispatchMessageCommand({ name: 'Animate image', targetMessage: forward, user: world.discord.users[0]! });
				await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 10_000);
				expect(world.discord.mediaRequests(world.discord.mediaProxyUrl(image.url)).length).toBeGreaterThan(0);
				const input = world.fal.submits[submits]!.input as { image_url: string };
				expect(world.fal.upload(input.image_url)?.sha256).toBe(sha256(readFixture('source-1024x576.png')));
				expect(hits).toBe(0);
			} finally {
				await new Promise((resolve) => origin.close(resolve));
			}
		});

		it('answers privately when the forwarded post has no image', async () => {
			const forward = forwardOf(world.discord.dispatchMessageCreate({ author: world.discord.users[0]!, content: 'just words, forwarded' }));
			const submits = world.fal.submits.length;
			const { id } = await world.discord.dispatchMessageCommand({ name: 'Animate image', targetMessage: forward, user: world.discord.users[0]! });
			const reply = replyOf(await callbackFor(world, id));
			expect(reply.flags! & 64).toBe(64);
			expect(reply.content).toContain('That message has no image I can animate');
			expect(world.fal.submits).toHaveLength(submits);
		});
	});

	it("respects a poster's opt-out, except for the poster's own images", async () => {
		const [requester, poster] = world.discord.users as [never, never];
		const optout = await runCommand(world, 'animate-optout', [], poster);
		expect(replyOf(await callbackFor(world, optout.id)).content).toContain('others can no longer animate your images');

		const post = postImages(world, ['source-1024x576.png'], poster);
		const submits = world.fal.submits.length;
		const refused = await world.discord.dispatchMessageCommand({ name: 'Animate image', targetMessage: post, user: requester });
		const reply = replyOf(await callbackFor(world, refused.id));
		expect(reply.flags! & 64).toBe(64);
		expect(reply.content).toContain('has asked that their images not be animated by others');
		expect(world.fal.submits).toHaveLength(submits);

		// A forward carries the image but not its poster: the forwarded post's author still decides.
		const forward = world.discord.dispatchForward({ message: post, channelId: world.discord.otherChannelId, author: requester });
		const viaForward = await world.discord.dispatchMessageCommand({ name: 'Animate image', targetMessage: forward, user: requester });
		expect(replyOf(await callbackFor(world, viaForward.id)).content).toContain('has asked that their images not be animated by others');
		expect(world.fal.submits).toHaveLength(submits);

		const own = await world.discord.dispatchMessageCommand({ name: 'Animate image', targetMessage: post, user: poster });
		await world.discord.waitForRequest((r) => r.path.includes(own.token) && /Video ready/.test(titleOf(r)), 10_000);

		const undo = await runCommand(world, 'animate-optout', [{ name: 'undo', type: 5, value: true }], poster);
		expect(replyOf(await callbackFor(world, undo.id)).content).toContain('may animate your images again');
		const allowed = await world.discord.dispatchMessageCommand({ name: 'Animate image', targetMessage: post, user: requester });
		await world.discord.waitForRequest((r) => r.path.includes(allowed.token) && /Video ready/.test(titleOf(r)), 10_000);
	});
});
