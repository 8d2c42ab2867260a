import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../support/world.js';
import { freePort } from '../support/free-port.js';

/** animate_queue_depth as the bot's /metrics answers it now. */
async function depth(base: string): Promise<number | undefined> {
	const text = await (await fetch(`${base}/metrics`)).text();
	const line = text.split('\n').find((l) => l.startsWith('animate_queue_depth '));
	return line === undefined ? undefined : Number(line.split(' ')[1]);
}

/** The bot as `npm start` wires it (one process, SQLite): the gauge follows the jobs waiting for a fal slot. */
describe('animate_queue_depth', () => {
	let world: World;
	let base: string;
	beforeAll(async () => {
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		world = await startWorld({ progressIntervalMs: 100, env: { HTTP_PORT: String(port), MAX_FAL_JOBS: '1' } });
	});
	afterAll(async () => {
		await world?.close();
	});

	it('counts the jobs waiting for a fal slot at each scrape, and falls as they go to fal', async () => {
		expect(await depth(base)).toBe(0);
		// Each job stays at fal until released: one holds the only slot, the other two wait for it.
		world.fal.setDefaultScript({ outcome: 'never' });
		for (let i = 0; i < 3; i += 1) {
			const image = world.discord.addAttachment('source-1024x576.png');
			await world.discord.dispatchChatInput({ name: 'animate', options: [{ name: 'image', type: 11, value: image.id }], attachments: [image] });
		}
		await expect.poll(() => world.fal.submits.length, { timeout: 10_000 }).toBe(1);
		await expect.poll(() => depth(base), { timeout: 10_000 }).toBe(2);

		world.fal.release(world.fal.submits[0]!.requestId);
		await expect.poll(() => world.fal.submits.length, { timeout: 10_000 }).toBe(2);
		await expect.poll(() => depth(base), { timeout: 10_000 }).toBe(1);

		world.fal.release(world.fal.submits[1]!.requestId);
		await expect.poll(() => world.fal.submits.length, { timeout: 10_000 }).toBe(3);
		expect(await depth(base)).toBe(0);
		world.fal.release(world.fal.submits[2]!.requestId);
		await world.bot.services.engine.idle();
	});
});
