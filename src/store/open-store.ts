import pg from 'pg';
import type { JobStore, SettingsStore, SlotLedger } from '../jobs/ports.js';
import { openDatabase } from './database.js';
import { fallbackFrom, SqliteSettingsStore } from './guild-settings.js';
import { SqliteJobStore } from './job-store.js';
import { PostgresJobStore } from './postgres/job-store.js';
import { migratePostgres } from './postgres/migrations.js';
import { MigratedPool } from './postgres/pool.js';
import { PostgresSettingsStore } from './postgres/settings-store.js';
import { PostgresSlotLedger } from './postgres/slot-ledger.js';

export interface Stores {
	readonly kind: 'sqlite' | 'postgres';
	readonly jobs: JobStore;
	readonly settings: SettingsStore;
	/** The fal slots shared across processes (PostgreSQL only: SQLite serves one process). */
	readonly slots?: SlotLedger;
	/** One query, to tell the database answers (a worker's /readyz). */
	ping(): Promise<void>;
	/**
	 * Settles once the schema is up to date; rejects when PostgreSQL cannot be reached or migrated.
	 * Until then the stores' queries wait for it (SQLite is ready before openStores returns).
	 */
	readonly ready: Promise<void>;
	/** Closes the database (SQLite) or ends the pools (PostgreSQL); safe to call twice. */
	close(): Promise<void>;
}

/** What the stores need from the configuration (structural: adapters do not import src/config.ts). */
export interface StoreConfig {
	readonly databaseUrl?: string | undefined;
	readonly databasePath: string;
	readonly falModel: string;
	readonly limits: { readonly jobsPerUser: number; readonly userCooldownMs: number; readonly guildJobsPerDay: number };
}

export const isPostgresUrl = (url: string | undefined): url is string => url !== undefined && /^postgres(ql)?:\/\//i.test(url);

/**
 * The stores the bot runs on: PostgreSQL when DATABASE_URL names one (admissions hold across
 * processes), SQLite at DATABASE_PATH otherwise (one process; a second one on the same file throws
 * DatabaseInUseError here, synchronously). `onPoolError` hears errors of idle PostgreSQL
 * connections (a restarted server), which would otherwise crash the process; the next query
 * simply takes a fresh connection.
 */
export function openStores(config: StoreConfig, onPoolError: (error: Error) => void = () => undefined): Stores {
	const fallback = fallbackFrom(config);
	if (isPostgresUrl(config.databaseUrl)) return openPostgres(config.databaseUrl, fallback, onPoolError);
	const db = openDatabase(config.databasePath);
	return {
		kind: 'sqlite',
		jobs: new SqliteJobStore(db),
		settings: new SqliteSettingsStore(db, fallback),
		ready: Promise.resolve(),
		ping: () => Promise.resolve(),
		close: () => {
			if (db.open) db.close();
			return Promise.resolve();
		},
	};
}

function openPostgres(url: string, fallback: ReturnType<typeof fallbackFrom>, onPoolError: (error: Error) => void): Stores {
	const pool = new pg.Pool({ connectionString: url, max: 10 });
	// Admissions get their own few connections: those queued on one busy server's lock must never
	// hold every connection the admission holding it needs for its reads.
	const admissionPool = new pg.Pool({ connectionString: url, max: 4 });
	pool.on('error', onPoolError);
	const slotPool = new pg.Pool({ connectionString: url, max: 2 });
	admissionPool.on('error', onPoolError);
	slotPool.on('error', onPoolError);
	const ready = migratePostgres(pool).then(() => undefined);
	// Whoever awaits `ready` (or queries) sees a failure; this only keeps it from being "unhandled".
	ready.catch(() => undefined);
	const migrated = new MigratedPool(pool, ready);
	return {
		kind: 'postgres',
		jobs: new PostgresJobStore(migrated, { admissions: new MigratedPool(admissionPool, ready) }),
		settings: new PostgresSettingsStore(migrated, fallback),
		// Its own connections: a slot step holds the ledger's lock and must not wait for a busy pool.
		slots: new PostgresSlotLedger(new MigratedPool(slotPool, ready)),
		ready,
		ping: async () => {
			await migrated.query('SELECT 1');
		},
		close: async () => {
			// Let a migration under way finish rather than cut its connection mid-transaction.
			await ready.catch(() => undefined);
			await Promise.all([
				pool.ended ? undefined : pool.end(),
				admissionPool.ended ? undefined : admissionPool.end(),
				slotPool.ended ? undefined : slotPool.end(),
			]);
		},
	};
}
