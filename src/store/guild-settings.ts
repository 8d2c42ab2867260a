// async methods over a synchronous driver: a thrown SQLite error then arrives as a rejection, as
// PostgreSQL's do, rather than as a synchronous throw callers of a Promise API do not expect.
/* eslint-disable @typescript-eslint/require-await */
import type { Statement } from 'better-sqlite3';
import { SVD_FAMILY } from '../domain/catalogue/index.js';
import { resolveSettings, type GuildOverrides, type GuildSettings, type SettingsFallback } from '../domain/settings.js';
import type { SettingsStore } from '../jobs/ports.js';
import type { Database } from './database.js';

/** Per-server settings and per-member opt-outs, in the bot's database. */
export class SqliteSettingsStore implements SettingsStore {
	// Read on every new job, so compiled once.
	private readonly select: Statement;
	private readonly isOptedOutQuery: Statement;

	public constructor(
		private readonly db: Database,
		private readonly fallback: SettingsFallback,
	) {
		this.select = db.prepare('SELECT settings FROM guild_settings WHERE guild_id = ?');
		this.isOptedOutQuery = db.prepare('SELECT 1 FROM optouts WHERE user_id = ?');
	}

	private overrides(guildId: string): GuildOverrides {
		const row = this.select.get(guildId) as { settings: string } | undefined;
		return row ? (JSON.parse(row.settings) as GuildOverrides) : {};
	}

	public async get(guildId: string): Promise<GuildSettings> {
		return resolveSettings(this.overrides(guildId), this.fallback);
	}

	/** Merges a change into the server's settings; `undefined` in the patch leaves a value as it is. */
	public async update(guildId: string, patch: GuildOverrides, now = Date.now()): Promise<GuildSettings> {
		const merged = { ...this.overrides(guildId), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
		this.db
			.prepare(
				'INSERT INTO guild_settings (guild_id, settings, updated_at) VALUES (?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at',
			)
			.run(guildId, JSON.stringify(merged), now);
		return resolveSettings(this.overrides(guildId), this.fallback);
	}

	public async reset(guildId: string): Promise<GuildSettings> {
		this.db.prepare('DELETE FROM guild_settings WHERE guild_id = ?').run(guildId);
		return resolveSettings(this.overrides(guildId), this.fallback);
	}

	public async isOptedOut(userId: string): Promise<boolean> {
		return this.isOptedOutQuery.get(userId) !== undefined;
	}

	public async setOptOut(userId: string, optedOut: boolean, now = Date.now()): Promise<void> {
		if (optedOut) this.db.prepare('INSERT OR IGNORE INTO optouts (user_id, created_at) VALUES (?, ?)').run(userId, now);
		else this.db.prepare('DELETE FROM optouts WHERE user_id = ?').run(userId);
	}
}

/** The bot-wide fallback from the configuration. */
export const fallbackFrom = (config: {
	falModel: string;
	limits: { jobsPerUser: number; userCooldownMs: number; guildJobsPerDay: number };
}): SettingsFallback => ({
	model: config.falModel,
	// Until a server's admins choose: the SVD family, which every account can run, and the owner's model.
	models: [...new Set([config.falModel, ...SVD_FAMILY])],
	jobsPerUser: config.limits.jobsPerUser,
	cooldownSeconds: config.limits.userCooldownMs / 1000,
	jobsPerDay: config.limits.guildJobsPerDay,
});
