import type { Config } from '../config.js';
import type { Database } from './database.js';

/** What an admin may change per server; unset values fall back to the bot-wide configuration. */
export interface GuildOverrides {
	readonly allowedChannels?: readonly string[];
	readonly reactionEnabled?: boolean;
	readonly reactionEmoji?: string;
	readonly motion?: number;
	readonly noise?: number;
	readonly steps?: number;
	readonly model?: string;
	readonly jobsPerUser?: number;
	readonly cooldownSeconds?: number;
	readonly jobsPerDay?: number;
	/** USD per calendar month (UTC); 0 or unset means no cap. */
	readonly monthlyCapUsd?: number;
}

/** The settings in force in one server. */
export interface GuildSettings {
	/** Empty: every channel. */
	readonly allowedChannels: readonly string[];
	readonly reactionEnabled: boolean;
	readonly reactionEmoji: string;
	readonly defaults: { readonly motion: number; readonly noise: number; readonly steps: number };
	readonly model: string;
	readonly jobsPerUser: number;
	readonly cooldownSeconds: number;
	readonly jobsPerDay: number;
	readonly monthlyCapUsd: number | null;
}

export const DEFAULT_REACTION_EMOJI = '🎬';
export const DEFAULT_PARAMS = { motion: 127, noise: 0.02, steps: 20 } as const;

/** Per-server settings and per-member opt-outs, in the bot's database. */
export class SettingsStore {
	private readonly select;
	private readonly isOptedOutQuery;

	public constructor(
		private readonly db: Database,
		private readonly config: Pick<Config, 'falModel' | 'limits'>,
	) {
		// Read on every new job, so compiled once.
		this.select = db.prepare('SELECT settings FROM guild_settings WHERE guild_id = ?');
		this.isOptedOutQuery = db.prepare('SELECT 1 FROM optouts WHERE user_id = ?');
	}

	public overrides(guildId: string): GuildOverrides {
		const row = this.select.get(guildId) as { settings: string } | undefined;
		return row ? (JSON.parse(row.settings) as GuildOverrides) : {};
	}

	public get(guildId: string): GuildSettings {
		const o = this.overrides(guildId);
		const { limits, falModel } = this.config;
		return {
			allowedChannels: o.allowedChannels ?? [],
			reactionEnabled: o.reactionEnabled ?? false,
			reactionEmoji: o.reactionEmoji ?? DEFAULT_REACTION_EMOJI,
			defaults: { motion: o.motion ?? DEFAULT_PARAMS.motion, noise: o.noise ?? DEFAULT_PARAMS.noise, steps: o.steps ?? DEFAULT_PARAMS.steps },
			model: o.model ?? falModel,
			jobsPerUser: o.jobsPerUser ?? limits.jobsPerUser,
			cooldownSeconds: o.cooldownSeconds ?? limits.userCooldownMs / 1000,
			jobsPerDay: o.jobsPerDay ?? limits.guildJobsPerDay,
			monthlyCapUsd: o.monthlyCapUsd ? o.monthlyCapUsd : null,
		};
	}

	/** Merges a change into the server's settings; `undefined` in the patch leaves a value as it is. */
	public update(guildId: string, patch: GuildOverrides, now = Date.now()): GuildSettings {
		const merged = { ...this.overrides(guildId), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
		this.db
			.prepare(
				'INSERT INTO guild_settings (guild_id, settings, updated_at) VALUES (?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at',
			)
			.run(guildId, JSON.stringify(merged), now);
		return this.get(guildId);
	}

	public reset(guildId: string): GuildSettings {
		this.db.prepare('DELETE FROM guild_settings WHERE guild_id = ?').run(guildId);
		return this.get(guildId);
	}

	public isOptedOut(userId: string): boolean {
		return this.isOptedOutQuery.get(userId) !== undefined;
	}

	public setOptOut(userId: string, optedOut: boolean, now = Date.now()): void {
		if (optedOut) this.db.prepare('INSERT OR IGNORE INTO optouts (user_id, created_at) VALUES (?, ?)').run(userId, now);
		else this.db.prepare('DELETE FROM optouts WHERE user_id = ?').run(userId);
	}
}
