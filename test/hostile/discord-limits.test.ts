import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, callbackFor, isVideoPost, replyOf, runCommand, since, titleOf } from '../support/requests.js';
import { startWorld, type World } from '../support/world.js';

/**
 * Whatever members name their files and however admins configure a server, every text the bot
 * sends fits Discord's limits (the fake answers 400 50035 the way Discord does otherwise).
 */
let world: World;
beforeAll(async () => {
	world = await startWorld({ progressIntervalMs: 100 });
	world.fal.setDefaultScript({ queuePositions: [0], runMs: 50 });
});
afterAll(async () => {
	const refused = world?.discord.requests.filter((r) => r.status === 400) ?? [];
	await world?.close();
	expect(refused.map((r) => `${r.route} ${JSON.stringify(r.response)}`)).toEqual([]);
});

const snowflakes = (count: number) => Array.from({ length: count }, (_, i) => String(1_300_000_000_000_000_000n + BigInt(i)));

describe('Discord limits', () => {
	it('posts the video of a file with a 240-character name: the title is cut, the job is delivered', async () => {
		const filename = `${'a-very-long-name-'.repeat(14).slice(0, 236)}.png`;
		expect(filename).toHaveLength(240);
		const image = world.discord.addAttachment('source-1024x576.png', { filename });
		const fresh = since(world);
		const { token } = await world.discord.dispatchChatInput({
			name: 'animate',
			options: [{ name: 'image', type: 11, value: image.id }],
			attachments: [image],
		});
		const video = await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 15_000);
		const title = bodyOf(video).embeds?.[0]?.title ?? '';
		expect(title.length).toBeLessThanOrEqual(256);
		expect(title.startsWith('🎬 a-very-long-name-')).toBe(true);
		await world.discord.waitForRequest((r) => r.path.includes(token) && /Video ready/.test(titleOf(r)), 10_000);
	});

	it('a server allowing 100 channels: the refusal and the settings card still fit', async () => {
		const guildId = world.discord.guild.id;
		await world.bot.services.settings.update(guildId, { allowedChannels: snowflakes(100) });
		try {
			const image = world.discord.addAttachment('source-1024x576.png');
			const { id } = await world.discord.dispatchChatInput({
				name: 'animate',
				options: [{ name: 'image', type: 11, value: image.id }],
				attachments: [image],
			});
			const refusal = replyOf(await callbackFor(world, id));
			expect(refusal.content).toMatch(/^Videos can't be made in this channel\. This server allows them in <#\d+>/);
			expect(refusal.content!.length).toBeLessThanOrEqual(2000);
			expect(refusal.flags! & 64).toBe(64);

			const view = await runCommand(world, 'animate-settings', [{ name: 'view', type: 1 }]);
			const card = replyOf(await callbackFor(world, view.id));
			const description = card.embeds?.[0]?.description ?? '';
			expect(description.length).toBeLessThanOrEqual(4096);
			expect(description).toContain('**Channels:** <#');
		} finally {
			await world.bot.services.settings.update(guildId, { allowedChannels: [] });
		}
	});
});
