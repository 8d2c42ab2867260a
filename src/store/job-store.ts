import type { Statement } from 'better-sqlite3';
import type { JobPatch, JobRow, NewJob } from '../domain/job.js';
import type { JobStore } from '../jobs/ports.js';
import type { Database } from './database.js';

const COLUMN: Record<string, string> = {};
const toColumn = (key: string) => (COLUMN[key] ??= key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
const toKey = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const JSON_KEYS = new Set(['sources', 'notes']);
const BOOLEAN_KEYS = new Set(['tokenExpired']);

function toDb(key: string, value: unknown): unknown {
	if (key === 'notes') return Array.isArray(value) && value.length > 0 ? JSON.stringify(value) : null;
	if (JSON_KEYS.has(key)) return JSON.stringify(value);
	if (BOOLEAN_KEYS.has(key)) return value ? 1 : 0;
	return value ?? null;
}

function fromDb(record: Record<string, unknown>): JobRow {
	const row: Record<string, unknown> = {};
	for (const [column, value] of Object.entries(record)) {
		const key = toKey(column);
		if (key === 'notes') row[key] = value === null ? [] : JSON.parse(value as string);
		else if (JSON_KEYS.has(key)) row[key] = JSON.parse(value as string);
		else row[key] = BOOLEAN_KEYS.has(key) ? value === 1 : value;
	}
	return row as unknown as JobRow;
}

const UNFINISHED = "state NOT IN ('delivered', 'failed', 'cancelled')";

/**
 * The jobs table. Writes are synchronous (better-sqlite3) and each one survives a process crash
 * once it returns (see database.ts), so "write the state, then act on it" holds across a crash.
 */
export class SqliteJobStore implements JobStore {
	/** Compiled once per distinct SQL text: updates touch a handful of column sets. */
	private readonly statements = new Map<string, Statement>();

	public constructor(private readonly db: Database) {}

	private sql(text: string): Statement {
		let statement = this.statements.get(text);
		if (!statement) {
			statement = this.db.prepare(text);
			this.statements.set(text, statement);
		}
		return statement;
	}

	public insert(job: NewJob, now = Date.now()): JobRow {
		const record: Record<string, unknown> = { state: 'accepted', ...job, createdAt: now, updatedAt: now };
		const keys = Object.keys(record);
		this.sql(`INSERT INTO jobs (${keys.map(toColumn).join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`).run(
			Object.fromEntries(keys.map((k) => [k, toDb(k, record[k])])),
		);
		return this.get(job.id)!;
	}

	public update(id: string, patch: JobPatch, now = Date.now()): JobRow {
		const record: Record<string, unknown> = { ...patch, updatedAt: now };
		const keys = Object.keys(record);
		this.sql(`UPDATE jobs SET ${keys.map((k) => `${toColumn(k)} = @${k}`).join(', ')} WHERE id = @id`).run({
			...Object.fromEntries(keys.map((k) => [k, toDb(k, record[k])])),
			id,
		});
		return this.get(id)!;
	}

	public get(id: string): JobRow | undefined {
		const record = this.sql('SELECT * FROM jobs WHERE id = ?').get(id) as Record<string, unknown> | undefined;
		return record ? fromDb(record) : undefined;
	}

	public unfinished(): JobRow[] {
		return (this.sql(`SELECT * FROM jobs WHERE ${UNFINISHED} ORDER BY created_at`).all() as Record<string, unknown>[]).map(fromDb);
	}

	public activeCountForUser(userId: string): number {
		return (this.sql(`SELECT COUNT(*) AS n FROM jobs WHERE user_id = ? AND ${UNFINISHED}`).get(userId) as { n: number }).n;
	}

	public lastCreatedForUser(userId: string): number | undefined {
		const row = this.sql('SELECT MAX(created_at) AS at FROM jobs WHERE user_id = ?').get(userId) as { at: number | null };
		return row.at ?? undefined;
	}

	/**
	 * USD committed by a server since a time: every job in flight (so a burst cannot overshoot the
	 * cap), plus the videos fal made since then. Refused, failed and cancelled jobs that fal never
	 * made a video for give their price back.
	 */
	public committedSince(guildId: string, since: number): number {
		const row = this.sql(
			`SELECT COALESCE(SUM(cost_usd), 0) AS usd FROM jobs WHERE guild_id = ? AND cost_usd > 0 AND (
				${UNFINISHED} OR produced_at >= ?)`,
		).get(guildId, since) as { usd: number };
		return row.usd;
	}

	/** Forgets interaction tokens older than `before` (they are dead after 15 minutes); returns how many. */
	public forgetTokensBefore(before: number): number {
		return this.sql("UPDATE jobs SET interaction_token = '', token_expired = 1 WHERE interaction_token != '' AND interaction_at < ?").run(before)
			.changes;
	}

	public countForGuildSince(guildId: string, since: number): number {
		return (this.sql('SELECT COUNT(*) AS n FROM jobs WHERE guild_id = ? AND created_at >= ?').get(guildId, since) as { n: number }).n;
	}
}
