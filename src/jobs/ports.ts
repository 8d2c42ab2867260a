/**
 * What the job engine needs from the world, and nothing more. The adapters (store/, fal/, media/,
 * discord/) implement these; tests pass fakes.
 */
import type { JobPatch, JobRow, NewJob, SourceRef } from '../domain/job.js';
import type { JobProgress } from '../domain/progress.js';
import type { Refusal } from '../domain/refusal.js';
import type { GuildOverrides, GuildSettings } from '../domain/settings.js';
import type { ModelSpec } from '../domain/models.js';

/**
 * The jobs, in SQLite (one process) or PostgreSQL (many). Asynchronous so either can stand behind
 * it; one contract test suite runs against both.
 */
export interface JobStore {
	insert(job: NewJob, now?: number): Promise<JobRow>;
	update(id: string, patch: JobPatch, now?: number): Promise<JobRow>;
	get(id: string): Promise<JobRow | undefined>;
	/** The job fal knows by this request id (its webhooks name only that). */
	byRequestId(requestId: string): Promise<JobRow | undefined>;
	/**
	 * Writes `patch` only while the job is unfinished, has no request id and its submit attempt is
	 * still `attempt`; undefined when that no longer holds. The one write that decides, across
	 * processes, between fal's webhook naming an interrupted submit and a new submit.
	 */
	claimAttempt(id: string, attempt: string | null, patch: JobPatch, now?: number): Promise<JobRow | undefined>;
	/** Jobs a restart must carry on, oldest first. */
	unfinished(): Promise<JobRow[]>;
	activeCountForUser(userId: string): Promise<number>;
	lastCreatedForUser(userId: string): Promise<number | undefined>;
	/** USD committed by a server since a time: every job in flight, plus videos fal made since then. */
	committedSince(guildId: string, since: number): Promise<number>;
	countForGuildSince(guildId: string, since: number): Promise<number>;
	/** Forgets interaction tokens older than `before` (they are dead after 15 minutes); returns how many. */
	forgetTokensBefore(before: number): Promise<number>;
	/** How many jobs are in each state (for metrics). */
	countByState(): Promise<Record<string, number>>;
	/**
	 * Runs `work` as one transaction that no other admission for this member or this server can
	 * interleave with, in any process: the limits it checks still hold when it inserts.
	 */
	exclusive<T>(scope: { readonly userId: string; readonly guildId: string }, work: (store: JobStore) => Promise<T>): Promise<T>;
}

export interface SettingsStore {
	get(guildId: string): Promise<GuildSettings>;
	update(guildId: string, patch: GuildOverrides, now?: number): Promise<GuildSettings>;
	reset(guildId: string): Promise<GuildSettings>;
	isOptedOut(userId: string): Promise<boolean>;
	setOptOut(userId: string, optedOut: boolean, now?: number): Promise<void>;
}

/** A status update of a request at fal. */
export interface FalStatus {
	readonly status: 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED';
	readonly queue_position?: number;
	readonly logs?: readonly { readonly message: string }[] | null;
	/** Set on COMPLETED when the request failed at fal. */
	readonly error?: string;
	readonly error_type?: string;
}

/** A generated file as fal describes it. */
export interface FalFile {
	readonly url: string;
	readonly content_type?: string;
	readonly file_name?: string;
	readonly file_size?: number;
}

export interface FalVideoResult {
	readonly video: FalFile;
	readonly seed: number | undefined;
}

/** How fal said a request ended, when it said so by webhook. */
export type FalCompletion =
	| { readonly kind: 'ok'; readonly video: FalFile; readonly seed: number | undefined }
	/** The failure as the gateway would raise it (FalRejected or FalJobFailed). */
	| { readonly kind: 'failed'; readonly error: Error }
	/** Finished, but the output did not fit the webhook: ask the queue for the result. */
	| { readonly kind: 'ask-queue' };

export interface SubmitOptions {
	/** fal POSTs the outcome there instead of the bot holding a status stream. */
	readonly webhookUrl?: string;
}

