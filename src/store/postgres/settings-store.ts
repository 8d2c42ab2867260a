import { resolveSettings, type GuildOverrides, type GuildSettings, type SettingsFallback } from '../../domain/settings.js';
import type { SettingsStore } from '../../jobs/ports.js';
import type { Queryable } from './pool.js';

/** Per-server settings and per-member opt-outs in PostgreSQL; the same semantics as SqliteSettingsStore. */
export class PostgresSettingsStore implements SettingsStore {
	public constructor(
		private readonly pool: Queryable,
		private readonly fallback: SettingsFallback,
	) {}

	private async overrides(guildId: string): Promise<GuildOverrides> {
		const { rows } = await this.pool.query<{ settings: GuildOverrides }>('SELECT settings FROM guild_settings WHERE guild_id = $1', [guildId]);
		return rows[0]?.settings ?? {};
	}

	public async get(guildId: string): Promise<GuildSettings> {
		return resolveSettings(await this.overrides(guildId), this.fallback);
	}

	/**
	 * Merges a change into the server's settings; `undefined` in the patch leaves a value as it is.
	 * The merge happens in the database (jsonb ||), so two admins changing different settings at
	 * once, from two processes, both keep their change.
	 */
	public async update(guildId: string, patch: GuildOverrides, now = Date.now()): Promise<GuildSettings> {
		const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
		const { rows } = await this.pool.query<{ settings: GuildOverrides }>(
			`INSERT INTO guild_settings (guild_id, settings, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (guild_id) DO UPDATE SET settings = guild_settings.settings || excluded.settings, updated_at = excluded.updated_at
			RETURNING settings`,
			[guildId, JSON.stringify(defined), now],
		);
		return resolveSettings(rows[0]!.settings, this.fallback);
	}

	public async reset(guildId: string): Promise<GuildSettings> {
		await this.pool.query('DELETE FROM guild_settings WHERE guild_id = $1', [guildId]);
		return resolveSettings({}, this.fallback);
	}

	public async isOptedOut(userId: string): Promise<boolean> {
		const { rowCount } = await this.pool.query('SELECT 1 FROM optouts WHERE user_id = $1', [userId]);
		return (rowCount ?? 0) > 0;
	}

	public async setOptOut(userId: string, optedOut: boolean, now = Date.now()): Promise<void> {
		if (optedOut) await this.pool.query('INSERT INTO optouts (user_id, created_at) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING', [userId, now]);
		else await this.pool.query('DELETE FROM optouts WHERE user_id = $1', [userId]);
	}
}
