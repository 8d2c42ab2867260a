import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDe.abcdefghijklmnopqrstuvwxyz0123456789AB';
const FAL_KEY = '0b1c2d3e-aaaa-bbbb-cccc-1234567890ab:0123456789abcdef0123456789abcdef';
const DATABASE_URL = 'postgres://bot@db.internal:5432/animate';

function problemsOf(env: Record<string, string | undefined>) {
	try {
		parseConfig({ DISCORD_TOKEN: TOKEN, FAL_KEY, ...env });
	} catch (error) {
		if (error instanceof ConfigError) return error.problems.map((p) => [p.variable, p.problem]);
		throw error;
	}
	throw new Error('expected a ConfigError');
}

describe('settings for running at scale', () => {
	it('defaults to one process: no queue, role all, no sharding', () => {
		const config = parseConfig({ DISCORD_TOKEN: TOKEN, FAL_KEY });
		expect(config).toMatchObject({ redisUrl: undefined, role: 'all', shards: undefined, queuePrefix: 'animate' });
	});

	it('reads the queue, the role and the shards this process connects', () => {
		const config = parseConfig({
			DISCORD_TOKEN: TOKEN,
			FAL_KEY,
			DATABASE_URL,
			REDIS_URL: 'redis://queue.internal:6379',
			ROLE: 'worker',
			SHARD_COUNT: '4',
			SHARD_IDS: '2, 3,2',
		});
		expect(config).toMatchObject({ redisUrl: 'redis://queue.internal:6379', role: 'worker', shards: { count: 4, ids: [2, 3] } });
		expect(parseConfig({ DISCORD_TOKEN: TOKEN, FAL_KEY, SHARD_COUNT: '3' }).shards).toEqual({ count: 3, ids: [0, 1, 2] });
	});

	it('refuses a queue without PostgreSQL, and a worker or gateway role without a queue', () => {
		expect(problemsOf({ REDIS_URL: 'redis://queue.internal:6379' })).toEqual([
			['REDIS_URL', 'needs DATABASE_URL: processes sharing jobs share one PostgreSQL'],
		]);
		expect(problemsOf({ ROLE: 'worker', DATABASE_URL })).toEqual([['ROLE', 'worker needs REDIS_URL: its jobs are driven through the shared queue']]);
		expect(problemsOf({ ROLE: 'boss' })).toEqual([['ROLE', 'must be all, gateway or worker']]);
		expect(problemsOf({ REDIS_URL: 'http://queue', DATABASE_URL })).toEqual([['REDIS_URL', 'must be a redis:// or rediss:// URL']]);
	});

	it('refuses shard ids without a count, at or past the count, or not ids at all', () => {
		expect(problemsOf({ SHARD_IDS: '0' })).toEqual([['SHARD_IDS', 'needs SHARD_COUNT']]);
		expect(problemsOf({ SHARD_COUNT: '2', SHARD_IDS: '1,2' })).toEqual([['SHARD_IDS', 'every id must be below SHARD_COUNT (2)']]);
		expect(problemsOf({ SHARD_COUNT: '2', SHARD_IDS: 'one' })).toEqual([['SHARD_IDS', 'must be shard ids separated by commas, e.g. 0,1']]);
		expect(problemsOf({ SHARD_COUNT: '0' })).toEqual([['SHARD_COUNT', 'must be a whole number between 1 and 1000']]);
	});
});
