import type { SlotLedger } from '../../jobs/ports.js';
import { inTransaction } from './migrations.js';
import type { Connectable, Queryable } from './pool.js';

const FINAL = "('delivered', 'failed', 'cancelled')";

/**
 * Every waiting job's place in the fair order: a member's k-th waiting job ranks as if the member
 * already held k more slots, so turns go round members (fewest at fal first), then the oldest job.
 * A slot counts only while its job is unfinished: a process killed before releasing leaks nothing.
 */
const PLACES = `
	WITH held AS (
		SELECT s.job_id, s.user_id FROM fal_slots s JOIN jobs j ON j.id = s.job_id WHERE j.state NOT IN ${FINAL}
	), per_user AS (
		SELECT user_id, COUNT(*) AS n FROM held GROUP BY user_id
	), waiting AS (
		SELECT j.id, j.created_at, COALESCE(p.n, 0)
			+ ROW_NUMBER() OVER (PARTITION BY j.user_id ORDER BY j.created_at, j.id) - 1 AS turn
		FROM jobs j LEFT JOIN per_user p ON p.user_id = j.user_id
		WHERE j.state = 'waiting' AND j.request_id IS NULL AND NOT EXISTS (SELECT 1 FROM fal_slots s WHERE s.job_id = j.id)
	)
	SELECT id, ROW_NUMBER() OVER (ORDER BY turn, created_at, id) - 1 AS place FROM waiting`;

const HELD = `SELECT COUNT(*) AS n FROM fal_slots s JOIN jobs j ON j.id = s.job_id WHERE j.state NOT IN ${FINAL}`;

/** fal slots shared by every process on one PostgreSQL: each step under one advisory lock. */
export class PostgresSlotLedger implements SlotLedger {
	public constructor(private readonly pool: Connectable) {}

	private async locked<T>(work: (db: Queryable) => Promise<T>): Promise<T> {
		const client = await this.pool.connect();
		try {
			return await inTransaction(client, async () => {
				await client.query("SELECT pg_advisory_xact_lock(hashtextextended('animate-bot:fal-slots', 0))");
				return work(client);
			});
		} finally {
			client.release();
		}
	}

	public admit(candidates: readonly string[], capacity: number): Promise<{ granted: string[]; places: Map<string, number> }> {
		return this.locked(async (db) => {
			await db.query(`DELETE FROM fal_slots s USING jobs j WHERE j.id = s.job_id AND j.state IN ${FINAL}`);
			const granted: string[] = [];
			// A candidate that already holds a slot (paused after admission, then resumed) keeps it.
			const holding = await db.query<{ job_id: string }>('SELECT job_id FROM fal_slots WHERE job_id = ANY($1)', [candidates]);
			granted.push(...holding.rows.map((row) => row.job_id));
			const held = Number((await db.query<{ n: string }>(HELD)).rows[0]!.n);
			const { rows } = await db.query<{ id: string; place: string }>(PLACES);
			const free = Math.max(0, capacity - held);
			const wanted = new Set(candidates);
			const places = new Map<string, number>();
			for (const row of rows) {
				if (!wanted.has(row.id)) continue;
				const place = Number(row.place);
				if (place < free) granted.push(row.id);
				else places.set(row.id, place - free);
			}
			const fresh = granted.filter((id) => !holding.rows.some((row) => row.job_id === id));
			if (fresh.length > 0) {
				await db.query(
					'INSERT INTO fal_slots (job_id, user_id, granted_at) SELECT id, user_id, $2 FROM jobs WHERE id = ANY($1) ON CONFLICT DO NOTHING',
					[fresh, Date.now()],
				);
			}
			return { granted, places };
		});
	}

	public async hold(jobId: string, userId: string): Promise<void> {
		await this.pool.query('INSERT INTO fal_slots (job_id, user_id, granted_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
			jobId,
			userId,
			Date.now(),
		]);
	}

	public async countWaiting(): Promise<number> {
		const { rows } = await this.pool.query<{ n: string }>(
			"SELECT COUNT(*) AS n FROM jobs j WHERE j.state = 'waiting' AND j.request_id IS NULL AND NOT EXISTS (SELECT 1 FROM fal_slots s WHERE s.job_id = j.id)",
		);
		return Number(rows[0]!.n);
	}

	public async release(jobId: string): Promise<void> {
		await this.pool.query('DELETE FROM fal_slots WHERE job_id = $1', [jobId]);
	}
}