/**
 * The slice of fal the engine uses. Failures arrive as the domain's FalUnreachable, FalRejected
 * and FalJobFailed, never as the client's own errors.
 */
export interface FalGateway {
	upload(bytes: Uint8Array, contentType: string, fileName: string): Promise<string>;
	submit(model: string, input: Record<string, unknown>, options?: SubmitOptions): Promise<string>;
	/** One status request: where the request is now (a resumed job asks this before anything else). */
	status(model: string, requestId: string): Promise<FalStatus>;
	/** Follows the request until it completes, calling onStatus for each update; rejects when signal aborts. */
	watch(model: string, requestId: string, onStatus: (status: FalStatus) => void, signal: AbortSignal): Promise<FalStatus>;
	result(model: string, requestId: string): Promise<FalVideoResult>;
	cancel(model: string, requestId: string): Promise<void>;
}

export interface CheckedImage {
	readonly bytes: Buffer;
	readonly contentType: string;
	readonly fileName: string;
	readonly width: number;
	readonly height: number;
	/** True when the upload was animated and only its first frame is used. */
	readonly firstFrameOnly: boolean;
}

export interface CheckedDepthMaps {
	/** A zip holding only the depth images, in frame order. */
	readonly bytes: Buffer;
	readonly frames: number;
}

/**
 * Downloads and checks what members send; refusals are thrown as `Refused`. Every call stops
 * when `signal` aborts (the job was cancelled, or the bot is stopping).
 */
export interface Media {
	loadImage(source: SourceRef, signal: AbortSignal): Promise<CheckedImage>;
	loadDepthMaps(source: SourceRef, signal: AbortSignal): Promise<CheckedDepthMaps>;
	/** Streams a file to disk, refusing (file-too-large) past maxBytes. Returns the size written. */
	downloadToFile(url: string, maxBytes: number, label: string, path: string, signal: AbortSignal): Promise<number>;
}

/** A file on disk to attach; it is streamed from there, never read whole into memory. */
export interface FileOnDisk {
	readonly path: string;
	readonly name: string;
	readonly contentType: string;
}

/** A finished video as the member is shown it. */
export interface ResultCard {
	readonly job: JobRow;
	readonly model: ModelSpec;
	/** The seed fal used; absent for models that take none (Kling, Hailuo, Luma). */
	readonly seed: number | undefined;
	/** Set when the video is linked rather than attached (over the upload limit). */
	readonly link?: { readonly url: string; readonly size: number; readonly limit: number };
}

export interface PostedMessage {
	readonly id: string;
	readonly url: string;
	readonly via: 'channel' | 'follow-up' | 'dm';
}

/** Why a job failed, in a fixed set (a metric label). */
export type FailureReason = 'rejected' | 'fal-failed' | 'timed-out' | 'fal-outage' | 'media' | 'delivery' | 'internal' | 'other';

/** What became of a submit a stopped process left unanswered: fal's webhook named it, or it was made again. */
export type InterruptedSubmitOutcome = 'adopted' | 'resubmitted';

/** What the engine counts; the HTTP adapter's Prometheus metrics implement it (a no-op otherwise). */
export interface JobMetrics {
	submitted(): void;
	interruptedSubmit(outcome: InterruptedSubmitOutcome): void;
	delivered(via: PostedMessage['via']): void;
	failed(reason: FailureReason): void;
	/** Seconds a request waited in fal's queue. */
	observeFalWait(seconds: number): void;
	/** Seconds a request ran at fal. */
	observeFalRun(seconds: number): void;
}

/** How a job talks to its requester; the Discord adapter words and throttles. */
export interface JobMessenger {
	readonly attachmentSizeLimit: number;
	/** Shows progress on the job's card (coalesced: only changes the member can see are sent). */
	showProgress(progress: JobProgress): void;
	/** Shows a final state now and waits until it is sent. */
	settle(progress: JobProgress): Promise<void>;
	/** Posts the finished video, at most once per job. */
	postResult(card: ResultCard, file?: FileOnDisk): Promise<PostedMessage>;
	/** A refusal before anything was made: private when the interaction still allows it. */
	refuse(refusal: Refusal): Promise<void>;
	/** A message the bot already posted for this job, if any (a restart may not know it did). */
	findDelivered(): Promise<PostedMessage | undefined>;
}

