/**
 * Several real bot processes sharing one PostgreSQL database and one Redis queue, for the tests of
 * running at scale: a fresh database per test file and a Redis key prefix per run, so runs never
 * collide; both removed afterwards.
 */
import { afterAll, beforeAll } from 'vitest';
import { postgresMissing } from '../store/contract/dialects.js';
import type { FakeDiscord } from '../../fakes/discord/index.js';
import type { FakeFal } from '../../fakes/fal/index.js';
import { createTestDatabase, dropQueuePrefix, freshQueuePrefix, redisUnreachable, TEST_REDIS_URL } from './services.js';
import { envFor } from './world.js';

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
	const prefix = freshQueuePrefix();
	let database: { url: string; drop: () => Promise<void> } | undefined;
	beforeAll(async () => {
		database = await createTestDatabase();
	});
	afterAll(async () => {
		await database?.drop();
		await dropQueuePrefix(prefix);
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
