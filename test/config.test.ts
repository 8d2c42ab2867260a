import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../src/config.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDe.abcdefghijklmnopqrstuvwxyz0123456789AB';
const FAL_KEY = '0b1c2d3e-aaaa-bbbb-cccc-1234567890ab:0123456789abcdef0123456789abcdef';

function problemsOf(env: Record<string, string | undefined>) {
	try {
		parseConfig(env);
	} catch (error) {
		if (error instanceof ConfigError) return error.problems;
		throw error;
	}
	throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
	it('applies defaults and freezes the result', () => {
		const config = parseConfig({ DISCORD_TOKEN: TOKEN, FAL_KEY });
		expect(config).toMatchObject({
			discordToken: TOKEN,
			falKey: FAL_KEY,
			falModel: 'fal-ai/svd',
			databasePath: './data/animate-bot.sqlite',
			logLevel: 'info',
			discordApiUrl: undefined,
			falProxyUrl: undefined,
			discordGuildId: undefined,
		});
		expect(Object.isFrozen(config)).toBe(true);
	});

	it('lists every missing required variable with where to get it', () => {
		const problems = problemsOf({ DISCORD_TOKEN: '', FAL_KEY: '  ' });
		expect(problems.map((p) => [p.variable, p.problem])).toEqual([
			['DISCORD_TOKEN', 'missing'],
			['FAL_KEY', 'missing'],
		]);
		expect(problems[0]?.help).toContain('Bot → Reset Token');
		expect(problems[1]?.help).toContain('fal dashboard');
	});

	it('reports every invalid value at once, not just the first', () => {
		const problems = problemsOf({
			DISCORD_TOKEN: 'not-a-token',
			FAL_KEY,
			DISCORD_API_URL: 'ftp://example.com',
			DISCORD_GUILD_ID: '123',
			LOG_LEVEL: 'loud',
			FAL_MODEL: 'svd',
		});
		expect(problems.map((p) => p.variable).sort()).toEqual(['DISCORD_API_URL', 'DISCORD_GUILD_ID', 'DISCORD_TOKEN', 'FAL_MODEL', 'LOG_LEVEL'].sort());
		expect(problems.find((p) => p.variable === 'DISCORD_GUILD_ID')?.problem).toMatch(/17–20 digits/);
	});

	it('takes a PostgreSQL DATABASE_URL, and nothing else, leaving SQLite the default', () => {
		expect(parseConfig({ DISCORD_TOKEN: TOKEN, FAL_KEY }).databaseUrl).toBeUndefined();
		expect(parseConfig({ DISCORD_TOKEN: TOKEN, FAL_KEY, DATABASE_URL: ' ' }).databaseUrl).toBeUndefined();
		for (const url of ['postgres://bot:secret@db:5432/animate', 'postgresql://bot@127.0.0.1/animate?sslmode=require']) {
			expect(parseConfig({ DISCORD_TOKEN: TOKEN, FAL_KEY, DATABASE_URL: url }).databaseUrl).toBe(url);
		}
		for (const url of ['mysql://db/animate', './data/animate-bot.sqlite', 'postgres']) {
			const problems = problemsOf({ DISCORD_TOKEN: TOKEN, FAL_KEY, DATABASE_URL: url });
			expect(problems.map((p) => [p.variable, p.problem])).toEqual([['DATABASE_URL', 'must be a postgres:// or postgresql:// URL']]);
			expect(problems[0]?.help).toContain('postgres://');
		}
	});

	it('trims trailing slashes from the API and proxy URLs', () => {
		const config = parseConfig({ DISCORD_TOKEN: TOKEN, FAL_KEY, DISCORD_API_URL: 'http://127.0.0.1:9/api/', FAL_PROXY_URL: 'http://127.0.0.1:8/p/' });
		expect(config.discordApiUrl).toBe('http://127.0.0.1:9/api');
		expect(config.falProxyUrl).toBe('http://127.0.0.1:8/p');
	});
});

