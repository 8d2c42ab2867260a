import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callbackFor, replyOf, runCommand, since, titleOf } from '../support/requests.js';
import { startWorld, type World } from '../support/world.js';

describe('/animate-settings changes what it claims to', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld({ progressIntervalMs: 100 });
		world.fal.setDefaultScript({ queuePositions: [0], runMs: 100 });
	});
	afterAll(async () => {
		await world?.close();
	});
	beforeEach(async () => {
		await settings([{ name: 'reset', type: 1 }]);
	});

	async function settings(options: unknown[]) {
		const { id } = await runCommand(world, 'animate-settings', options);
		const reply = replyOf(await callbackFor(world, id));
		expect(reply.flags! & 64).toBe(64);
		return reply.embeds?.[0]?.description ?? '';
	}

	async function animate(options: unknown[] = []) {
		const image = world.discord.addAttachment('source-1024x576.png');
		const fresh = since(world);
		const dispatched = await world.discord.dispatchChatInput({
			name: 'animate',
			options: [{ name: 'image', type: 11, value: image.id }, ...(options as never[])],
			attachments: [image],
			user: world.discord.users[0]!,
		});
		return { ...dispatched, fresh };
	}

	const refusalOf = async (id: string) => {
		const reply = replyOf(await callbackFor(world, id));
		expect(reply.flags! & 64).toBe(64);
		return reply.content ?? '';
	};

	it('shows the settings in force, privately', async () => {
		const view = await settings([{ name: 'view', type: 1 }]);
		expect(view).toContain('**Channels:** all');
		expect(view).toContain('**Default model:** Stable Video Diffusion (`fal-ai/svd`)');
		expect(view).toContain('**Models members may pick:** Stable Video Diffusion (');
		expect(view).toContain('**Monthly spend cap:** none');
	});

	it('refuses /animate in a channel that is not allowed', async () => {
		const shown = await settings([
			{
				name: 'channel',
				type: 1,
				options: [
					{ name: 'channel', type: 7, value: world.discord.otherChannelId },
					{ name: 'allowed', type: 5, value: true },
				],
			},
		]);
		expect(shown).toContain(`**Channels:** <#${world.discord.otherChannelId}>`);
		const submits = world.fal.submits.length;
		const { id } = await animate();
		expect(await refusalOf(id)).toBe(`Videos can't be made in this channel. This server allows them in <#${world.discord.otherChannelId}>.`);
		expect(world.fal.submits).toHaveLength(submits);
	});

	it('sends a changed default to fal', async () => {
		expect(
			await settings([
				{
					name: 'defaults',
					type: 1,
					options: [
						{ name: 'motion', type: 4, value: 200 },
						{ name: 'steps', type: 4, value: 30 },
					],
				},
			]),
		).toContain("**Defaults:** motion 200, noise (the model's), steps 30");
		const { token } = await animate();
		await world.discord.waitForRequest((r) => r.path.includes(token) && /Video ready/.test(titleOf(r)), 10_000);
		expect(world.fal.submits.at(-1)!.input).toMatchObject({ motion_bucket_id: 200, steps: 30, cond_aug: 0.02 });
	});

	it('switches the default model, whose option set then applies', async () => {
		expect(await settings([{ name: 'models', type: 1, options: [{ name: 'default', type: 3, value: 'fal-ai/fast-svd-lcm' }] }])).toContain(
			'**Default model:** Fast SVD (LCM) (`fal-ai/fast-svd-lcm`)',
		);
		const mask = world.discord.addAttachment('mask-1024x576.png');
		const image = world.discord.addAttachment('source-1024x576.png');
		const refused = await world.discord.dispatchChatInput({
			name: 'animate',
			options: [
				{ name: 'image', type: 11, value: image.id },
				{ name: 'mask', type: 11, value: mask.id },
			],
			attachments: [image, mask],
			user: world.discord.users[0]!,
		});
		expect(await refusalOf(refused.id)).toContain('Fast SVD (LCM) does not take `mask`');

		const { token } = await animate([{ name: 'fps', type: 4, value: 12 }]);
		await world.discord.waitForRequest((r) => r.path.includes(token) && /Video ready/.test(titleOf(r)), 10_000);
		expect(world.fal.submits.at(-1)!.model).toBe('fal-ai/fast-svd-lcm');
		expect(world.fal.submits.at(-1)!.input).toMatchObject({ fps: 12 });
	});

	it('refuses past the monthly spend cap, naming the cap and the reset date', async () => {
		// Below the price of one video, so the very next one is over the cap.
		const shown = await settings([{ name: 'limits', type: 1, options: [{ name: 'monthly_cap', type: 10, value: 0.05 }] }]);
		expect(shown).toMatch(/\*\*Monthly spend cap:\*\* \$0\.05 \(\$\d+\.\d{2,3} used this month\)/);
		const submits = world.fal.submits.length;
		const { id } = await animate();
		expect(world.fal.submits).toHaveLength(submits);
		expect(await refusalOf(id)).toMatch(
			/reached its \$0\.05 monthly spend cap for videos \(\$\d+\.\d{2,3} used\)\. It resets on <t:\d+:D> \(<t:\d+:R>\)\./,
		);
		const next = new Date();
		const reset = Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 1) / 1000;
		expect(await refusalOf(id)).toContain(`<t:${reset}:D>`);
	});

	it('shows the estimated cost on the card before submitting when a cap is set', async () => {
		await settings([{ name: 'limits', type: 1, options: [{ name: 'monthly_cap', type: 10, value: 1000 }] }]);
		const { token } = await animate();
		const first = await world.discord.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(token));
		expect(titleOf(first)).toContain('Preparing');
		expect(JSON.stringify(first.body)).toMatch(/Estimated cost \$0\.075; this server has used \$\d+\.\d{2,3} of its \$1000\.00 monthly cap/);
	});
});
