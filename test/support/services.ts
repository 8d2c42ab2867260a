/**
 * The PostgreSQL and Redis the scale tests and the benchmark run against: a fresh database and a
 * fresh Redis key prefix each time, removed afterwards. No test runner here, so the benchmark
 * (a plain script) uses the same helpers as the tests.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

/** The admin connection: databases are created and dropped through it. */
export const ADMIN_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const hostOf = (url: string) => {
	const parsed = new URL(url);
	return `${parsed.hostname}:${parsed.port || '5432'}`;
};
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Why PostgreSQL cannot be used, or undefined when it can. */
export async function postgresUnreachable(): Promise<string | undefined> {
	const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
	try {
		await client.connect();
		await client.query('SELECT 1');
		return undefined;
	} catch (error) {
		return `PostgreSQL not reachable at ${hostOf(ADMIN_URL)} (${messageOf(error)})`;
	} finally {
		await client.end().catch(() => undefined);
	}
}

/** Why Redis cannot be used, or undefined when it can. */
export async function redisUnreachable(): Promise<string | undefined> {
	const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3_000 });
	client.on('error', () => undefined);
	try {
		await client.connect();
		await client.ping();
		return undefined;
	} catch (error) {
		return `Redis not reachable at ${new URL(TEST_REDIS_URL).host} (${messageOf(error)})`;
	} finally {
		client.disconnect();
	}
}

/** A fresh, empty database on the server; `drop` removes it (and any connection left on it). */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
	const name = `animate_test_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client({ connectionString: ADMIN_URL });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE ${name}`);
	} finally {
		await admin.end();
	}
	const url = new URL(ADMIN_URL);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			const dropper = new pg.Client({ connectionString: ADMIN_URL });
			await dropper.connect();
			try {
				await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			} finally {
				await dropper.end();
			}
		},
	};
}

/** A Redis key prefix nobody else uses (QUEUE_PREFIX). */
export const freshQueuePrefix = () => `animate_test_${randomBytes(5).toString('hex')}`;

/** Deletes every Redis key under the prefix. */
export async function dropQueuePrefix(prefix: string): Promise<void> {
	const redis = new Redis(TEST_REDIS_URL);
	try {
		const keys = await redis.keys(`${prefix}:*`);
		if (keys.length > 0) await redis.del(...keys);
	} finally {
		redis.disconnect();
	}
}
