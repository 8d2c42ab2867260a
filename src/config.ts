import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { bounded, httpUrl, minutes, optional, secret, webhookUrl } from './config-fields.js';
import { HELP, type Variable } from './config-help.js';

/** fal signs webhooks with keys published here (webhooks.md section 5: older docs name rest.alpha.fal.ai). */
export const DEFAULT_FAL_WEBHOOK_JWKS_URL = 'https://rest.fal.ai/.well-known/jwks.json';

/** Prices are USD per video: far above any real price, a typo (cents for dollars) would wreck the caps. */
const MAX_PRICE_USD = 100;

const schema = z.object({
	DISCORD_TOKEN: secret('the token').refine((value) => value.split('.').length === 3, 'does not look like a bot token (three dot-separated parts)'),
	FAL_KEY: secret('the key'),
	DISCORD_API_URL: optional(httpUrl),
	FAL_PROXY_URL: optional(httpUrl),
	FAL_MODEL: optional(z.string().regex(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?$/, 'must look like owner/model, e.g. fal-ai/svd')).transform(
		(value) => value ?? 'fal-ai/svd',
	),
	DATABASE_PATH: optional(z.string()).transform((value) => value ?? './data/animate-bot.sqlite'),
	DATABASE_URL: optional(z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })),
	DISCORD_GUILD_ID: optional(z.string().regex(/^\d{17,20}$/, 'must be a server id (17–20 digits)')),
	LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'unknown level' })).transform(
		(value) => value ?? 'info',
	),
	MAX_JOBS_PER_USER: bounded({ fallback: 2, min: 1, max: 100, whole: true }),
	USER_COOLDOWN_SECONDS: bounded({ fallback: 10, min: 0, max: 86_400, whole: true, unit: 'seconds', maxInWords: 'a day' }),
	GUILD_JOBS_PER_DAY: bounded({ fallback: 200, min: 1, max: 1_000_000, whole: true }),
	// 10,000 rather than 1,000: the in-flight benchmark holds 1,000 jobs at fal with room to spare.
	MAX_FAL_JOBS: bounded({ fallback: 20, min: 1, max: 10_000, whole: true }),
	JOB_TIMEOUT_MINUTES: minutes(30),
	FAL_OUTAGE_MINUTES: minutes(30),
	REACTION_TRIGGER: optional(z.enum(['on', 'off'], { error: 'must be on or off' })).transform((value) => value === 'on'),
	FAL_PRICES: optional(
		z
			.string()
			.transform((text, ctx) => {
				try {
					return JSON.parse(text) as unknown;
				} catch {
					ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
					return z.NEVER;
				}
			})
			.pipe(
				z.record(
					z.string(),
					z
						.number({ error: `prices must be numbers from 0 to ${MAX_PRICE_USD} USD` })
						.min(0, `prices must be from 0 to ${MAX_PRICE_USD} USD`)
						.max(MAX_PRICE_USD, `prices must be from 0 to ${MAX_PRICE_USD} USD`),
				),
			),
	).transform((value) => value ?? {}),
	HTTP_PORT: bounded({ fallback: undefined, min: 1, max: 65_535, whole: true }),
	FAL_WEBHOOK_URL: optional(webhookUrl),
	FAL_WEBHOOK_JWKS_URL: optional(webhookUrl).transform((value) => value ?? DEFAULT_FAL_WEBHOOK_JWKS_URL),
	REDIS_URL: optional(z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })),
	QUEUE_PREFIX: optional(z.string().regex(/^[\w-]{1,64}$/, 'must be 1–64 letters, digits, - or _')).transform((value) => value ?? 'animate'),
	ROLE: optional(z.enum(['all', 'gateway', 'worker'], { error: 'must be all, gateway or worker' })).transform((value) => value ?? 'all'),
	// Discord asks for about one shard per 1,000 servers; 1,000 shards is far past any bot this serves.
	SHARD_COUNT: bounded({ fallback: undefined, min: 1, max: 1_000, whole: true }),
	SHARD_IDS: optional(
		z
			.string()
			.regex(/^\s*\d+\s*(,\s*\d+\s*)*$/, 'must be shard ids separated by commas, e.g. 0,1')
			.transform((text) => [...new Set(text.split(',').map((id) => Number(id.trim())))]),
	),
} satisfies Record<Variable, z.ZodType>);

