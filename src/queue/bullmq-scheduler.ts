/**
 * The shared job queue (REDIS_URL): BullMQ on Redis hands each job to one process at a time, and
 * Redis pub/sub carries a member's Cancel, and the news of a fal webhook that reached another
 * process, to whichever process drives the job.
 */
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { JobDriver, JobScheduler } from '../jobs/ports.js';

export interface QueueOptions {
	readonly redisUrl: string;
	/** Namespaces the queue's keys and the pub/sub channels (QUEUE_PREFIX). */
	readonly prefix: string;
	/** False for a gateway-only process: it schedules jobs but never drives one. */
	readonly drives: boolean;
	readonly log: Logger;
	/** Jobs driven here at once. They mostly wait on fal and Discord, so many fit one process. */
	readonly concurrency?: number;
}

interface QueuedJob {
	readonly jobId: string;
}

/**
 * A process's lock on a job lasts 10 s and is renewed every 5 s while it lives; every 5 s each
 * worker looks for jobs whose lock lapsed (their process died) and takes them back, so a killed
 * process's jobs are picked up again within about 15 s.
 */
const LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;
/** A paused or failed run goes back to the queue after this; the job's row says where to resume. */
const RETRY_MS = 1_000;

/** Thrown by the processor when a run paused (shutdown): BullMQ then retries the job in any process. */
class RunPaused extends Error {
	public constructor(jobId: string) {
		super(`job ${jobId} paused; it resumes on the queue`);
		this.name = 'RunPaused';
	}
}

export class BullmqScheduler implements JobScheduler {
	private readonly connection: Redis;
	private readonly subscriber: Redis;
	private readonly queue: Queue<QueuedJob>;
	private worker: Worker<QueuedJob> | undefined;
	private readonly cancelChannel: string;
	private readonly falChannel: string;

	public constructor(
		private readonly driver: JobDriver,
		private readonly options: QueueOptions,
	) {
		const { redisUrl, prefix, log } = options;
		// BullMQ's blocking reads need requests that never give up while Redis is away.
		this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
		this.subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null });
		for (const client of [this.connection, this.subscriber]) client.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
		this.cancelChannel = `${prefix}:cancel`;
		this.falChannel = `${prefix}:fal-finished`;
		this.queue = new Queue<QueuedJob>('jobs', {
			connection: this.connection,
			prefix,
			defaultJobOptions: {
				// Removed once done, so a later schedule of the same id (a retry of a failed job) adds it again.
				removeOnComplete: true,
				removeOnFail: true,
				// A run that paused or could not start (database away) is tried again, in any process, for as long as it takes.
				attempts: 1_000_000,
				backoff: { type: 'fixed', delay: RETRY_MS },
			},
		});
		this.queue.on('error', (error) => log.warn({ err: error }, 'job queue error'));
		this.subscriber.on('message', (channel: string, id: string) => {
			if (channel === this.cancelChannel && this.driver.cancelHere(id)) log.info({ jobId: id }, 'cancel from another process');
			else if (channel === this.falChannel && this.driver.falFinished(id)) log.debug({ requestId: id }, 'fal webhook taken by another process');
		});
	}

	/** Connects, listens for cancels and (unless gateway-only) starts taking jobs. */
	public async start(): Promise<void> {
		await this.queue.waitUntilReady();
		await this.subscriber.subscribe(this.cancelChannel, this.falChannel);
		if (!this.options.drives) return;
		this.worker = new Worker<QueuedJob>('jobs', (job) => this.process(job), {
			connection: this.connection,
			prefix: this.options.prefix,
			concurrency: this.options.concurrency ?? 200,
			lockDuration: LOCK_MS,
			stalledInterval: STALLED_CHECK_MS,
			// A job whose process died is taken back however often that happens: its row makes resuming safe.
			maxStalledCount: 1_000_000,
		});
		this.worker.on('error', (error) => this.options.log.warn({ err: error }, 'job worker error'));
		await this.worker.waitUntilReady();
	}

	private async process(job: Job<QueuedJob>): Promise<void> {
		const outcome = await this.driver.drive(job.data.jobId);
		if (outcome === 'paused') throw new RunPaused(job.data.jobId);
	}

	public async schedule(jobId: string): Promise<void> {
		// The job id is BullMQ's id too: while the job is queued or driven somewhere, adding it again is a no-op.
		await this.queue.add('run', { jobId }, { jobId });
	}

	public async cancel(jobId: string): Promise<boolean> {
		// Published first: a process about to start the job remembers the cancel for a minute.
		await this.connection.publish(this.cancelChannel, jobId);
		return (await this.queue.getJobState(jobId)) === 'active';
	}

	/** Every process hears it (this one too); only the one whose job waits for the request acts on it. */
	public async falFinished(requestId: string): Promise<void> {
		await this.connection.publish(this.falChannel, requestId);
	}

	/** Queued and not taken by any process: waiting, or back on the queue after a pause (delayed). */
	public backlog(): Promise<number> {
		return this.queue.getJobCountByTypes('waiting', 'delayed', 'prioritized');
	}

	/** True when Redis answers (a worker's /readyz). */
	public async ping(): Promise<boolean> {
		return (await this.connection.ping()) === 'PONG';
	}

	public async shutdown(graceMs: number): Promise<void> {
		// No new jobs from here; the runs paused below fail with RunPaused and go back to the queue.
		const closing = this.worker?.close();
		await this.driver.pauseAll(graceMs);
		await closing;
		await this.queue.close();
		this.subscriber.disconnect();
		await this.connection.quit().catch(() => undefined);
	}
}
