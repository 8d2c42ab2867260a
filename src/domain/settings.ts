/** What an admin may change per server; unset values fall back to the bot-wide configuration. */
export interface GuildOverrides {
	readonly allowedChannels?: readonly string[];
	readonly reactionEnabled?: boolean;
	readonly reactionEmoji?: string;
	readonly motion?: number;
	readonly noise?: number;
	readonly steps?: number;
	readonly model?: string;
	/** The models members may pick with /animate's `model` option. */
	readonly models?: readonly string[];
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
	/** The server's own defaults; unset ones are the model's (its published defaults). */
	readonly defaults: { readonly motion?: number; readonly noise?: number; readonly steps?: number };
	/** The default model; always among `models`. */
	readonly model: string;
	readonly models: readonly string[];
	readonly jobsPerUser: number;
	readonly cooldownSeconds: number;
	readonly jobsPerDay: number;
	readonly monthlyCapUsd: number | null;
}

/** The bot-wide values a server's settings fall back to. */
export interface SettingsFallback {
	readonly model: string;
	/** The models a server allows until its admins choose (the SVD family, and FAL_MODEL). */
	readonly models: readonly string[];
	readonly jobsPerUser: number;
	readonly cooldownSeconds: number;
	readonly jobsPerDay: number;
}

export const DEFAULT_REACTION_EMOJI = '🎬';
/** Stored for models that take no motion, noise or steps, so a row always has them. */
export const DEFAULT_PARAMS = { motion: 127, noise: 0.02, steps: 20 } as const;

/** A server's overrides over the bot-wide fallback. */
export function resolveSettings(o: GuildOverrides, fallback: SettingsFallback): GuildSettings {
	const model = o.model ?? fallback.model;
	const models = o.models ?? fallback.models;
	return {
		allowedChannels: o.allowedChannels ?? [],
		reactionEnabled: o.reactionEnabled ?? false,
		reactionEmoji: o.reactionEmoji ?? DEFAULT_REACTION_EMOJI,
		defaults: {
			...(o.motion !== undefined ? { motion: o.motion } : {}),
			...(o.noise !== undefined ? { noise: o.noise } : {}),
			...(o.steps !== undefined ? { steps: o.steps } : {}),
		},
		model,
		models: models.includes(model) ? models : [model, ...models],
		jobsPerUser: o.jobsPerUser ?? fallback.jobsPerUser,
		cooldownSeconds: o.cooldownSeconds ?? fallback.cooldownSeconds,
		jobsPerDay: o.jobsPerDay ?? fallback.jobsPerDay,
		monthlyCapUsd: o.monthlyCapUsd ? o.monthlyCapUsd : null,
	};
}
