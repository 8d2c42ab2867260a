import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

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
	readonly createdAt: number;
	readonly updatedAt: number;
	readonly submittedAt: number | null;
	readonly finishedAt: number | null;
}

export interface SourceRef {
	readonly url: string;
	readonly name: string;
}

export interface JobSources {
	readonly image: SourceRef;
	readonly mask?: SourceRef;
	readonly depthMaps?: SourceRef;
	/** Which options the user typed (so the result shows what they chose, and refusals name them). */
	readonly given: readonly string[];
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
> &
	Partial<Pick<JobRow, 'state'>>;

export type JobPatch = Partial<Omit<JobRow, 'id' | 'createdAt' | 'updatedAt'>>;

/** Schema changes, applied in order; the database's user_version says how many ran. */
const MIGRATIONS: readonly string[] = [
	`CREATE TABLE jobs (
		id TEXT PRIMARY KEY,
		state TEXT NOT NULL,
		guild_id TEXT NOT NULL,
		channel_id TEXT NOT NULL,
		user_id TEXT NOT NULL,
		interaction_id TEXT NOT NULL,
		application_id TEXT NOT NULL,
		interaction_token TEXT NOT NULL,
		interaction_at INTEGER NOT NULL,
		deferred INTEGER NOT NULL DEFAULT 0,
		token_expired INTEGER NOT NULL DEFAULT 0,
		attachment_size_limit INTEGER NOT NULL,
		progress_message_id TEXT,
		model TEXT NOT NULL,
		request_id TEXT,
		sources TEXT NOT NULL,
		image_url TEXT,
		mask_url TEXT,
		depth_maps_url TEXT,
		depth_frames INTEGER,
		notes TEXT,
		motion INTEGER NOT NULL,
		noise REAL NOT NULL,
		seed INTEGER NOT NULL,
		steps INTEGER NOT NULL,
		delivered_message_id TEXT,
		delivered_via TEXT,
		error TEXT,
		retry_of TEXT,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		submitted_at INTEGER,
		finished_at INTEGER
	);
	CREATE INDEX jobs_unfinished ON jobs (created_at) WHERE state NOT IN ('delivered', 'failed', 'cancelled');
	CREATE INDEX jobs_by_user ON jobs (user_id, created_at);
	CREATE INDEX jobs_by_guild ON jobs (guild_id, created_at);`,
];

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
 * The jobs table. Writes are synchronous (better-sqlite3) and each one is durable when it returns
 * (WAL, synchronous=FULL), so "write the state, then act on it" holds across a crash.
 */
export class JobStore {
	private readonly db: Database.Database;

	public constructor(path: string) {
		if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
		this.db = new Database(path);
		this.db.pragma('journal_mode = WAL');
		this.db.pragma('synchronous = FULL');
		this.db.pragma('busy_timeout = 5000');
		this.migrate();
	}

	private migrate(): void {
		const version = this.db.pragma('user_version', { simple: true }) as number;
		for (let next = version; next < MIGRATIONS.length; next += 1) {
			this.db.transaction(() => {
				this.db.exec(MIGRATIONS[next]!);
				this.db.pragma(`user_version = ${next + 1}`);
			})();
		}
	}

	public get schemaVersion(): number {
		return this.db.pragma('user_version', { simple: true }) as number;
	}

	public insert(job: NewJob, now = Date.now()): JobRow {
		const record: Record<string, unknown> = { state: 'accepted', ...job, createdAt: now, updatedAt: now };
		const keys = Object.keys(record);
		this.db
			.prepare(`INSERT INTO jobs (${keys.map(toColumn).join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`)
			.run(Object.fromEntries(keys.map((k) => [k, toDb(k, record[k])])));
		return this.get(job.id)!;
	}

	public update(id: string, patch: JobPatch, now = Date.now()): JobRow {
		const record: Record<string, unknown> = { ...patch, updatedAt: now };
		const keys = Object.keys(record);
		this.db
			.prepare(`UPDATE jobs SET ${keys.map((k) => `${toColumn(k)} = @${k}`).join(', ')} WHERE id = @id`)
			.run({ ...Object.fromEntries(keys.map((k) => [k, toDb(k, record[k])])), id });
		return this.get(id)!;
	}

	public get(id: string): JobRow | undefined {
		const record = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Record<string, unknown> | undefined;
		return record ? fromDb(record) : undefined;
	}

	public byInteraction(interactionId: string): JobRow | undefined {
		const record = this.db.prepare('SELECT * FROM jobs WHERE interaction_id = ?').get(interactionId) as Record<string, unknown> | undefined;
		return record ? fromDb(record) : undefined;
	}

	/** Jobs a restart must carry on, oldest first. */
	public unfinished(): JobRow[] {
		return (
			this.db
				.prepare("SELECT * FROM jobs WHERE state NOT IN ('delivered', 'failed', 'cancelled') ORDER BY created_at")
				.all() as Record<string, unknown>[]
		).map(fromDb);
	}

	public activeCountForUser(userId: string): number {
		return (
			this.db
				.prepare("SELECT COUNT(*) AS n FROM jobs WHERE user_id = ? AND state NOT IN ('delivered', 'failed', 'cancelled')")
				.get(userId) as { n: number }
		).n;
	}

	public lastCreatedForUser(userId: string): number | undefined {
		const row = this.db.prepare('SELECT MAX(created_at) AS at FROM jobs WHERE user_id = ?').get(userId) as { at: number | null };
		return row.at ?? undefined;
	}

	public countForGuildSince(guildId: string, since: number): number {
		return (this.db.prepare('SELECT COUNT(*) AS n FROM jobs WHERE guild_id = ? AND created_at >= ?').get(guildId, since) as { n: number }).n;
	}

	public close(): void {
		if (this.db.open) this.db.close();
	}
}
