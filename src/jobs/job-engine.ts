import { setTimeout as sleep } from 'node:timers/promises';
import type { Limits } from '../config.js';
import type { Logger } from '../logger.js';
import { isFinal, type AnimateRequest, type FollowUpKind, type JobOrigin, type JobRow } from '../domain/job.js';
import { refuse } from '../domain/refusal.js';
import type { GuildSettings } from '../domain/settings.js';
import { checkAllowed } from './admission.js';
import { FalInbox } from './fal-inbox.js';
import { Gate } from './gate.js';
import { acceptJob, followUpJob } from './job-factory.js';
import { runJob, type RunHandle, type RunnerDeps } from './job-runner.js';
import type { FalCompletion, FalGateway, JobMetrics, JobStore, Media, MessengerFactory, SettingsStore } from './ports.js';
import type { FalSlots } from './slots.js';
import { JobCancelled, ShuttingDown } from './stop-reasons.js';
import { removeStrayTempFiles } from './temp-files.js';

export interface JobEngineOptions {
	readonly store: JobStore;
	readonly settings: SettingsStore;
	readonly fal: FalGateway;
	readonly media: Media;
	readonly slots: FalSlots;
	readonly messengerFor: MessengerFactory;
	readonly limits: Limits;
	readonly prices: Readonly<Record<string, number>>;
	readonly log: Logger;
	readonly metrics?: JobMetrics | undefined;
	/** FAL_WEBHOOK_URL: fal posts completions there; no status stream is held per job. */
	readonly falWebhookUrl?: string | undefined;
	/** Webhook mode's status poll (default 15 s), shortened by tests. */
	readonly webhookPollMs?: number;
}

/** How long aborted jobs get to settle on shutdown before the engine stops waiting for them. */
const ABORT_SETTLE_MS = 2_000;
/** Interaction tokens are dead 15 minutes after the interaction. */
const TOKEN_LIFETIME_MS = 15 * 60_000;

interface Running extends RunHandle {
	done: Promise<void>;
}

/**
 * The jobs this process drives, and what commands may ask of them: accept a new one, follow up on
 * a finished one, cancel, resume after a restart, pause on shutdown.
 */
export class JobEngine {
	private readonly running = new Map<string, Running>();
	private readonly inbox = new FalInbox();
	private readonly runner: RunnerDeps;
	private stopping = false;
	private housekeeping: NodeJS.Timeout | undefined;

	public constructor(private readonly options: JobEngineOptions) {
		// Two at a time keeps the event loop free to acknowledge a burst of interactions within Discord's 3 seconds.
		this.runner = {
			...options,
			preparing: new Gate(2),
			webhook: options.falWebhookUrl
				? { url: options.falWebhookUrl, inbox: this.inbox, ...(options.webhookPollMs === undefined ? {} : { pollMs: options.webhookPollMs }) }
				: undefined,
		};
		options.slots.onChange((positions) => {
			for (const [jobId, position] of positions) this.running.get(jobId)?.waitingFor?.(position);
		});
	}

	/** Resolves when no job is being driven (for tests and benchmarks). */
	public async idle(): Promise<void> {
		while (this.running.size > 0) await Promise.allSettled([...this.running.values()].map((job) => job.done));
	}

	/** Throws `Refused` when the job may not be made; returns the server's settings otherwise. */
	public checkAllowed(request: AnimateRequest | undefined, origin: JobOrigin, now = Date.now()): Promise<GuildSettings> {
		return checkAllowed(this.options, request, origin, now);
	}

	public accept(request: AnimateRequest, origin: JobOrigin): Promise<JobRow> {
		return acceptJob(this.options, request, origin);
	}

	public followUp(jobId: string, kind: FollowUpKind, origin: JobOrigin): Promise<JobRow> {
		return followUpJob(this.options, jobId, kind, origin);
	}

	/** Records the message the interaction's deferred reply became: the job's card. */
	public async recordCard(jobId: string, messageId: string): Promise<void> {
		await this.options.store.update(jobId, { progressMessageId: messageId });
	}