describe('numbers have bounds, and the message says them', () => {
	interface Bound {
		readonly variable: string;
		readonly message: string;
		/** Values at the edges, accepted, and what the config then holds. */
		readonly edges: readonly (readonly [string, number])[];
		readonly below: string;
		readonly above: string;
		/** A fraction: refused for whole numbers, accepted (converted) for minutes. */
		readonly fraction: readonly [string, number | 'refused'];
		readonly read: (config: ReturnType<typeof parseConfig>) => number;
	}
	const bounds: readonly Bound[] = [
		{
			variable: 'JOB_TIMEOUT_MINUTES',
			message: 'must be more than 0 and at most 10080 minutes (a week)',
			edges: [['10080', 10_080 * 60_000]],
			below: '0',
			// A month: setTimeout would overflow (2^31 ms) and time every job out at once.
			above: '43200',
			fraction: ['0.03', 1_800],
			read: (c) => c.limits.jobTimeoutMs,
		},
		{
			variable: 'FAL_OUTAGE_MINUTES',
			message: 'must be more than 0 and at most 10080 minutes (a week)',
			edges: [['10080', 10_080 * 60_000]],
			below: '-5',
			above: '10080.5',
			fraction: ['0.5', 30_000],
			read: (c) => c.limits.falOutageMs,
		},
		{
			variable: 'MAX_JOBS_PER_USER',
			message: 'must be a whole number between 1 and 100',
			edges: [
				['1', 1],
				['100', 100],
			],
			below: '0',
			above: '101',
			fraction: ['1.5', 'refused'],
			read: (c) => c.limits.jobsPerUser,
		},
		{
			variable: 'USER_COOLDOWN_SECONDS',
			message: 'must be a whole number between 0 and 86400 seconds (a day)',
			edges: [
				['0', 0],
				['86400', 86_400_000],
			],
			below: '-1',
			above: '86401',
			fraction: ['2.5', 'refused'],
			read: (c) => c.limits.userCooldownMs,
		},
		{
			variable: 'GUILD_JOBS_PER_DAY',
			message: 'must be a whole number between 1 and 1000000',
			edges: [
				['1', 1],
				['1000000', 1_000_000],
			],
			below: '0',
			above: '1000001',
			fraction: ['10.1', 'refused'],
			read: (c) => c.limits.guildJobsPerDay,
		},
		{
			variable: 'MAX_FAL_JOBS',
			message: 'must be a whole number between 1 and 10000',
			edges: [
				['1', 1],
				['10000', 10_000],
			],
			below: '0',
			above: '10001',
			fraction: ['0.5', 'refused'],
			read: (c) => c.limits.falConcurrency,
		},
		{
			variable: 'HTTP_PORT',
			message: 'must be a whole number between 1 and 65535',
			edges: [
				['1', 1],
				['65535', 65_535],
			],
			below: '0',
			above: '65536',
			fraction: ['8080.5', 'refused'],
			read: (c) => c.httpPort ?? Number.NaN,
		},
	];

	const problemWith = (variable: string, value: string) => {
		const problems = problemsOf({ DISCORD_TOKEN: TOKEN, FAL_KEY, [variable]: value });
		expect(problems.map((p) => p.variable)).toEqual([variable]);
		return problems[0]!;
	};

	describe.each(bounds)('$variable', ({ variable, message, edges, below, above, fraction, read }) => {
		it('accepts its edges', () => {
			for (const [value, expected] of edges) expect(read(parseConfig({ DISCORD_TOKEN: TOKEN, FAL_KEY, [variable]: value }))).toBe(expected);
		});
		it('refuses a value below the range, saying the range', () => {
			expect(problemWith(variable, below).problem).toBe(message);
		});
		it('refuses a value above the range, saying the range', () => {
			expect(problemWith(variable, above).problem).toBe(message);
		});
		it(fraction[1] === 'refused' ? 'refuses a fraction' : 'takes a fraction of a minute', () => {
			const [value, expected] = fraction;
			if (expected === 'refused') expect(problemWith(variable, value).problem).toBe(message);
			else expect(read(parseConfig({ DISCORD_TOKEN: TOKEN, FAL_KEY, [variable]: value }))).toBe(expected);
		});
		it('refuses what is not a number, or not a finite one', () => {
			for (const value of ['soon', '12abc', 'Infinity', '1e400']) expect(problemWith(variable, value).problem).toBe(message);
		});
	});

	describe('FAL_PRICES', () => {
		const price = (json: string) => parseConfig({ DISCORD_TOKEN: TOKEN, FAL_KEY, FAL_PRICES: json }).falPrices;
		it('accepts prices from 0 to 100 USD, fractions included', () => {
			expect(price('{"fal-ai/svd":0,"fal-ai/stable-video":100,"fal-ai/fast-svd-lcm":0.035}')).toEqual({
				'fal-ai/svd': 0,
				'fal-ai/stable-video': 100,
				'fal-ai/fast-svd-lcm': 0.035,
			});
		});
		it('refuses a price below 0 or above 100 USD, naming the model', () => {
			expect(problemWith('FAL_PRICES', '{"fal-ai/svd":-0.01}').problem).toBe('fal-ai/svd: prices must be from 0 to 100 USD');
			expect(problemWith('FAL_PRICES', '{"fal-ai/svd":0.08,"fal-ai/stable-video":800}').problem).toBe(
				'fal-ai/stable-video: prices must be from 0 to 100 USD',
			);
		});
		it('refuses a price that is not a number', () => {
			expect(problemWith('FAL_PRICES', '{"fal-ai/svd":"8 cents"}').problem).toBe('fal-ai/svd: prices must be numbers from 0 to 100 USD');
		});
	});
});

