import type { APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, callbackFor, isVideoPost, postImages, replyOf, since, titleOf } from '../support/requests.js';
import { startWorld, type World } from '../support/world.js';

type Input = { image_url: string; seed: number; motion_bucket_id: number };

describe('buttons on a posted video', () => {
	let world: World;
	let result: APIMessage;
	let first: Input;
	const [requester, poster, stranger] = [0, 1, 2];
	const user = (i: number) => world.discord.users[i]!;

	beforeAll(async () => {
		world = await startWorld({ progressIntervalMs: 100 });
		world.fal.setDefaultScript({ queuePositions: [0], runMs: 100 });
		// The requester animates the poster's image from the post.
		const post = postImages(world, ['source-1024x576.png'], user(poster));
		const fresh = since(world);
		await world.discord.dispatchMessageCommand({ name: 'Animate image', targetMessage: post, user: user(requester) });
		const video = await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 10_000);
		result = world.discord.message((video.response as { id: string }).id)!;
		first = world.fal.submits.at(-1)!.input as Input;
	});
	afterAll(async () => {
		await world?.close();
	});

	const customId = (action: string) =>
		(result.components as unknown as { components: { custom_id: string }[] }[])[0]!.components.find((c) =>
			c.custom_id.startsWith(`animate:${action}:`),
		)!.custom_id;

	async function press(action: string, who: number) {
		const fresh = since(world);
		const submits = world.fal.submits.length;
		const { id, token } = await world.discord.dispatchButton({ customId: customId(action), message: result, user: user(who) });
		return { id, token, fresh, submits };
	}

	async function followUp(action: string, who: number): Promise<Input> {
		const { token, submits } = await press(action, who);
		await world.discord.waitForRequest((r) => r.path.includes(token) && /Video ready/.test(titleOf(r)), 10_000);
		expect(world.fal.submits).toHaveLength(submits + 1);
		return world.fal.submits.at(-1)!.input as Input;
	}

	it('carries 🔁 ➕ ➖ 🗑️ buttons naming the job', () => {
		const buttons = (result.components as unknown as { components: { custom_id: string; label: string }[] }[])[0]!.components;
		expect(buttons.map((b) => b.label)).toEqual(['Reroll', 'More motion', 'Less motion', 'Delete']);
		const jobId = /job (\S+)$/.exec(result.embeds[0]!.footer!.text)![1]!;
		expect(buttons.map((b) => b.custom_id)).toEqual(['reroll', 'more', 'less', 'delete'].map((action) => `animate:${action}:${jobId}`));
	});

	it('🔁 reroll: same uploaded image, a new seed, for whoever pressed it', async () => {
		const uploads = world.fal.uploads.length;
		const again = await followUp('reroll', stranger);
		expect(again.image_url).toBe(first.image_url);
		expect(again.seed).not.toBe(first.seed);
		expect(again.motion_bucket_id).toBe(first.motion_bucket_id);
		// Nothing fetched from Discord or uploaded again.
		expect(world.fal.uploads).toHaveLength(uploads);
		const post = world.discord.requests.filter(isVideoPost).at(-1)!;
		expect(bodyOf(post).content).toContain(`<@${user(stranger).id}>`);
	});

	it('➕/➖ motion: ±40 with the same seed', async () => {
		expect(await followUp('more', requester)).toMatchObject({ motion_bucket_id: 167, seed: first.seed, image_url: first.image_url });
		expect(await followUp('less', requester)).toMatchObject({ motion_bucket_id: 87, seed: first.seed });
	});

	it('still works after a restart, reading the job from the database', async () => {
		await world.restart();
		expect(await followUp('reroll', requester)).toMatchObject({ image_url: first.image_url });
	});

	it('🗑️ delete: refused to a stranger, allowed to the poster of the image', async () => {
		const denied = await press('delete', stranger);
		const reply = replyOf(await callbackFor(world, denied.id));
		expect(reply.flags! & 64).toBe(64);
		expect(reply.content).toContain('Only the person who asked for this video, the poster of the image, or a moderator can delete it.');
		expect(world.discord.message(result.id)).toBeDefined();

		const allowed = await press('delete', poster);
		const deletion = await world.discord.waitForRequest(
			(r) => allowed.fresh(r) && r.method === 'DELETE' && r.path.endsWith(`/messages/${result.id}`),
		);
		expect(deletion.status).toBe(204);
		expect(replyOf(await callbackFor(world, allowed.id)).content).toBe('Deleted.');
		expect(world.discord.message(result.id)).toBeUndefined();
	});
});
