import type { Statement } from 'better-sqlite3';
import type { Database } from './database.js';

export const JOB_STATES = ['accepted', 'uploading', 'waiting', 'queued', 'running', 'delivering', 'delivered', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const FINAL_STATES: ReadonlySet<JobState> = new Set(['delivered', 'failed', 'cancelled']);

/** One /animate job as stored; every field a restart needs to carry the job to its end. */
export interface JobRow {
	readonly id: string;
	readonly state: JobState;
	readonly guildId: string;
	readonly channelId: string;
	readonly userId: string;
	readonly interactionId: string;
	readonly applicationId: string;
	/** Secret for 15 minutes after interactionAt; kept so a restarted bot can still edit the reply. */
	readonly interactionToken: string;
	readonly interactionAt: number;
	readonly deferred: boolean;
	/** Set once the interaction token was refused (50027): edits and posts go through channel routes. */
	readonly tokenExpired: boolean;
	readonly attachmentSizeLimit: number;
	readonly progressMessageId: string | null;
	readonly model: string;
	readonly requestId: string | null;
	/** What the user attached, as Discord URLs (signed, expiring): only needed until uploaded to fal. */
	readonly sources: JobSources;
	readonly imageUrl: string | null;
	readonly maskUrl: string | null;
	readonly depthMapsUrl: string | null;
	readonly depthFrames: number | null;
	readonly notes: string | null;
	readonly motion: number;
	readonly noise: number;
	readonly seed: number;
	readonly steps: number;
	readonly deliveredMessageId: string | null;
	readonly deliveredVia: string | null;
	readonly error: string | null;
	readonly retryOf: string | null;
	/** What started it: the slash command, the message context menu, a reaction, or a button on a result. */
	readonly trigger: JobTrigger;
	/** The post whose image is animated (context menu, reaction); the card replies to it. */
	readonly sourceMessageId: string | null;
	/** Who posted the image: may delete the result, and may have opted out. */
	readonly sourceAuthorId: string | null;
	readonly fps: number | null;
	/** Estimated price, counted against the server's monthly cap once submitted. */
	readonly costUsd: number;
	readonly createdAt: number;
	readonly updatedAt: number;
	readonly submittedAt: number | null;
	readonly finishedAt: number | null;
}

export type JobTrigger = 'command' | 'context-menu' | 'reaction' | 'button';

export interface SourceRef {
	readonly url: string;
	readonly name: string;
}

export interface JobSources {
	readonly image: SourceRef;
	readonly mask?: SourceRef;
	readonly depthMaps?: SourceRef;
}

export type NewJob = Omit<
	JobRow,
	| 'state'
	| 'deferred'
	| 'tokenExpired'
	| 'progressMessageId'
	| 'requestId'
	| 'deliveredMessageId'
	| 'deliveredVia'
	| 'error'
	| 'createdAt'
	| 'updatedAt'
	| 'submittedAt'
	| 'finishedAt'
	| 'trigger'
	| 'sourceMessageId'
	| 'sourceAuthorId'
	| 'fps'
	| 'costUsd'
> &
	Partial<Pick<JobRow, 'state' | 'trigger' | 'sourceMessageId' | 'sourceAuthorId' | 'fps' | 'costUsd'>>;

export type JobPatch = Partial<Omit<JobRow, 'id' | 'createdAt' | 'updatedAt'>>;

const COLUMN: Record<string, string> = {};
const toColumn = (key: string) => (COLUMN[key] ??= key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
const toKey = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const BOOLEAN_KEYS = new Set(['deferred', 'tokenExpired']);

function toDb(key: string, value: unknown): unknown {
	if (key === 'sources') return JSON.stringify(value);
	if (BOOLEAN_KEYS.has(key)) return value ? 1 : 0;
	return value ?? null;
}

function fromDb(record: Record<string, unknown>): JobRow {
	const row: Record<string, unknown> = {};
	for (const [column, value] of Object.entries(record)) {
		const key = toKey(column);
		row[key] = key === 'sources' ? JSON.parse(value as string) : BOOLEAN_KEYS.has(key) ? value === 1 : value;
	}
	return row as unknown as JobRow;
}

/**
 * The jobs table. Writes are synchronous (better-sqlite3) and each one survives a process crash once it returns
 * (see database.ts), so "write the state, then act on it" holds across a crash.
 */
export class JobStore {
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
		this.sql(`INSERT INTO jobs (${keys.map(toColumn).join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`)
			.run(Object.fromEntries(keys.map((k) => [k, toDb(k, record[k])])));
		return this.get(job.id)!;
	}

	public update(id: string, patch: JobPatch, now = Date.now()): JobRow {
		const record: Record<string, unknown> = { ...patch, updatedAt: now };
		const keys = Object.keys(record);
		this.sql(`UPDATE jobs SET ${keys.map((k) => `${toColumn(k)} = @${k}`).join(', ')} WHERE id = @id`)
			.run({ ...Object.fromEntries(keys.map((k) => [k, toDb(k, record[k])])), id });
		return this.get(id)!;
	}

	public get(id: string): JobRow | undefined {
		const record = this.sql('SELECT * FROM jobs WHERE id = ?').get(id) as Record<string, unknown> | undefined;
		return record ? fromDb(record) : undefined;
	}

	public byInteraction(interactionId: string): JobRow | undefined {
		const record = this.sql('SELECT * FROM jobs WHERE interaction_id = ?').get(interactionId) as Record<string, unknown> | undefined;
		return record ? fromDb(record) : undefined;
	}

	/** Jobs a restart must carry on, oldest first. */
	public unfinished(): JobRow[] {
		return (
			this.sql("SELECT * FROM jobs WHERE state NOT IN ('delivered', 'failed', 'cancelled') ORDER BY created_at")
				.all() as Record<string, unknown>[]
		).map(fromDb);
	}

	public activeCountForUser(userId: string): number {
		return (
			this.sql("SELECT COUNT(*) AS n FROM jobs WHERE user_id = ? AND state NOT IN ('delivered', 'failed', 'cancelled')")
				.get(userId) as { n: number }
		).n;
	}

	public lastCreatedForUser(userId: string): number | undefined {
		const row = this.sql('SELECT MAX(created_at) AS at FROM jobs WHERE user_id = ?').get(userId) as { at: number | null };
		return row.at ?? undefined;
	}

	/**
	 * USD committed by a server since a time: jobs submitted to fal since then, plus jobs accepted
	 * and still on their way there, so a burst cannot overshoot the cap.
	 */
	public committedSince(guildId: string, since: number): number {
		const row = this.sql(
				`SELECT COALESCE(SUM(cost_usd), 0) AS usd FROM jobs WHERE guild_id = ? AND cost_usd > 0 AND (
					submitted_at >= ? OR (submitted_at IS NULL AND state NOT IN ('delivered', 'failed', 'cancelled')))`,
			)
			.get(guildId, since) as { usd: number };
		return row.usd;
	}

	public countForGuildSince(guildId: string, since: number): number {
		return (this.sql('SELECT COUNT(*) AS n FROM jobs WHERE guild_id = ? AND created_at >= ?').get(guildId, since) as { n: number }).n;
	}

}