describe('HTTP server and fal webhooks', () => {
	it("runs no HTTP server and asks for no webhooks unless told, and reads fal's current JWKS host", () => {
		const config = parseConfig({ DISCORD_TOKEN: TOKEN, FAL_KEY, HTTP_PORT: ' ' });
		expect(config.httpPort).toBeUndefined();
		expect(config.falWebhookUrl).toBeUndefined();
		expect(config.falWebhookJwksUrl).toBe('https://rest.fal.ai/.well-known/jwks.json');
	});

	it('keeps the webhook URL exactly as given, trailing slash and query included', () => {
		const config = parseConfig({
			DISCORD_TOKEN: TOKEN,
			FAL_KEY,
			HTTP_PORT: '8080',
			FAL_WEBHOOK_URL: 'https://bot.example.com/fal/webhook/?via=lb',
			FAL_WEBHOOK_JWKS_URL: 'https://rest.alpha.fal.ai/.well-known/jwks.json',
		});
		expect(config).toMatchObject({
			httpPort: 8080,
			falWebhookUrl: 'https://bot.example.com/fal/webhook/?via=lb',
			falWebhookJwksUrl: 'https://rest.alpha.fal.ai/.well-known/jwks.json',
		});
	});

	it('refuses URLs that are not http(s), with where to get the right one', () => {
		const problems = problemsOf({
			DISCORD_TOKEN: TOKEN,
			FAL_KEY,
			HTTP_PORT: '8080',
			FAL_WEBHOOK_URL: 'ftp://x.example',
			FAL_WEBHOOK_JWKS_URL: 'jwks',
		});
		expect(problems.map((p) => [p.variable, p.problem])).toEqual([
			['FAL_WEBHOOK_URL', 'must be an http(s) URL'],
			['FAL_WEBHOOK_JWKS_URL', 'must be an http(s) URL'],
		]);
		expect(problems[1]?.help).toContain('rest.fal.ai');
	});

	it('refuses a webhook URL without HTTP_PORT, listed with the other problems', () => {
		const problems = problemsOf({ DISCORD_TOKEN: TOKEN, FAL_KEY, FAL_WEBHOOK_URL: 'https://bot.example.com/fal/webhook', MAX_FAL_JOBS: '0' });
		expect(problems.map((p) => p.variable)).toEqual(['MAX_FAL_JOBS', 'FAL_WEBHOOK_URL']);
		expect(problems[1]?.problem).toMatch(/needs HTTP_PORT/);
	});
});

describe('loadConfig', () => {
	it('reads .env and lets the real environment win', () => {
		const dir = mkdtempSync(join(tmpdir(), 'animate-config-'));
		const file = join(dir, '.env');
		writeFileSync(file, `DISCORD_TOKEN=${TOKEN}\nFAL_KEY=${FAL_KEY}\nFAL_MODEL=fal-ai/svd\nLOG_LEVEL=debug\n`);
		const config = loadConfig(file, { FAL_MODEL: 'fal-ai/fast-svd-lcm', LOG_LEVEL: '' });
		expect(config.falModel).toBe('fal-ai/fast-svd-lcm');
		// An empty environment variable does not wipe out the file's value.
		expect(config.logLevel).toBe('debug');
	});
});

describe('npm start with an empty .env', () => {
	it('prints one readable list and exits 1', () => {
		const dir = mkdtempSync(join(tmpdir(), 'animate-start-'));
		writeFileSync(join(dir, '.env'), '');
		const result = spawnSync(process.execPath, [resolve('dist/index.js')], {
			cwd: dir,
			env: { PATH: process.env['PATH'] ?? '' },
			encoding: 'utf8',
			timeout: 20_000,
		});
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('2 settings need attention');
		expect(result.stderr).toMatch(/DISCORD_TOKEN\s+missing/);
		expect(result.stderr).toMatch(/FAL_KEY\s+missing/);
		// One list, not a stack trace.
		expect(result.stderr).not.toMatch(/\n\s+at /);
	});
});

describe('npm start with an out-of-range configuration', () => {
	it('exits 1 before connecting, listing each variable with its range', () => {
		const dir = mkdtempSync(join(tmpdir(), 'animate-start-'));
		// A month of timeout would overflow setTimeout; everything else is fine, so only the bounds are reported.
		writeFileSync(
			join(dir, '.env'),
			[
				`DISCORD_TOKEN=${TOKEN}`,
				`FAL_KEY=${FAL_KEY}`,
				'JOB_TIMEOUT_MINUTES=43200',
				'MAX_JOBS_PER_USER=0',
				`DATABASE_PATH=${join(dir, 'bot.sqlite')}`,
			].join('\n'),
		);
		const result = spawnSync(process.execPath, [resolve('dist/index.js')], {
			cwd: dir,
			// Nowhere to connect: if the bounds were not checked the bot would try, and not exit 1 with this list.
			env: { PATH: process.env['PATH'] ?? '', DISCORD_API_URL: 'http://127.0.0.1:9/api' },
			encoding: 'utf8',
			timeout: 20_000,
		});
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('2 settings need attention');
		expect(result.stderr).toMatch(/JOB_TIMEOUT_MINUTES\s+must be more than 0 and at most 10080 minutes \(a week\)/);
		expect(result.stderr).toMatch(/MAX_JOBS_PER_USER\s+must be a whole number between 1 and 100/);
		expect(result.stderr).not.toMatch(/\n\s+at /);
	});
});
