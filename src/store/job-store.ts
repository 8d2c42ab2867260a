// async methods over a synchronous driver: a thrown SQLite error then arrives as a rejection, as
// PostgreSQL's do, rather than as a synchronous throw callers of a Promise API do not expect.
/* eslint-disable @typescript-eslint/require-await */
import type { Statement } from 'better-sqlite3';
import type { JobPatch, JobRow, NewJob } from '../domain/job.js';
import type { JobStore } from '../jobs/ports.js';
import type { Database } from './database.js';
import { fromDb, toColumn, toDb } from './job-rows.js';

const UNFINISHED = "state NOT IN ('delivered', 'failed', 'cancelled')";

/**
 * The jobs table in SQLite. Writes are synchronous underneath (better-sqlite3, so an acknowledgement
 * never waits on a pool) and each one survives a process crash once it returns (see database.ts),
 * so "write the state, then act on it" holds across a crash.
 */
export class SqliteJobStore implements JobStore {
	/** Compiled once per distinct SQL text: updates touch a handful of column sets. */
	private readonly statements = new Map<string, Statement>();
	/** The last admission queued on each member and server (`user:id`, `guild:id`), until it ends. */
	private readonly turns = new Map<string, Promise<void>>();

	public constructor(private readonly db: Database) {}

	private sql(text: string): Statement {
		let statement = this.statements.get(text);
		if (!statement) {
			statement = this.db.prepare(text);
			this.statements.set(text, statement);
		}
		return statement;
	}

	private row(id: string): JobRow | undefined {
		const record = this.sql('SELECT * FROM jobs WHERE id = ?').get(id) as Record<string, unknown> | undefined;
		return record ? fromDb(record) : undefined;
	}

	public async insert(job: NewJob, now = Date.now()): Promise<JobRow> {
		const record: Record<string, unknown> = { state: 'accepted', ...job, createdAt: now, updatedAt: now };
		const keys = Object.keys(record);
		this.sql(`INSERT INTO jobs (${keys.map(toColumn).join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`).run(
			Object.fromEntries(keys.map((k) => [k, toDb(k, record[k])])),
		);
		return this.row(job.id)!;
	}

	/** Writes the patched columns where the row also meets `condition`; the row as written, if it was. */
	private patchWhere(id: string, patch: JobPatch, now: number, condition = '', params: Record<string, unknown> = {}): JobRow | undefined {
		const record: Record<string, unknown> = { ...patch, updatedAt: now };
		const keys = Object.keys(record);
		const written = this.sql(`UPDATE jobs SET ${keys.map((k) => `${toColumn(k)} = @${k}`).join(', ')} WHERE id = @id${condition} RETURNING *`).get({
			...Object.fromEntries(keys.map((k) => [k, toDb(k, record[k])])),
			...params,
			id,
		}) as Record<string, unknown> | undefined;
		return written ? fromDb(written) : undefined;
	}

	public async update(id: string, patch: JobPatch, now = Date.now()): Promise<JobRow> {
		return this.patchWhere(id, patch, now)!;
	}

	public async get(id: string): Promise<JobRow | undefined> {
		return this.row(id);
	}

	public async claimAttempt(id: string, attempt: string | null, patch: JobPatch, now = Date.now()): Promise<JobRow | undefined> {
		return this.patchWhere(id, patch, now, ` AND request_id IS NULL AND submit_attempt IS @attempt AND ${UNFINISHED}`, { attempt });
	}

	/** The newest job with this request id: a Try again that reposts a made video shares its request. */
	public async byRequestId(requestId: string): Promise<JobRow | undefined> {
		const record = this.sql('SELECT * FROM jobs WHERE request_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1').get(requestId) as
			Record<string, unknown> | undefined;
		return record ? fromDb(record) : undefined;
	}

