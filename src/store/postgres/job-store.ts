import type { PoolClient } from 'pg';
import type { JobPatch, JobRow, NewJob } from '../../domain/job.js';
import type { JobStore } from '../../jobs/ports.js';
import { fromDb, toColumn, toDb } from '../job-rows.js';
import type { Connectable, Queryable } from './pool.js';

const UNFINISHED = "state NOT IN ('delivered', 'failed', 'cancelled')";

/** How long an admission waits for another admission of the same member or server before giving up. */
const ADMISSION_LOCK_TIMEOUT = '5s';

export interface PostgresJobStoreOptions {
	/**
	 * Connections for `exclusive`. A separate pool, so admissions queued on a busy server's lock
	 * can never take every connection the lock holder needs for its own reads (settings, opt-outs).
	 */
	readonly admissions?: Connectable;
}

/**
 * The jobs table in PostgreSQL, for one process or many. The same semantics as SqliteJobStore,
 * pinned by the contract suite (test/store/contract).
 */
export class PostgresJobStore implements JobStore {
	private readonly admissions: Connectable;

	/** `transaction` is set only on the store `exclusive` hands to its work: every query then runs on that client. */
	public constructor(
		private readonly pool: Connectable,
		options: PostgresJobStoreOptions = {},
		private readonly transaction?: PoolClient,
	) {
		this.admissions = options.admissions ?? pool;
	}

	private get db(): Queryable {
		return this.transaction ?? this.pool;
	}

	private async one(text: string, values: unknown[]): Promise<JobRow | undefined> {
		const { rows } = await this.db.query<Record<string, unknown>>(text, values);
		return rows[0] ? fromDb(rows[0]) : undefined;
	}

	public async insert(job: NewJob, now = Date.now()): Promise<JobRow> {
		const record: Record<string, unknown> = { state: 'accepted', ...job, createdAt: now, updatedAt: now };
		const keys = Object.keys(record);
		const row = await this.one(
			`INSERT INTO jobs (${keys.map(toColumn).join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
			keys.map((k) => toDb(k, record[k])),
		);
		return row!;
	}

	/** Writes the patched columns where the row also meets `condition` ($1 is the id, then `params`); the row as written, if it was. */
	private patchWhere(id: string, patch: JobPatch, now: number, condition = '', params: unknown[] = []): Promise<JobRow | undefined> {
		const record: Record<string, unknown> = { ...patch, updatedAt: now };
		const keys = Object.keys(record);
		const first = 2 + params.length;
		return this.one(`UPDATE jobs SET ${keys.map((k, i) => `${toColumn(k)} = $${first + i}`).join(', ')} WHERE id = $1${condition} RETURNING *`, [
			id,
			...params,
			...keys.map((k) => toDb(k, record[k])),
		]);
	}

	public async update(id: string, patch: JobPatch, now = Date.now()): Promise<JobRow> {
		return (await this.patchWhere(id, patch, now))!;
	}

	public claimAttempt(id: string, attempt: string | null, patch: JobPatch, now = Date.now()): Promise<JobRow | undefined> {
		// $2 is the first value after the id (see patchWhere).
		return this.patchWhere(id, patch, now, ` AND request_id IS NULL AND submit_attempt IS NOT DISTINCT FROM $2 AND ${UNFINISHED}`, [attempt]);
	}

	public get(id: string): Promise<JobRow | undefined> {
		return this.one('SELECT * FROM jobs WHERE id = $1', [id]);
	}

	/** The newest job with this request id: a Try again that reposts a made video shares its request. */
	public byRequestId(requestId: string): Promise<JobRow | undefined> {
		return this.one('SELECT * FROM jobs WHERE request_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1', [requestId]);
	}

	public async countByState(): Promise<Record<string, number>> {
		const { rows } = await this.db.query<{ state: string; n: string }>('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state');
		return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
	}

	public async unfinished(): Promise<JobRow[]> {
		// id breaks ties so jobs created in the same millisecond come back in one stable order.
		const { rows } = await this.db.query<Record<string, unknown>>(`SELECT * FROM jobs WHERE ${UNFINISHED} ORDER BY created_at, id`);
		return rows.map(fromDb);
	}

	public async activeCountForUser(userId: string): Promise<number> {
		const { rows } = await this.db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM jobs WHERE user_id = $1 AND ${UNFINISHED}`, [userId]);
		return Number(rows[0]!.n);
	}

	public async lastCreatedForUser(userId: string): Promise<number | undefined> {
		const { rows } = await this.db.query<{ at: string | null }>('SELECT MAX(created_at) AS at FROM jobs WHERE user_id = $1', [userId]);
		const at = rows[0]!.at;
		return at === null ? undefined : Number(at);
	}

	/** Every job in flight, plus the videos fal made since `since` (see SqliteJobStore.committedSince). */
	public async committedSince(guildId: string, since: number): Promise<number> {
		const { rows } = await this.db.query<{ usd: number }>(
			`SELECT COALESCE(SUM(cost_usd), 0) AS usd FROM jobs WHERE guild_id = $1 AND cost_usd > 0 AND (${UNFINISHED} OR produced_at >= $2)`,
			[guildId, since],
		);
		return Number(rows[0]!.usd);
	}

	public async countForGuildSince(guildId: string, since: number): Promise<number> {
		const { rows } = await this.db.query<{ n: string }>('SELECT COUNT(*) AS n FROM jobs WHERE guild_id = $1 AND created_at >= $2', [guildId, since]);
		return Number(rows[0]!.n);
	}

	public async forgetTokensBefore(before: number): Promise<number> {
		const result = await this.db.query(
			"UPDATE jobs SET interaction_token = '', token_expired = TRUE WHERE interaction_token <> '' AND interaction_at < $1",
			[before],
		);
		return result.rowCount ?? 0;
	}

	/**
	 * One transaction on one connection, holding transaction-level advisory locks on the member and
	 * on the server: every process takes the same two keys for the same scope, so admissions of one
	 * member, or of one server, run one after another across processes, and each sees what the one
	 * before committed (READ COMMITTED takes a fresh snapshot per statement, after the lock). The
	 * locks go with the transaction, on COMMIT, ROLLBACK or a dropped connection alike.
	 */
	public async exclusive<T>(scope: { readonly userId: string; readonly guildId: string }, work: (store: JobStore) => Promise<T>): Promise<T> {
		// Nested: already inside a transaction; take this scope's locks too and stay in it.
		if (this.transaction) {
			await lockScope(this.transaction, scope);
			return work(this);
		}
		const client = await this.admissions.connect();
		let broken: Error | undefined;
		try {
			await client.query('BEGIN');
			await client.query(`SET LOCAL lock_timeout = '${ADMISSION_LOCK_TIMEOUT}'`);
			await lockScope(client, scope);
			const result = await work(new PostgresJobStore(this.pool, { admissions: this.admissions }, client));
			await client.query('COMMIT');
			return result;
		} catch (error) {
			// A connection that cannot even roll back is dropped rather than handed to the next admission.
			await client.query('ROLLBACK').catch((rollbackError: unknown) => {
				broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
			});
			throw error;
		} finally {
			client.release(broken);
		}
	}
}

/** Stable 64-bit keys from the ids (hashtextextended is the same in every process and version). Member first, then server, always. */
async function lockScope(client: PoolClient, scope: { readonly userId: string; readonly guildId: string }): Promise<void> {
	await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`user:${scope.userId}`]);
	await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`guild:${scope.guildId}`]);
}
