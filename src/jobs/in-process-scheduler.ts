import type { Logger } from '../logger.js';
import type { JobDriver, JobScheduler } from './ports.js';

/** The default: every job is driven in this process, started at once. */
export class InProcessScheduler implements JobScheduler {
	public constructor(
		private readonly driver: JobDriver,
		private readonly log: Logger,
	) {}

	public schedule(jobId: string): Promise<void> {
		// The run reports its own failures; this only keeps a failed read from going unhandled.
		this.driver.drive(jobId).catch((error: unknown) => this.log.error({ err: error, jobId }, 'job run failed'));
		return Promise.resolve();
	}

	public cancel(jobId: string): Promise<boolean> {
		return Promise.resolve(this.driver.cancelHere(jobId));
	}

	/** Every job is driven here, so the webhook already reached the process that waits for it. */
	public falFinished(): Promise<void> {
		return Promise.resolve();
	}

	public backlog(): Promise<number> {
		return Promise.resolve(0);
	}

	public shutdown(graceMs: number): Promise<void> {
		return this.driver.pauseAll(graceMs);
	}
}
