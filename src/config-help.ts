/** Where to get each setting: printed next to the problem so a new operator is never stuck. */
export const HELP = {
	DISCORD_TOKEN: 'Discord developer portal → Applications → your app → Bot → Reset Token',
	FAL_KEY: 'fal dashboard → Keys (https://fal.ai/dashboard/keys) → Add key; paste "id:secret"',
	DISCORD_API_URL: 'leave unset for Discord itself; set to a REST proxy base such as http://proxy:8080/api',
	FAL_PROXY_URL: 'leave unset to call fal directly; set to your fal server proxy URL',
	FAL_MODEL: 'a fal model id such as fal-ai/svd',
	DATABASE_PATH: 'a writable file path for the SQLite database',
	DATABASE_URL: 'leave unset for SQLite; set to postgres://user:password@host:5432/database to use PostgreSQL',
	DISCORD_GUILD_ID: 'right-click your test server → Copy Server ID (needs Developer Mode); or leave unset',
	LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent',
	MAX_JOBS_PER_USER: 'a whole number from 1 to 100 (default 2)',
	USER_COOLDOWN_SECONDS: 'a whole number of seconds from 0 to 86400, a day (default 10)',
	GUILD_JOBS_PER_DAY: 'a whole number from 1 to 1000000 (default 200)',
	MAX_FAL_JOBS: 'a whole number from 1 to 10000 (default 20)',
	JOB_TIMEOUT_MINUTES: 'minutes, more than 0 and at most 10080, a week; fractions allowed (default 30)',
	FAL_OUTAGE_MINUTES: 'minutes, more than 0 and at most 10080, a week; fractions allowed (default 30)',
	REACTION_TRIGGER: 'on or off (default off); on needs the Message Content intent enabled in the developer portal → Bot',
	FAL_PRICES: 'JSON of USD per video by model, each from 0 to 100, e.g. {"fal-ai/svd":0.08}',
	HTTP_PORT: 'a port from 1 to 65535 for /livez, /readyz, /metrics and fal webhooks; leave unset for no HTTP server',
	FAL_WEBHOOK_URL: "the public http(s) URL that reaches this bot's POST /fal/webhook (needs HTTP_PORT); leave unset to follow fal by polling only",
	FAL_WEBHOOK_JWKS_URL:
		'leave unset for https://rest.fal.ai/.well-known/jwks.json; older fal docs name https://rest.alpha.fal.ai/.well-known/jwks.json',
	REDIS_URL: 'leave unset to drive every job in this one process; set to redis://host:6379 (with DATABASE_URL) to share jobs between processes',
	QUEUE_PREFIX: 'letters, digits, - and _ (default animate); processes sharing jobs must use the same prefix',
	ROLE: 'all (gateway and jobs, default), gateway (gateway only) or worker (jobs only, no gateway); gateway and worker need REDIS_URL',
	SHARD_COUNT: 'a whole number from 1 to 1000: the total number of gateway shards over all processes; leave unset for one unsharded connection',
	SHARD_IDS: 'comma-separated shard ids this process connects, each below SHARD_COUNT, e.g. 0,1; leave unset for all of them',
} as const satisfies Record<string, string>;

export type Variable = keyof typeof HELP;
