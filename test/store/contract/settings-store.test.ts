import { describe, expect, it } from 'vitest';
import { DEFAULT_REACTION_EMOJI, type GuildSettings, type SettingsFallback } from '../../../src/domain/settings.js';
import { fallbackFrom } from '../../../src/store/guild-settings.js';
import { contract, parsed } from './dialects.js';

const FALLBACK: SettingsFallback = {
	model: 'fal-ai/fast-svd-lcm',
	models: ['fal-ai/svd', 'fal-ai/fast-svd-lcm'],
	jobsPerUser: 3,
	cooldownSeconds: 45,
	jobsPerDay: 120,
};

const DEFAULTS: GuildSettings = {
	allowedChannels: [],
	reactionEnabled: false,
	reactionEmoji: DEFAULT_REACTION_EMOJI,
	defaults: {},
	model: FALLBACK.model,
	models: FALLBACK.models,
	jobsPerUser: FALLBACK.jobsPerUser,
	cooldownSeconds: FALLBACK.cooldownSeconds,
	jobsPerDay: FALLBACK.jobsPerDay,
	monthlyCapUsd: null,
};

contract('SettingsStore', (fixture) => {
	/** What a server changed, as stored (undefined: nothing). */
	const overrides = async (guildId: string) => parsed((await fixture().raw('guild_settings', guildId))?.['settings']);

	it('falls back to the bot-wide values for a server that changed nothing', async () => {
		const settings = fixture().settings(FALLBACK);
		expect(await settings.get('g1')).toEqual(DEFAULTS);
		expect(await overrides('g1')).toBeUndefined();
		const other = fixture().settings({ model: 'fal-ai/svd', models: ['fal-ai/svd'], jobsPerUser: 1, cooldownSeconds: 0, jobsPerDay: 5 });
		expect(await other.get('g1')).toMatchObject({ model: 'fal-ai/svd', jobsPerUser: 1, cooldownSeconds: 0, jobsPerDay: 5 });
	});

	it('merges each change into what was set before, per server', async () => {
		const settings = fixture().settings(FALLBACK);
		await settings.update('g1', { allowedChannels: ['c1', 'c2'], motion: 90 });
		const after = await settings.update('g1', { jobsPerDay: 10, reactionEnabled: true, reactionEmoji: 'party:123' });
		expect(after).toEqual({
			...DEFAULTS,
			allowedChannels: ['c1', 'c2'],
			defaults: { motion: 90 },
			jobsPerDay: 10,
			reactionEnabled: true,
			reactionEmoji: 'party:123',
		});
		expect(await settings.get('g1')).toEqual(after);
		expect(await settings.get('g2')).toEqual(DEFAULTS);
	});

	it('leaves a value as it is when the change carries undefined for it', async () => {
		const settings = fixture().settings(FALLBACK);
		await settings.update('g1', { model: 'fal-ai/svd', steps: 30, cooldownSeconds: 5 });
		const after = await settings.update('g1', { model: undefined, steps: undefined, noise: 0.1 });
		expect(after.model).toBe('fal-ai/svd');
		expect(after.defaults).toEqual({ noise: 0.1, steps: 30 });
		expect(after.cooldownSeconds).toBe(5);
		expect(await overrides('g1')).toEqual({ model: 'fal-ai/svd', steps: 30, cooldownSeconds: 5, noise: 0.1 });
	});

	it('records when a server last changed its settings', async () => {
		const settings = fixture().settings(FALLBACK);
		await settings.update('g1', { motion: 1 }, 1000);
		await settings.update('g1', { motion: 2 }, 2000);
		expect(Number((await fixture().raw('guild_settings', 'g1'))?.['updated_at'])).toBe(2000);
	});

	it('resets a server to the fallback without touching other servers', async () => {
		const settings = fixture().settings(FALLBACK);
		await settings.update('g1', { jobsPerUser: 9, allowedChannels: ['c1'] });
		await settings.update('g2', { jobsPerUser: 7 });
		expect(await settings.reset('g1')).toEqual(DEFAULTS);
		expect(await overrides('g1')).toBeUndefined();
		expect((await settings.get('g2')).jobsPerUser).toBe(7);
		// A reset server takes later changes from the fallback again.
		expect(await settings.update('g1', { jobsPerDay: 3 })).toEqual({ ...DEFAULTS, jobsPerDay: 3 });
	});

	it('treats a monthly cap of 0 as no cap, and a positive one as a cap', async () => {
		const settings = fixture().settings(FALLBACK);
		expect((await settings.update('g1', { monthlyCapUsd: 25 })).monthlyCapUsd).toBe(25);
		expect((await settings.update('g1', { monthlyCapUsd: 0 })).monthlyCapUsd).toBeNull();
		expect((await settings.get('g1')).monthlyCapUsd).toBeNull();
		expect((await settings.update('g1', { monthlyCapUsd: 0.5 })).monthlyCapUsd).toBe(0.5);
	});

	it('turns a member’s opt-out on and off, idempotently and per member', async () => {
		const settings = fixture().settings(FALLBACK);
		expect(await settings.isOptedOut('alice')).toBe(false);
		await settings.setOptOut('alice', true, 1000);
		await settings.setOptOut('alice', true, 2000);
		expect(await settings.isOptedOut('alice')).toBe(true);
		expect(await settings.isOptedOut('bob')).toBe(false);
		// The first opt-out is the one kept.
		expect(Number((await fixture().raw('optouts', 'alice'))?.['created_at'])).toBe(1000);
		await settings.setOptOut('alice', false);
		expect(await settings.isOptedOut('alice')).toBe(false);
		await settings.setOptOut('alice', false);
		expect(await settings.isOptedOut('alice')).toBe(false);
	});
});

describe('fallbackFrom', () => {
	it('takes the configured model and limits, the cooldown in seconds, and allows the SVD family', () => {
		expect(fallbackFrom({ falModel: 'fal-ai/svd', limits: { jobsPerUser: 2, userCooldownMs: 30_000, guildJobsPerDay: 50 } })).toEqual({
			model: 'fal-ai/svd',
			models: ['fal-ai/svd', 'fal-ai/stable-video', 'fal-ai/fast-svd-lcm'],
			jobsPerUser: 2,
			cooldownSeconds: 30,
			jobsPerDay: 50,
		});
	});

	it('also allows the configured model when it is not of the SVD family', () => {
		const kling = 'fal-ai/kling-video/v2.5-turbo/standard/image-to-video';
		const fallback = fallbackFrom({ falModel: kling, limits: { jobsPerUser: 2, userCooldownMs: 0, guildJobsPerDay: 50 } });
		expect(fallback.model).toBe(kling);
		expect(fallback.models).toEqual([kling, 'fal-ai/svd', 'fal-ai/stable-video', 'fal-ai/fast-svd-lcm']);
	});
});