export interface Config {
	readonly discordToken: string;
	readonly falKey: string;
	/** REST base handed to discord.js as `rest.api` (it appends /v10). */
	readonly discordApiUrl: string | undefined;
	readonly falProxyUrl: string | undefined;
	readonly falModel: string;
	readonly databasePath: string;
	/** PostgreSQL instead of the SQLite file at databasePath. */
	readonly databaseUrl: string | undefined;
	readonly discordGuildId: string | undefined;
	readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
	readonly limits: Limits;
	/** Whether the bot listens for reactions (an admin then turns the trigger on per server). */
	readonly reactionTrigger: boolean;
	/** USD per video by model, over the built-in estimates. */
	readonly falPrices: Readonly<Record<string, number>>;
	/** Port of the health, metrics and webhook server; undefined: no HTTP server. */
	readonly httpPort: number | undefined;
	/** Public URL of POST /fal/webhook handed to fal with each submit; undefined: no webhooks. */
	readonly falWebhookUrl: string | undefined;
	/** Where fal publishes the keys its webhooks are signed with. */
	readonly falWebhookJwksUrl: string;
	/** Redis of the shared job queue; undefined: every job is driven in this process. */
	readonly redisUrl: string | undefined;
	/** Namespaces the queue's Redis keys and channels. */
	readonly queuePrefix: string;
	/** all: gateway and jobs; gateway: gateway only; worker: jobs only, REST only. */
	readonly role: 'all' | 'gateway' | 'worker';
	/** Gateway sharding: the total, and the ids this process connects (all of them when unset). */
	readonly shards: { readonly count: number; readonly ids: readonly number[] } | undefined;
}

export interface Limits {
	/** Jobs one user may have unfinished at once. */
	readonly jobsPerUser: number;
	/** Time between two /animate of one user. */
	readonly userCooldownMs: number;
	/** Jobs one server may start per UTC day. */
	readonly guildJobsPerDay: number;
	/** Jobs submitted to fal at once, across all servers; the rest wait in a fair local queue. */
	readonly falConcurrency: number;
	/** From submit to result, before a job is given up. */
	readonly jobTimeoutMs: number;
	/** How long a job waits for fal to come back before it is given up. */
	readonly falOutageMs: number;
}

export interface ConfigProblem {
	readonly variable: string;
	readonly problem: string;
	readonly help: string;
}

export class ConfigError extends Error {
	public constructor(public readonly problems: readonly ConfigProblem[]) {
		super(formatProblems(problems));
		this.name = 'ConfigError';
	}
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
	const width = Math.max(...problems.map((p) => p.variable.length));
	const lines = problems.map((p) => `  ${p.variable.padEnd(width)}  ${p.problem}\n  ${' '.repeat(width)}  → ${p.help}`);
	const count = problems.length === 1 ? '1 setting needs' : `${problems.length} settings need`;
	return [
		`animate-bot cannot start: ${count} attention (read from the environment and .env):`,
		'',
		...lines,
		'',
		'Copy .env.example to .env and fill it in; the README has the full configuration table.',
	].join('\n');
}

const isSet = (value: string | undefined): boolean => value !== undefined && value.trim() !== '';

