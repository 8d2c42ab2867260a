import { describe, expect, it } from 'vitest';
import { BotProcess } from './support/bot-process.js';
import { useFakes } from './support/fakes.js';
import { BOT_TOKEN, envFor } from './support/world.js';

describe('the built bot (node dist/index.js, as npm start runs it)', () => {
	const fakes = useFakes();

	it('logs in, registers commands, answers, and exits 0 on SIGTERM', async () => {
		const bot = new BotProcess(envFor(fakes.discord, fakes.fal, { LOG_LEVEL: 'info' }));
		try {
			await bot.waitForLog((line) => line.msg.startsWith('commands '), 15_000);
			const { id } = await fakes.discord.dispatchChatInput({ name: 'animate-help' });
			const callback = await fakes.discord.waitForRequest((r) => r.route === 'POST /interactions/:id/:token/callback' && r.path.includes(id));
			expect(callback.status).toBe(204);
		} finally {
			expect(await bot.kill('SIGTERM')).toBe(0);
		}
		expect(bot.lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
		expect(bot.output).not.toContain(BOT_TOKEN);
	});
});