	/** Starts (or resumes) driving a job in the background. */
	public start(jobId: string): void {
		if (this.running.has(jobId) || this.stopping) return;
		const entry = { abort: new AbortController() } as Running;
		this.running.set(jobId, entry);
		entry.done = runJob(this.runner, jobId, entry).finally(() => this.running.delete(jobId));
	}

	/** Picks up every job a previous process left unfinished. */
	public async resume(): Promise<number> {
		this.startHousekeeping();
		removeStrayTempFiles(this.options.log);
		const jobs = await this.options.store.unfinished();
		for (const job of jobs) this.start(job.id);
		if (jobs.length > 0) this.options.log.info({ count: jobs.length }, 'resuming unfinished jobs');
		return jobs.length;
	}

	/**
	 * fal's webhook for a request: handed to its job if it waits here; otherwise the job is picked up
	 * (it may have been waiting in a process that died, or not yet be recorded as submitted). A
	 * delivery for a finished job, or a repeat, changes nothing: only the job's runner posts.
	 */
	public async receiveFalCompletion(requestId: string, completion: FalCompletion): Promise<void> {
		if (this.inbox.deliver(requestId, completion)) return;
		const job = await this.options.store.byRequestId(requestId);
		if (!job || isFinal(job.state)) {
			this.inbox.forget(requestId);
			return;
		}
		this.start(job.id);
	}

	/** The requester, the image's poster, or a member who may manage messages may delete a result. */
	public async mayDelete(jobId: string, userId: string, canManageMessages: boolean): Promise<boolean> {
		if (canManageMessages) return true;
		const job = await this.options.store.get(jobId);
		return job !== undefined && (job.userId === userId || job.sourceAuthorId === userId);
	}

	/** Cancels a job of the member's; throws `Refused` when it is not theirs or too late. */
	public async cancel(jobId: string, userId: string): Promise<void> {
		const job = await this.options.store.get(jobId);
		if (!job || isFinal(job.state)) refuse({ kind: 'cancel-finished' });
		if (job.userId !== userId) refuse({ kind: 'cancel-not-yours' });
		if (job.state === 'delivering') refuse({ kind: 'cancel-too-late' });
		const running = this.running.get(jobId);
		if (running) running.abort.abort(new JobCancelled());
		else await this.options.store.update(jobId, { state: 'cancelled', finishedAt: Date.now() });
	}

	/**
	 * Stops driving jobs without changing their state, so the next start resumes them. Deliveries
	 * already under way get the grace period to finish; everything else stops at once. Bounded:
	 * a job that does not settle within a few seconds of its abort is left as its row says.
	 */
	public async shutdown(graceMs: number): Promise<void> {
		this.stopping = true;
		clearInterval(this.housekeeping);
		const jobs = [...this.running.entries()];
		for (const [, job] of jobs) {
			if (job.state !== 'delivering') job.abort.abort(new ShuttingDown());
		}
		const settled = () => Promise.allSettled(jobs.map(([, job]) => job.done));
		await Promise.race([settled(), sleep(graceMs, undefined, { ref: false })]);
		for (const [, job] of jobs) job.abort.abort(new ShuttingDown());
		await Promise.race([settled(), sleep(ABORT_SETTLE_MS, undefined, { ref: false })]);
	}

	/** Once a minute: forget interaction tokens past their 15 minutes (they are credentials until then). */
	private startHousekeeping(): void {
		if (this.housekeeping) return;
		const forget = () =>
			this.options.store
				.forgetTokensBefore(Date.now() - TOKEN_LIFETIME_MS)
				.then((forgotten) => {
					if (forgotten > 0) this.options.log.debug({ forgotten }, 'forgot expired interaction tokens');
				})
				.catch((error: unknown) => this.options.log.warn({ err: error }, 'could not forget expired interaction tokens'));
		void forget();
		this.housekeeping = setInterval(() => void forget(), 60_000).unref();
	}
}
