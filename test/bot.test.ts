import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../src/bot.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { since } from './support/requests.js';
import { startWorld, type World } from './support/world.js';

describe('the bot against the fake Discord and fake fal', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld();
	});
	afterAll(async () => {
		await world?.close();
	});

	it('logs in and registers its commands to the guild with bodies Discord accepts', () => {
		const put = world.discord.requests.find((r) => r.method === 'PUT' && r.route.includes('/commands'));
		expect(put?.path).toBe(`/applications/${world.discord.application.id}/guilds/${world.discord.guild.id}/commands`);
		expect(put?.status).toBe(200);
		const names = (put?.body as { name: string }[]).map((c) => c.name).sort();
		expect(names).toEqual(['Animate image', 'animate', 'animate-help', 'animate-optout', 'animate-settings']);
	});

	it('does not re-register unchanged commands on the next start, comparing their localizations too', async () => {
		// What is registered carries localizations, so a comparison without them could never match on Discord.
		expect(world.discord.commands(world.discord.guild.id).find((c) => c.name === 'animate')?.description_localizations).toHaveProperty('fr');
		const before = world.discord.requests.filter((r) => r.method === 'PUT' && r.route.includes('/commands')).length;
		const listed = since(world);
		// Its own database: one SQLite file serves one process.
		const config = parseConfig({ ...world.env, DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'animate-db-')), 'second.sqlite') });
		const lines: string[] = [];
		const second = createBot(config, createLogger({ level: 'info', secrets: [], destination: { write: (line: string) => void lines.push(line) } }));
		await second.start();
		// Wait for the second bot's own verdict, not just any earlier request.
		await expect.poll(() => lines.some((line) => line.includes('"msg":"commands unchanged"')), { timeout: 10_000 }).toBe(true);
		await second.stop(500);
		const after = world.discord.requests.filter((r) => r.method === 'PUT' && r.route.includes('/commands')).length;
		expect(after).toBe(before);
		// Discord returns localizations only when asked (the fake returns them either way, so the query is what shows it).
		const list = world.discord.requests.filter((r) => listed(r) && r.route === 'GET /applications/:app/guilds/:guild/commands');
		expect(list.map((r) => r.query)).toEqual([{ with_localizations: 'true' }]);
	});

	it('answers /animate-help privately with an embed', async () => {
		const { id } = await world.discord.dispatchChatInput({ name: 'animate-help' });
		const callback = await world.discord.waitForRequest((r) => r.route === 'POST /interactions/:id/:token/callback' && r.path.includes(id));
		expect(callback.status).toBe(204);
		const body = callback.body as { type: number; data: { flags: number; embeds: { title: string; fields: { name: string }[] }[] } };
		expect(body.type).toBe(4);
		expect(body.data.flags & 64).toBe(64);
		expect(body.data.embeds[0]?.title).toBe('animate-bot');
		expect(body.data.embeds[0]?.fields.map((f) => f.name)).toContain('/animate options');
	});

	it('names an attachment Discord no longer serves, privately, and leaks no secret', async () => {
		// An attachment whose bytes are gone: Discord's CDN answers 404 for its signed URL.
		const attachment = world.discord.addAttachment('source-1024x576.png', { filename: 'gone.png' });
		const submits = world.fal.submits.length;
		const { token } = await world.discord.dispatchChatInput({
			name: 'animate',
			options: [{ name: 'image', type: 11, value: attachment.id }],
			attachments: [{ ...attachment, url: `${attachment.url.split('?')[0]}-missing?ex=1&is=2&hm=signature` }],
		});
		const followUp = await world.discord.waitForRequest((r) => r.route === 'POST /webhooks/:app/:token' && r.path.includes(token));
		const body = followUp.body as { content: string; flags: number };
		expect(body.flags & 64).toBe(64);
		expect(body.content).toContain("I couldn't download `gone.png` from Discord");
		expect(world.fal.submits).toHaveLength(submits);
		const logs = world.logText();
		for (const secret of [world.env['DISCORD_TOKEN']!, world.env['FAL_KEY']!, token, 'hm=signature']) {
			expect(logs).not.toContain(secret);
		}
	});

	it('shows an unexpected error as a short id, logs it with context, and leaks no secret', async () => {
		// fal answers with a video "URL" that is not a URL: the download throws a TypeError. That is no
		// member's mistake and no outage, so the card shows an error id rather than "fal is down".
		world.fal.script({ queuePositions: [0], runMs: 50, result: { image: { url: 'not a url' }, seed: 1 } });
		const attachment = world.discord.addAttachment('source-1024x576.png');
		const { id, token } = await world.discord.dispatchChatInput({
			name: 'animate',
			options: [{ name: 'image', type: 11, value: attachment.id }],
			attachments: [attachment],
		});
		const edit = await world.discord.waitForRequest(
			(r) => r.method === 'PATCH' && r.path.includes(token) && /error id/.test(JSON.stringify(r.body)),
			15_000,
		);
		const description = (edit.body as { embeds: { description: string }[] }).embeds[0]!.description;
		const errorId = /Something went wrong on our side \(error id `([0-9a-f]{8})`\)/.exec(description)?.[1];
		expect(errorId).toBeDefined();

		const logs = world.logText();
		const line = logs.split('\n').find((l) => l.includes(`"errorId":"${errorId}"`));
		expect(line).toContain(`"interactionId":"${id}"`);
		for (const secret of [world.env['DISCORD_TOKEN']!, world.env['FAL_KEY']!, token]) {
			expect(logs).not.toContain(secret);
		}
	});
});