/** Problems of one variable given another: reported with the rest, so every problem is still listed at once. */
function crossProblems(env: Readonly<Record<string, string | undefined>>): ConfigProblem[] {
	const problems: ConfigProblem[] = [];
	// fal would post to a URL nothing listens behind: every job would then wait for polling alone.
	if (isSet(env['FAL_WEBHOOK_URL']) && !isSet(env['HTTP_PORT'])) {
		problems.push({ variable: 'FAL_WEBHOOK_URL', problem: 'needs HTTP_PORT: webhooks arrive on the HTTP server', help: HELP.FAL_WEBHOOK_URL });
	}
	// Processes can share jobs only through a database they all reach; an SQLite file is one process's.
	if (isSet(env['REDIS_URL']) && !isSet(env['DATABASE_URL'])) {
		problems.push({ variable: 'REDIS_URL', problem: 'needs DATABASE_URL: processes sharing jobs share one PostgreSQL', help: HELP.REDIS_URL });
	}
	const role = env['ROLE']?.trim();
	if ((role === 'worker' || role === 'gateway') && !isSet(env['REDIS_URL'])) {
		problems.push({ variable: 'ROLE', problem: `${role} needs REDIS_URL: its jobs are driven through the shared queue`, help: HELP.ROLE });
	}
	if (isSet(env['SHARD_IDS'])) {
		const count = Number(env['SHARD_COUNT']);
		if (!isSet(env['SHARD_COUNT'])) problems.push({ variable: 'SHARD_IDS', problem: 'needs SHARD_COUNT', help: HELP.SHARD_IDS });
		else if (Number.isInteger(count) && (env['SHARD_IDS'] ?? '').split(',').some((id) => Number(id.trim()) >= count)) {
			problems.push({ variable: 'SHARD_IDS', problem: `every id must be below SHARD_COUNT (${count})`, help: HELP.SHARD_IDS });
		}
	}
	return problems;
}

/** Parses an environment once into a frozen, typed config, or throws ConfigError listing every problem. */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
	const result = schema.safeParse(env);
	const cross = crossProblems(env);
	if (!result.success || cross.length > 0) {
		const seen = new Set<string>();
		const problems: ConfigProblem[] = [];
		for (const issue of result.success ? [] : result.error.issues) {
			const variable = String(issue.path[0] ?? 'environment');
			if (seen.has(variable)) continue;
			seen.add(variable);
			const missing = env[variable] === undefined || env[variable]?.trim() === '';
			problems.push({
				variable,
				// A problem inside a value (one model's price) names where in it.
				problem: missing ? 'missing' : [...issue.path.slice(1).map(String), issue.message].join(': '),
				help: HELP[variable as Variable] ?? '',
			});
		}
		for (const problem of cross) if (!seen.has(problem.variable)) problems.push(problem);
		throw new ConfigError(problems);
	}
	const v = result.data;
	return Object.freeze({
		discordToken: v.DISCORD_TOKEN,
		falKey: v.FAL_KEY,
		discordApiUrl: v.DISCORD_API_URL,
		falProxyUrl: v.FAL_PROXY_URL,
		falModel: v.FAL_MODEL,
		databasePath: v.DATABASE_PATH,
		databaseUrl: v.DATABASE_URL,
		discordGuildId: v.DISCORD_GUILD_ID,
		logLevel: v.LOG_LEVEL,
		limits: Object.freeze({
			jobsPerUser: v.MAX_JOBS_PER_USER,
			userCooldownMs: v.USER_COOLDOWN_SECONDS * 1000,
			guildJobsPerDay: v.GUILD_JOBS_PER_DAY,
			falConcurrency: v.MAX_FAL_JOBS,
			jobTimeoutMs: v.JOB_TIMEOUT_MINUTES,
			falOutageMs: v.FAL_OUTAGE_MINUTES,
		}),
		reactionTrigger: v.REACTION_TRIGGER,
		falPrices: Object.freeze(v.FAL_PRICES),
		httpPort: v.HTTP_PORT,
		falWebhookUrl: v.FAL_WEBHOOK_URL,
		falWebhookJwksUrl: v.FAL_WEBHOOK_JWKS_URL,
		redisUrl: v.REDIS_URL,
		queuePrefix: v.QUEUE_PREFIX,
		role: v.ROLE,
		shards:
			v.SHARD_COUNT === undefined
				? undefined
				: Object.freeze({ count: v.SHARD_COUNT, ids: Object.freeze(v.SHARD_IDS ?? Array.from({ length: v.SHARD_COUNT }, (_, id) => id)) }),
	});
}

/**
 * Reads `.env` (if present) under the real environment: a variable set in the environment wins,
 * so a deployment can override the file without editing it. process.env is left untouched.
 */
export function loadConfig(envFile = '.env', env: NodeJS.ProcessEnv = process.env): Config {
	const merged: Record<string, string | undefined> = existsSync(envFile) ? parseDotenv(readFileSync(envFile)) : {};
	for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== '') merged[name] = value;
	return parseConfig(merged);
}
