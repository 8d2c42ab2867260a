import { afterAll, beforeAll } from 'vitest';
import { FakeDiscord } from '../../fakes/discord/index.js';
import { FakeFal } from '../../fakes/fal/index.js';
import { BOT_TOKEN } from './world.js';

/** Starts a fake Discord and a fake fal for the enclosing suite (for bots run as child processes). */
export function useFakes(): { readonly discord: FakeDiscord; readonly fal: FakeFal } {
	const fakes = {} as { discord: FakeDiscord; fal: FakeFal };
	beforeAll(async () => {
		fakes.discord = await FakeDiscord.start({ token: BOT_TOKEN });
		fakes.fal = await FakeFal.start();
	});
	afterAll(async () => {
		await fakes.discord?.close();
		await fakes.fal?.close();
	});
	return fakes;
}
