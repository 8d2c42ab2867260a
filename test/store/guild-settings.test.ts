import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, DEFAULT_REACTION_EMOJI, type GuildSettings, type SettingsFallback } from '../../src/domain/settings.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { fallbackFrom, SqliteSettingsStore } from '../../src/store/guild-settings.js';

const FALLBACK: SettingsFallback = { model: 'fal-ai/fast-svd-lcm', jobsPerUser: 3, cooldownSeconds: 45, jobsPerDay: 120 };

const DEFAULTS: GuildSettings = {
	allowedChannels: [],
	reactionEnabled: false,
	reactionEmoji: DEFAULT_REACTION_EMOJI,
	defaults: { ...DEFAULT_PARAMS },
	model: FALLBACK.model,
	jobsPerUser: FALLBACK.jobsPerUser,
	cooldownSeconds: FALLBACK.cooldownSeconds,
	jobsPerDay: FALLBACK.jobsPerDay,
	monthlyCapUsd: null,
};

let db: Database;
let settings: SqliteSettingsStore;

beforeEach(() => {
	db = openDatabase(':memory:');
	settings = new SqliteSettingsStore(db, FALLBACK);
});

describe('SqliteSettingsStore', () => {
	it('falls back to the bot-wide values for a server that changed nothing', () => {
		expect(settings.get('g1')).toEqual(DEFAULTS);
		expect(settings.overrides('g1')).toEqual({});
		const other = new SqliteSettingsStore(db, { model: 'fal-ai/svd', jobsPerUser: 1, cooldownSeconds: 0, jobsPerDay: 5 });
		expect(other.get('g1')).toMatchObject({ model: 'fal-ai/svd', jobsPerUser: 1, cooldownSeconds: 0, jobsPerDay: 5 });
	});

	it('merges each change into what was set before, per server', () => {
		settings.update('g1', { allowedChannels: ['c1', 'c2'], motion: 90 });
		const after = settings.update('g1', { jobsPerDay: 10, reactionEnabled: true, reactionEmoji: 'party:123' });
		expect(after).toEqual({
			...DEFAULTS,
			allowedChannels: ['c1', 'c2'],
			defaults: { ...DEFAULT_PARAMS, motion: 90 },
			jobsPerDay: 10,
			reactionEnabled: true,
			reactionEmoji: 'party:123',
		});
		expect(settings.get('g1')).toEqual(after);
		expect(settings.get('g2')).toEqual(DEFAULTS);
	});

	it('leaves a value as it is when the change carries undefined for it', () => {
		settings.update('g1', { model: 'fal-ai/svd', steps: 30, cooldownSeconds: 5 });
		const after = settings.update('g1', { model: undefined, steps: undefined, noise: 0.1 });
		expect(after.model).toBe('fal-ai/svd');
		expect(after.defaults).toEqual({ motion: DEFAULT_PARAMS.motion, noise: 0.1, steps: 30 });
		expect(after.cooldownSeconds).toBe(5);
		expect(settings.overrides('g1')).toEqual({ model: 'fal-ai/svd', steps: 30, cooldownSeconds: 5, noise: 0.1 });
	});

	it('records when a server last changed its settings', () => {
		settings.update('g1', { motion: 1 }, 1000);
		settings.update('g1', { motion: 2 }, 2000);
		const row = db.prepare('SELECT updated_at AS at FROM guild_settings WHERE guild_id = ?').get('g1') as { at: number };
		expect(row.at).toBe(2000);
	});

	it('resets a server to the fallback without touching other servers', () => {
		settings.update('g1', { jobsPerUser: 9, allowedChannels: ['c1'] });
		settings.update('g2', { jobsPerUser: 7 });
		expect(settings.reset('g1')).toEqual(DEFAULTS);
		expect(settings.overrides('g1')).toEqual({});
		expect(settings.get('g2').jobsPerUser).toBe(7);
		// A reset server takes later changes from the fallback again.
		expect(settings.update('g1', { jobsPerDay: 3 })).toEqual({ ...DEFAULTS, jobsPerDay: 3 });
	});

	it('treats a monthly cap of 0 as no cap, and a positive one as a cap', () => {
		expect(settings.update('g1', { monthlyCapUsd: 25 }).monthlyCapUsd).toBe(25);
		expect(settings.update('g1', { monthlyCapUsd: 0 }).monthlyCapUsd).toBeNull();
		expect(settings.get('g1').monthlyCapUsd).toBeNull();
		expect(settings.update('g1', { monthlyCapUsd: 0.5 }).monthlyCapUsd).toBe(0.5);
	});

	it('turns a member’s opt-out on and off, idempotently and per member', () => {
		expect(settings.isOptedOut('alice')).toBe(false);
		settings.setOptOut('alice', true, 1000);
		settings.setOptOut('alice', true, 2000);
		expect(settings.isOptedOut('alice')).toBe(true);
		expect(settings.isOptedOut('bob')).toBe(false);
		const row = db.prepare('SELECT created_at AS at FROM optouts WHERE user_id = ?').get('alice') as { at: number };
		expect(row.at).toBe(1000);
		settings.setOptOut('alice', false);
		expect(settings.isOptedOut('alice')).toBe(false);
		settings.setOptOut('alice', false);
		expect(settings.isOptedOut('alice')).toBe(false);
	});
});

describe('fallbackFrom', () => {
	it('takes the configured model and limits, the cooldown in seconds', () => {
		expect(fallbackFrom({ falModel: 'fal-ai/svd', limits: { jobsPerUser: 2, userCooldownMs: 30_000, guildJobsPerDay: 50 } })).toEqual({
			model: 'fal-ai/svd',
			jobsPerUser: 2,
			cooldownSeconds: 30,
			jobsPerDay: 50,
		});
	});
});