export type MessengerFactory = (job: JobRow, persist: (patch: JobPatch) => Promise<JobRow>) => JobMessenger;

/**
 * Drives jobs in this process: the engine's side of a scheduler. A scheduler decides which
 * process drives a job; the driver runs it there.
 */
export interface JobDriver {
	/**
	 * Drives the job here until it ends or pauses (shutdown): 'ended' when its row is final
	 * (delivered, failed, cancelled), 'paused' when another run must carry it on. A second call for a
	 * job already driven here joins the first.
	 */
	drive(jobId: string): Promise<'ended' | 'paused'>;
	/**
	 * Cancels the job if it is driven here, or if it starts here within a minute (a cancel may
	 * arrive just before its run does). True when a run here took it.
	 */
	cancelHere(jobId: string): boolean;
	/** Pauses every run here: deliveries under way get `graceMs` to finish, the rest stop at once. */
	pauseAll(graceMs: number): Promise<void>;
	/**
	 * fal has finished this request (its webhook reached another process): a job waiting here for it
	 * asks fal's queue for the outcome at once, not at its next status poll. True when one waited.
	 */
	falFinished(requestId: string): boolean;
}

/**
 * Where jobs are driven: in this process (the default), or on a shared queue that hands each job
 * to one process at a time (REDIS_URL). The same runner drives a job either way.
 */
export interface JobScheduler {
	/** Makes sure the job is driven, here or elsewhere. Safe to call again for a job already scheduled. */
	schedule(jobId: string): Promise<void>;
	/** Asks whichever process drives the job to cancel it; false when none does (the caller ends it itself). */
	cancel(jobId: string): Promise<boolean>;
	/**
	 * fal's webhook for this request reached this process: tells the process driving its job, if it
	 * is another one, so that it does not wait for its next status poll. Nothing to do in one process.
	 */
	falFinished(requestId: string): Promise<void>;
	/** Jobs scheduled that no process has taken yet (metrics): always 0 in one process, which takes each at once. */
	backlog(): Promise<number>;
	/** Stops taking jobs and pauses those driven here; they resume on the next start or in another process. */
	shutdown(graceMs: number): Promise<void>;
}

/**
 * Admission to fal: at most MAX_FAL_JOBS jobs at fal at once, the fairest waiting job first. In
 * memory for one process (`FalSlots`), in the database across processes (`GlobalSlots`).
 */
export interface FalAdmission {
	/**
	 * Resolves when the job may go to fal. `force` takes a slot at once, over the cap: for jobs
	 * already at fal after a restart, which must not wait behind new ones.
	 */
	acquire(jobId: string, userId: string, signal: AbortSignal, force?: boolean): Promise<void>;
	release(jobId: string, userId: string): void;
	/** Called with the place of each job waiting here (0 = next) whenever it changes. */
	onChange(listener: (positions: ReadonlyMap<string, number>) => void): () => void;
	/** Jobs waiting for a slot (metrics): here (`FalSlots`), or in every process (`GlobalSlots`). */
	countWaiting(): Promise<number>;
}

/**
 * The shared ledger of fal slots (PostgreSQL): who holds one, and who is next. Every call is one
 * atomic step across processes.
 */
export interface SlotLedger {
	/**
	 * Grants a slot to each of `candidates` that is among the next `capacity − held` fairest waiting
	 * jobs (fewest jobs at fal for its member, then oldest); returns them, and the place of each other
	 * candidate among the waiting (0 = next).
	 */
	admit(candidates: readonly string[], capacity: number): Promise<{ granted: string[]; places: Map<string, number> }>;
	/** Records a slot without asking (a job already at fal). */
	hold(jobId: string, userId: string): Promise<void>;
	/** How many jobs, in every process, are prepared and wait for a slot. */
	countWaiting(): Promise<number>;
	release(jobId: string): Promise<void>;
}