	public async countByState(): Promise<Record<string, number>> {
		const rows = this.sql('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as { state: string; n: number }[];
		return Object.fromEntries(rows.map((row) => [row.state, row.n]));
	}

	public async unfinished(): Promise<JobRow[]> {
		return (this.sql(`SELECT * FROM jobs WHERE ${UNFINISHED} ORDER BY created_at`).all() as Record<string, unknown>[]).map(fromDb);
	}

	public async activeCountForUser(userId: string): Promise<number> {
		return (this.sql(`SELECT COUNT(*) AS n FROM jobs WHERE user_id = ? AND ${UNFINISHED}`).get(userId) as { n: number }).n;
	}

	public async lastCreatedForUser(userId: string): Promise<number | undefined> {
		const row = this.sql('SELECT MAX(created_at) AS at FROM jobs WHERE user_id = ?').get(userId) as { at: number | null };
		return row.at ?? undefined;
	}

	/**
	 * USD committed by a server since a time: every job in flight (so a burst cannot overshoot the
	 * cap), plus the videos fal made since then. Refused, failed and cancelled jobs that fal never
	 * made a video for give their price back.
	 */
	public async committedSince(guildId: string, since: number): Promise<number> {
		const row = this.sql(
			`SELECT COALESCE(SUM(cost_usd), 0) AS usd FROM jobs WHERE guild_id = ? AND cost_usd > 0 AND (
				${UNFINISHED} OR produced_at >= ?)`,
		).get(guildId, since) as { usd: number };
		return row.usd;
	}

	public async countForGuildSince(guildId: string, since: number): Promise<number> {
		return (this.sql('SELECT COUNT(*) AS n FROM jobs WHERE guild_id = ? AND created_at >= ?').get(guildId, since) as { n: number }).n;
	}

	public async forgetTokensBefore(before: number): Promise<number> {
		return this.sql("UPDATE jobs SET interaction_token = '', token_expired = 1 WHERE interaction_token != '' AND interaction_at < ?").run(before)
			.changes;
	}

	/**
	 * Admissions of one member, or in one server, run one after another; others run side by side.
	 * The file belongs to this process alone (see database.ts), so an in-process queue per member and
	 * per server is all it takes: an admission takes its place in both queues at once, when called,
	 * so none can wait for another that waits for it.
	 *
	 * `work` is asynchronous, so it cannot be one SQLite transaction (other jobs' writes on the same
	 * connection would join it, and a rollback would undo them too); instead the store it is given
	 * records how to undo each of its writes, and an error undoes them all, in one transaction,
	 * before the next admission of that member or server starts.
	 */
	public exclusive<T>(scope: { readonly userId: string; readonly guildId: string }, work: (store: JobStore) => Promise<T>): Promise<T> {
		const keys = [`user:${scope.userId}`, `guild:${scope.guildId}`];
		const before = keys.map((key) => this.turns.get(key) ?? Promise.resolve());
		let finish!: () => void;
		const finished = new Promise<void>((resolve) => (finish = resolve));
		for (const key of keys) this.turns.set(key, finished);
		const turn = Promise.all(before).then(async () => {
			const admission = new UndoableJobStore(this);
			try {
				return await work(admission);
			} catch (error) {
				admission.undo();
				throw error;
			}
		});
		const end = () => {
			finish();
			for (const key of keys) if (this.turns.get(key) === finished) this.turns.delete(key);
		};
		turn.then(end, end);
		return turn;
	}

	/** The row as it is now, synchronously (for undoing). */
	public snapshot(id: string): JobRow | undefined {
		return this.row(id);
	}

	/** Puts rows back as they were: deletes the inserted ids, rewrites the updated rows whole. */
	public restore(inserted: readonly string[], updated: readonly JobRow[]): void {
		this.db.transaction(() => {
			for (const row of updated) {
				const { id, createdAt: _createdAt, updatedAt, ...fields } = row;
				const keys = [...Object.keys(fields), 'updatedAt'];
				const values: Record<string, unknown> = { ...fields, updatedAt };
				this.sql(`UPDATE jobs SET ${keys.map((k) => `${toColumn(k)} = @${k}`).join(', ')} WHERE id = @id`).run({
					...Object.fromEntries(keys.map((k) => [k, toDb(k, values[k])])),
					id,
				});
			}
			for (const id of inserted) this.sql('DELETE FROM jobs WHERE id = ?').run(id);
		})();
	}
}

/** The store an SQLite admission works with: every write goes through at once and can be undone. */
class UndoableJobStore implements JobStore {
	private readonly inserted: string[] = [];
	/** Each row as it was before this admission first changed it. */
	private readonly before = new Map<string, JobRow>();

	public constructor(private readonly store: SqliteJobStore) {}

	public undo(): void {
		this.store.restore(
			this.inserted,
			[...this.before.values()].filter((row) => !this.inserted.includes(row.id)),
		);
	}

	public async insert(job: NewJob, now?: number): Promise<JobRow> {
		const row = await this.store.insert(job, now);
		this.inserted.push(row.id);
		return row;
	}

	public async update(id: string, patch: JobPatch, now?: number): Promise<JobRow> {
		const row = this.store.snapshot(id);
		if (row && !this.before.has(id)) this.before.set(id, row);
		return this.store.update(id, patch, now);
	}

	public get = (id: string) => this.store.get(id);
	/** Not undone: admissions never claim attempts (only runners and webhooks do). */
	public claimAttempt = (id: string, attempt: string | null, patch: JobPatch, now?: number) => this.store.claimAttempt(id, attempt, patch, now);
	public byRequestId = (requestId: string) => this.store.byRequestId(requestId);
	public unfinished = () => this.store.unfinished();
	public countByState = () => this.store.countByState();
	public activeCountForUser = (userId: string) => this.store.activeCountForUser(userId);
	public lastCreatedForUser = (userId: string) => this.store.lastCreatedForUser(userId);
	public committedSince = (guildId: string, since: number) => this.store.committedSince(guildId, since);
	public countForGuildSince = (guildId: string, since: number) => this.store.countForGuildSince(guildId, since);
	/** Not undone: it only forgets tokens that are dead anyway. */
	public forgetTokensBefore = (before: number) => this.store.forgetTokensBefore(before);

	/** Nested: already this process's turn, so it runs within this admission. */
	public exclusive<T>(_scope: { readonly userId: string; readonly guildId: string }, work: (store: JobStore) => Promise<T>): Promise<T> {
		return work(this);
	}
}
