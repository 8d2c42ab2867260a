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

	it('trims trailing slashes from the API and proxy URLs', () => {
		const config = parseConfig({ DISCORD_TOKEN: TOKEN, FAL_KEY, DISCORD_API_URL: 'http://127.0.0.1:9/api/', FAL_PROXY_URL: 'http://127.0.0.1:8/p/' });
		expect(config.discordApiUrl).toBe('http://127.0.0.1:9/api');
		expect(config.falProxyUrl).toBe('http://127.0.0.1:8/p');
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
