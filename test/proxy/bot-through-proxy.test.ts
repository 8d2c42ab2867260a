import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process.js';
import { DiscordProxyProcess } from '../support/discord-proxy-process.js';
import { useFakes } from '../support/fakes.js';
import { envFor } from '../support/world.js';

/**
 * The built bot, started as `npm start` starts it, with DISCORD_API_URL pointing at the proxy: the bot knows no
 * other REST address, so whatever reaches the fake Discord from it came through the proxy. Interaction callbacks
 * and interaction webhooks carry no bot token and must reach Discord without one; bot routes carry the bot's.
 *
 * The job itself is not followed to its video here: the fake serves attachments from its own address, which the
 * bot's media allow-list admits only when it is DISCORD_API_URL's (here the proxy's). Behind a proxy in
 * production, attachments come from Discord's CDN, which is always allowed. The channel-message route with the
 * bot's token is covered by shared-rate-limit.test.ts.
 */
describe('a bot process behind the Discord REST proxy', () => {
	const fakes = useFakes();
	let proxy: DiscordProxyProcess;

	beforeAll(async () => {
		proxy = await DiscordProxyProcess.start(fakes.discord.apiUrl, fakes.discord.token);
	});
	afterAll(async () => {
		await proxy?.stop();
	});

	it('registers its commands, acknowledges /animate and answers through the interaction webhook', async () => {
		const bot = new BotProcess(envFor(fakes.discord, fakes.fal, { DISCORD_API_URL: proxy.apiUrl }));
		try {
			await bot.waitForLog((line) => line.msg.startsWith('commands '), 15_000);
			const registration = fakes.discord.requests.find((r) => r.route.startsWith('PUT /applications/'));
			expect(registration?.status).toBe(200);
			expect(registration?.headers['authorization']).toBe(`Bot ${fakes.discord.token}`);

			const image = fakes.discord.addAttachment('source-1024x576.png');
			const { id, token } = await fakes.discord.dispatchChatInput({
				name: 'animate',
				options: [{ name: 'image', type: 11, value: image.id }],
				attachments: [image],
			});
			const answered = await fakes.discord.waitForRequest((r) => r.path.startsWith('/webhooks/') && r.path.includes(token), 15_000);
			const callback = fakes.discord.requests.find((r) => r.route === 'POST /interactions/:id/:token/callback' && r.interactionId === id);
			expect(callback?.status).toBeGreaterThanOrEqual(200);
			expect(callback?.status).toBeLessThan(300);
			expect(callback?.headers['authorization']).toBeUndefined();
			expect(answered.status).toBeLessThan(300);
			expect(answered.headers['authorization']).toBeUndefined();
			// Nothing the bot sent was refused or rate limited on the way.
			expect(fakes.discord.requests.filter((r) => r.status === 429 || r.status === 401)).toEqual([]);
		} finally {
			expect(await bot.kill('SIGTERM')).toBe(0);
		}
	}, 60_000);

	it('refuses a request made with another bot token, since it would count against this bot', async () => {
		const response = await fetch(`${proxy.apiUrl}/v10/users/@me`, { headers: { authorization: 'Bot another.bot.token-0123456789' } });
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ message: '401: Unauthorized', code: 0 });
		const same = await fetch(`${proxy.apiUrl}/v10/users/@me`, { headers: { authorization: `Bot ${fakes.discord.token}` } });
		expect(same.status).toBe(200);
	});
});
