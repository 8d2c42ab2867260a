import type { Limits } from '../config.js';
import type { Logger } from '../logger.js';
import { isFinal, type AnimateRequest, type FollowUpKind, type JobOrigin, type JobRow } from '../domain/job.js';
import { refuse } from '../domain/refusal.js';
import { checkAllowed, type Admitted } from './admission.js';
import { FalInbox } from './fal-inbox.js';
import { Gate } from './gate.js';
import type { SubmitAttempt } from './interrupted-submit.js';
import { acceptJob, followUpJob } from './job-factory.js';
import { InProcessScheduler } from './in-process-scheduler.js';
import type { RunnerDeps } from './job-runner.js';
import { LocalRuns } from './local-runs.js';
import type {
	FalAdmission,
	FalCompletion,
	FalGateway,
	JobDriver,
	JobMetrics,
	JobScheduler,
	JobStore,
	Media,
	MessengerFactory,
	SettingsStore,
} from './ports.js';
import { removeStrayTempFiles } from './temp-files.js';

export interface JobEngineOptions {
	readonly store: JobStore;
	readonly settings: SettingsStore;
	readonly fal: FalGateway;
	readonly media: Media;
	readonly slots: FalAdmission;
	/** Where jobs are driven; default: all in this process (InProcessScheduler). */
	readonly scheduler?: (driver: JobDriver) => JobScheduler;
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

/** Interaction tokens are dead 15 minutes after the interaction. */
const TOKEN_LIFETIME_MS = 15 * 60_000;

/**
 * The jobs this process drives, and what commands may ask of them: accept a new one, follow up on
 * a finished one, cancel, resume after a restart, pause on shutdown.
 */
export class JobEngine {
	private readonly inbox = new FalInbox();
	private readonly runs: LocalRuns;
	private readonly scheduler: JobScheduler;
	private housekeeping: NodeJS.Timeout | undefined;

	public constructor(private readonly options: JobEngineOptions) {
		// Two at a time keeps the event loop free to acknowledge a burst of interactions within Discord's 3 seconds.
		const runner: RunnerDeps = {
			...options,
			preparing: new Gate(2),
			webhook: options.falWebhookUrl
				? { url: options.falWebhookUrl, inbox: this.inbox, ...(options.webhookPollMs === undefined ? {} : { pollMs: options.webhookPollMs }) }
				: undefined,
		};
		this.runs = new LocalRuns(runner);
		this.scheduler = (options.scheduler ?? ((driver) => new InProcessScheduler(driver, options.log)))(this.runs);
		options.slots.onChange((positions) => this.runs.showPositions(positions));
	}

	/** Resolves when no job is being driven here (for tests and benchmarks). */
	public idle(): Promise<void> {
		return this.runs.idle();
	}

	/**
	 * Accepted jobs waiting their turn (animate_queue_depth): for a fal slot, and on a shared queue
	 * also those no process has taken yet. A job paused while waiting for a slot may count twice
	 * for the second before it is taken again.
	 */
	public async queueDepth(): Promise<number> {
		const [forSlot, untaken] = await Promise.all([this.options.slots.countWaiting(), this.scheduler.backlog()]);
		return forSlot + untaken;
	}

	/** Throws `Refused` when the job may not be made; says with which settings, model and price otherwise. */
	public checkAllowed(request: AnimateRequest, origin: JobOrigin, now = Date.now()): Promise<Admitted> {
		return checkAllowed(this.options, { request }, origin, now);
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

	/** Starts (or resumes) driving a job: here, or in whichever process the scheduler hands it to. */
	public start(jobId: string): Promise<void> {
		return this.scheduler.schedule(jobId);
	}

	/**
	 * Picks up every job a previous process left unfinished. On a shared queue every process does
	 * this at start; a job already queued or driven elsewhere is not scheduled twice.
	 */
	public async resume(): Promise<number> {
		this.startHousekeeping();
		removeStrayTempFiles(this.options.log);
		const jobs = await this.options.store.unfinished();
		for (const job of jobs) await this.start(job.id);
		if (jobs.length > 0) this.options.log.info({ count: jobs.length }, 'resuming unfinished jobs');
		return jobs.length;
	}

	/**
	 * fal's webhook for a request: handed to its job if it waits here; otherwise the job is picked up
	 * (it may have been waiting in a process that died, or not yet be recorded as submitted), and
	 * the process that drives it, if another, is told at once. A delivery for a finished job, or a
	 * repeat, changes nothing: only the job's runner posts.
	 *
	 * A request id no job has yet is recorded for the job and attempt the webhook URL names, if that
	 * attempt is still the job's latest and unanswered: a submit its process never heard back from.
	 */
	public async receiveFalCompletion(requestId: string, completion: FalCompletion, attempt?: SubmitAttempt): Promise<void> {
		if (this.inbox.deliver(requestId, completion)) return;
		const { store, log } = this.options;
		let job = await store.byRequestId(requestId);
		if (!job && attempt) {
			const now = Date.now();
			job = await store.claimAttempt(attempt.jobId, attempt.attempt, { requestId, state: 'queued', submittedAt: now }, now);
			if (job) log.info({ jobId: job.id, requestId }, 'fal named a submit whose answer was never recorded');
			else log.warn({ jobId: attempt.jobId, requestId }, 'fal webhook for a submit no job is waiting for');
		}
		if (!job || isFinal(job.state)) {
			this.inbox.forget(requestId);
			return;
		}
		await this.start(job.id);
		// Only a shortcut: the driving process's status poll finds the completion anyway, so a
		// notice that cannot be sent must not make fal deliver the webhook again.
		await this.scheduler
			.falFinished(requestId)
			.catch((error: unknown) => this.options.log.warn({ err: error, requestId }, 'could not tell the other processes of a fal webhook'));
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
		// Not driven anywhere (waiting to be picked up): its row is all there is to end.
		if (!(await this.scheduler.cancel(jobId))) await this.options.store.update(jobId, { state: 'cancelled', finishedAt: Date.now() });
	}

	/**
	 * Stops driving jobs without changing their state, so the next start (or another process)
	 * resumes them; deliveries under way get the grace period to finish.
	 */
	public async shutdown(graceMs: number): Promise<void> {
		clearInterval(this.housekeeping);
		await this.scheduler.shutdown(graceMs);
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
