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

/** The bot-wide values a server's settings fall back to. */
export interface SettingsFallback {
	readonly model: string;
	readonly jobsPerUser: number;
	readonly cooldownSeconds: number;
	readonly jobsPerDay: number;
}

export const DEFAULT_REACTION_EMOJI = '🎬';
export const DEFAULT_PARAMS = { motion: 127, noise: 0.02, steps: 20 } as const;

/** A server's overrides over the bot-wide fallback. */
export function resolveSettings(o: GuildOverrides, fallback: SettingsFallback): GuildSettings {
	return {
		allowedChannels: o.allowedChannels ?? [],
		reactionEnabled: o.reactionEnabled ?? false,
		reactionEmoji: o.reactionEmoji ?? DEFAULT_REACTION_EMOJI,
		defaults: { motion: o.motion ?? DEFAULT_PARAMS.motion, noise: o.noise ?? DEFAULT_PARAMS.noise, steps: o.steps ?? DEFAULT_PARAMS.steps },
		model: o.model ?? fallback.model,
		jobsPerUser: o.jobsPerUser ?? fallback.jobsPerUser,
		cooldownSeconds: o.cooldownSeconds ?? fallback.cooldownSeconds,
		jobsPerDay: o.jobsPerDay ?? fallback.jobsPerDay,
		monthlyCapUsd: o.monthlyCapUsd ? o.monthlyCapUsd : null,
	};
}
