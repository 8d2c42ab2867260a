import type { Logger } from '../logger.js';
import type { FalAdmission, SlotLedger } from './ports.js';

interface Waiter {
	readonly grant: () => void;
}

/**
 * MAX_FAL_JOBS across every process: the slots live in the database (`SlotLedger`), and the jobs
 * waiting here ask it together, about once a second and at once when a slot is released here. A
 * slot freed in another process is noticed by the next ask; places shown on cards come from the
 * same ask, so they count the waiting jobs of every process.
 */
export class GlobalSlots implements FalAdmission {
	private readonly waiting = new Map<string, Waiter>();
	private readonly listeners = new Set<(positions: ReadonlyMap<string, number>) => void>();
	private asking: Promise<void> | undefined;
	private again = false;
	private timer: NodeJS.Timeout | undefined;

	public constructor(
		private readonly ledger: SlotLedger,
		private readonly capacity: number,
		private readonly log: Logger,
		private readonly pollMs = 1_000,
	) {}

	public onChange(listener: (positions: ReadonlyMap<string, number>) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Every process's waiting jobs, as the ledger holds them (the same figure in each process). */
	public countWaiting(): Promise<number> {
		return this.ledger.countWaiting();
	}

	public acquire(jobId: string, _userId: string, signal: AbortSignal, force = false): Promise<void> {
		if (force) return this.ledger.hold(jobId, _userId);
		signal.throwIfAborted();
		return new Promise<void>((resolve, reject) => {
			const onAbort = () => {
				// A slot granted meanwhile stays with the job: a paused job finds it on resume, a
				// cancelled one is final and no longer counted.
				this.waiting.delete(jobId);
				reject(signal.reason);
			};
			signal.addEventListener('abort', onAbort, { once: true });
			this.waiting.set(jobId, {
				grant: () => {
					signal.removeEventListener('abort', onAbort);
					resolve();
				},
			});
			this.ask();
		});
	}

	public release(jobId: string): void {
		this.ledger
			.release(jobId)
			.catch((error: unknown) => this.log.warn({ err: error, jobId }, 'could not release a fal slot; it frees when the job ends'))
			.finally(() => this.ask());
	}

	/** One ask at a time; a request during one runs right after it. */
	private ask(): void {
		if (this.asking) {
			this.again = true;
			return;
		}
		clearTimeout(this.timer);
		this.timer = undefined;
		if (this.waiting.size === 0) return;
		this.asking = this.admit().finally(() => {
			this.asking = undefined;
			const now = this.again;
			this.again = false;
			if (now) this.ask();
			else if (this.waiting.size > 0) this.timer = setTimeout(() => this.ask(), this.pollMs).unref();
		});
	}

	private async admit(): Promise<void> {
		try {
			const { granted, places } = await this.ledger.admit([...this.waiting.keys()], this.capacity);
			for (const jobId of granted) {
				const waiter = this.waiting.get(jobId);
				this.waiting.delete(jobId);
				waiter?.grant();
			}
			if (places.size > 0) for (const listener of this.listeners) listener(places);
		} catch (error) {
			// The database is away: the jobs keep waiting and ask again on the next tick.
			this.log.warn({ err: error }, 'could not ask for fal slots');
		}
	}
}
