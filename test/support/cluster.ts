/**
 * Several real bot processes sharing one PostgreSQL database and one Redis queue, for the tests of
 * running at scale: a fresh database per test file and a Redis key prefix per run, so runs never
 * collide; both removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, postgresMissing } from '../store/contract/dialects.js';
import type { FakeDiscord } from './fake-discord/index.js';
import type { FakeFal } from './fake-fal/index.js';
import { envFor } from './world.js';

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Why Redis cannot be used, or undefined when it can. */
async function redisUnreachable(): Promise<string | undefined> {
	const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3_000 });
	client.on('error', () => undefined);
	try {
		await client.connect();
		await client.ping();
		return undefined;
	} catch (error) {
		return `Redis not reachable at ${new URL(TEST_REDIS_URL).host} (${error instanceof Error ? error.message : String(error)})`;
	} finally {
		client.disconnect();
	}
}

/** What is missing to run processes at scale (CI starts both services and never skips). */
export const clusterMissing = postgresMissing ?? (await redisUnreachable());
/** The suffix of a title: says why the suite is skipped, when it is. */
export const skippedBecause = clusterMissing ? ` (skipped: ${clusterMissing})` : '';

export interface Cluster {
	/** The env of a bot process in this cluster: the fakes, the shared database and queue, and `extra`. */
	env(extra?: Record<string, string>): Record<string, string>;
}

/** A database and a queue prefix for the enclosing suite; call after useFakes(). */
export function useCluster(fakes: { readonly discord: FakeDiscord; readonly fal: FakeFal }): Cluster {
	const prefix = `animate_test_${randomBytes(5).toString('hex')}`;
	let database: { url: string; drop: () => Promise<void> } | undefined;
	beforeAll(async () => {
		database = await createTestDatabase();
	});
	afterAll(async () => {
		await database?.drop();
		const redis = new Redis(TEST_REDIS_URL);
		try {
			const keys = await redis.keys(`${prefix}:*`);
			if (keys.length > 0) await redis.del(...keys);
		} finally {
			redis.disconnect();
		}
	});
	return {
		env: (extra = {}) =>
			envFor(fakes.discord, fakes.fal, {
				DATABASE_URL: database!.url,
				REDIS_URL: TEST_REDIS_URL,
				QUEUE_PREFIX: prefix,
				LOG_LEVEL: 'debug',
				...extra,
			}),
	};
}
