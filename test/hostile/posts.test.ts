import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, isVideoPost, since } from '../support/requests.js';
import { startWorld, type World } from '../support/world.js';

/** What hostile members' posts do to the real bot, end to end. */
let world: World;
beforeAll(async () => {
	world = await startWorld({ progressIntervalMs: 100, mediaTimeouts: { idleMs: 1_500, headersMs: 1_500, inputTotalMs: 4_000 } });
	world.fal.setDefaultScript({ queuePositions: [0], runMs: 50 });
});
afterAll(async () => {
	await world?.close();
});

describe('a member whose attachment drips one byte at a time', () => {
	it("holds up no one: another member's video is delivered meanwhile, and the slow one is refused by name", async () => {
		const slow = world.discord.addAttachment('source-1024x576.png', { filename: 'slow.png' });
		world.discord.throttleMedia(slow, { bytesPerSecond: 1 });
		const slowJob = await world.discord.dispatchChatInput({
			name: 'animate',
			options: [{ name: 'image', type: 11, value: slow.id }],
			attachments: [slow],
			user: world.discord.users[0]!,
		});
		await expect.poll(() => world.discord.mediaRequests(slow).length, { timeout: 15_000 }).toBeGreaterThan(0);

		const fresh = since(world);
		const quick = world.discord.addAttachment('square-768.jpg');
		await world.discord.dispatchChatInput({
			name: 'animate',
			options: [{ name: 'image', type: 11, value: quick.id }],
			attachments: [quick],
			user: world.discord.users[1]!,
		});
		const video = await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 10_000);
		expect(bodyOf(video).content).toContain(`<@${world.discord.users[1]!.id}> your video is ready`);

		const refusal = await world.discord.waitForRequest((r) => r.route === 'POST /webhooks/:app/:token' && r.path.includes(slowJob.token), 10_000);
		expect(bodyOf(refusal).flags! & 64).toBe(64);
		expect(bodyOf(refusal).content).toContain("I couldn't download `slow.png` from Discord");
		world.discord.throttleMedia(slow, undefined);
	});
});

describe('a post whose embed points at a private address', () => {
	let inside: Server;
	let hits = 0;
	beforeAll(async () => {
		inside = createServer((_req, res) => {
			hits += 1;
			res.end('secret');
		});
		await new Promise<void>((resolve) => inside.listen(0, '127.0.0.2', resolve));
	});
	afterAll(async () => {
		await new Promise((resolve) => inside.close(resolve));
	});

	it('is animated through Discord’s media proxy, and the private address receives zero requests', async () => {
		const { port } = inside.address() as AddressInfo;
		const image = world.discord.addExternalMedia(`http://127.0.0.2:${port}/internal.png`, 'source-1024x576.png');
		const post = world.discord.dispatchMessageCreate({ author: world.discord.users[1]!, content: 'look', embeds: [{ image: { url: image.url } }] });
		const fresh = since(world);
		await world.discord.dispatchMessageCommand({ name: 'Animate image', targetMessage: post, user: world.discord.users[0]! });
		await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 10_000);
		expect(world.discord.mediaRequests(world.discord.mediaProxyUrl(image.url)).length).toBeGreaterThan(0);
		expect(hits).toBe(0);
	});
});
