import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from './support/fake-discord/index.js';
import { FakeFal } from './support/fake-fal/index.js';
import { BOT_TOKEN, envFor } from './support/world.js';

describe('the built bot (node dist/index.js, as npm start runs it)', () => {
	let discord: FakeDiscord;
	let fal: FakeFal;
	beforeAll(async () => {
		discord = await FakeDiscord.start({ token: BOT_TOKEN });
		fal = await FakeFal.start();
	});
	afterAll(async () => {
		await discord?.close();
		await fal?.close();
	});

	it('logs in, registers commands, answers, and exits 0 on SIGTERM', async () => {
		const child = spawn(process.execPath, [resolve('dist/index.js')], {
			env: { PATH: process.env['PATH'] ?? '', ...envFor(discord, fal, { LOG_LEVEL: 'info' }) },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
		try {
			await discord.ready();
			await discord.waitForRequest((r) => r.method === 'PUT' && r.route.includes('/commands'), 15_000);
			const { id } = await discord.dispatchChatInput({ name: 'animate-help' });
			const callback = await discord.waitForRequest((r) => r.route === 'POST /interactions/:id/:token/callback' && r.path.includes(id));
			expect(callback.status).toBe(204);
		} finally {
			child.kill('SIGTERM');
		}
		expect(await exited).toBe(0);
		expect(output).toContain('"msg":"shutting down"');
		expect(output).toContain('"msg":"stopped"');
		expect(output).not.toContain(BOT_TOKEN);
	});
});
