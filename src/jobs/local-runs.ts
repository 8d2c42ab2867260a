import { setTimeout as sleep } from 'node:timers/promises';
import { isFinal } from '../domain/job.js';
import { runJob, type RunHandle, type RunnerDeps } from './job-runner.js';
import type { JobDriver } from './ports.js';
import { JobCancelled, ShuttingDown } from './stop-reasons.js';

/** How long aborted jobs get to settle on shutdown before the engine stops waiting for them. */
const ABORT_SETTLE_MS = 2_000;
/** A cancel that found no run here still stops a run of that job starting here this soon after. */
const EARLY_CANCEL_MS = 60_000;

interface Running extends RunHandle {
	done: Promise<'ended' | 'paused'>;
}

/** The jobs this process drives: one run per job, each with its abort; what every scheduler hands jobs to. */
export class LocalRuns implements JobDriver {
	private readonly running = new Map<string, Running>();
	/** Cancels that arrived before the job's run did (another process published them), by expiry. */
	private readonly earlyCancels = new Map<string, number>();
	private stopping = false;

	public constructor(private readonly runner: RunnerDeps) {}

	public get size(): number {
		return this.running.size;
	}

	/** Shows each waiting job's place in the fal queue on its card. */
	public showPositions(positions: ReadonlyMap<string, number>): void {
		for (const [jobId, position] of positions) this.running.get(jobId)?.waitingFor?.(position);
	}

	public drive(jobId: string): Promise<'ended' | 'paused'> {
		const existing = this.running.get(jobId);
		if (existing) return existing.done;
		if (this.stopping) return Promise.resolve('paused');
		const entry = { abort: new AbortController() } as Running;
		this.running.set(jobId, entry);
		const cancelledAt = this.earlyCancels.get(jobId);
		if (cancelledAt !== undefined && cancelledAt > Date.now()) entry.abort.abort(new JobCancelled());
		this.earlyCancels.delete(jobId);
		entry.done = (async () => {
			// A job may be handed over after it ended (a cancel of a queued job, a repeated webhook).
			if (await this.ended(jobId)) return 'ended' as const;
			await runJob(this.runner, jobId, entry);
			return (await this.ended(jobId)) ? ('ended' as const) : ('paused' as const);
		})().finally(() => this.running.delete(jobId));
		return entry.done;
	}

	/**
	 * Whether the job's row is final (or gone). Only the answer is kept: a row held in the run's
	 * async frame would stay in memory for as long as the job waits at fal (about 2 KB a job).
	 */
	private async ended(jobId: string): Promise<boolean> {
		const row = await this.runner.store.get(jobId);
		return !row || isFinal(row.state);
	}

	public cancelHere(jobId: string): boolean {
		const running = this.running.get(jobId);
		if (running) {
			running.abort.abort(new JobCancelled());
			return true;
		}
		const now = Date.now();
		for (const [id, until] of this.earlyCancels) if (until <= now) this.earlyCancels.delete(id);
		this.earlyCancels.set(jobId, now + EARLY_CANCEL_MS);
		return false;
	}

	public falFinished(requestId: string): boolean {
		return this.runner.webhook?.inbox.notice(requestId) ?? false;
	}

	/** Resolves when no job is being driven (for tests and benchmarks). */
	public async idle(): Promise<void> {
		while (this.running.size > 0) await Promise.allSettled([...this.running.values()].map((job) => job.done));
	}

	/**
	 * Stops driving jobs without changing their state, so they resume later. Deliveries already
	 * under way get the grace period to finish; everything else stops at once. Bounded: a job that
	 * does not settle within a few seconds of its abort is left as its row says.
	 */
	public async pauseAll(graceMs: number): Promise<void> {
		this.stopping = true;
		const jobs = [...this.running.values()];
		for (const job of jobs) if (job.state !== 'delivering') job.abort.abort(new ShuttingDown());
		const settled = () => Promise.allSettled(jobs.map((job) => job.done));
		await Promise.race([settled(), sleep(graceMs, undefined, { ref: false })]);
		for (const job of jobs) job.abort.abort(new ShuttingDown());
		await Promise.race([settled(), sleep(ABORT_SETTLE_MS, undefined, { ref: false })]);
	}
}
