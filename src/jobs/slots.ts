import type { FalAdmission } from './ports.js';

interface Waiter {
	readonly jobId: string;
	readonly userId: string;
	readonly grant: () => void;
	readonly reject: (reason: unknown) => void;
}

/**
 * Caps how many jobs are at fal at once. Jobs over the cap wait here, and a free slot goes to the
 * waiting user with the fewest jobs at fal (round robin among equals): someone who queues ten jobs
 * does not make everyone else wait behind all ten.
 */
export class FalSlots implements FalAdmission {
	private inUse = 0;
	/** Jobs at fal per user. */
	private readonly holding = new Map<string, number>();
	/** When each user last got a slot (a counter), so turns go round. */
	private readonly lastServed = new Map<string, number>();
	private turns = 0;
	/** Users with waiting jobs, in the order they will next be served. */
	private readonly rotation: string[] = [];
	private readonly waiting = new Map<string, Waiter[]>();
	private readonly listeners = new Set<(positions: ReadonlyMap<string, number>) => void>();

	public constructor(private readonly capacity: number) {}

	public get used(): number {
		return this.inUse;
	}

	public get queued(): number {
		let n = 0;
		for (const list of this.waiting.values()) n += list.length;
		return n;
	}

	public countWaiting(): Promise<number> {
		return Promise.resolve(this.queued);
	}

	/** Called with every waiting job's place whenever the local queue moves. */
	public onChange(listener: (positions: ReadonlyMap<string, number>) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/**
	 * Resolves when the job may go to fal. `force` takes a slot at once, over the cap: for jobs that
	 * are already at fal after a restart, which must not wait behind new ones.
	 */
	public acquire(jobId: string, userId: string, signal: AbortSignal, force = false): Promise<void> {
		if (force || (this.inUse < this.capacity && this.rotation.length === 0)) {
			this.take(userId);
			return Promise.resolve();
		}
		return new Promise<void>((resolve, reject) => {
			const waiter: Waiter = {
				jobId,
				userId,
				grant: () => {
					signal.removeEventListener('abort', onAbort);
					resolve();
				},
				reject,
			};
			const onAbort = () => {
				this.remove(waiter);
				reject(signal.reason);
			};
			signal.addEventListener('abort', onAbort, { once: true });
			const list = this.waiting.get(userId);
			if (list) list.push(waiter);
			else {
				this.waiting.set(userId, [waiter]);
				this.rotation.push(userId);
			}
			this.changed();
		});
	}

	public release(_jobId: string, userId: string): void {
		this.inUse = Math.max(0, this.inUse - 1);
		const held = (this.holding.get(userId) ?? 1) - 1;
		if (held > 0) this.holding.set(userId, held);
		else this.holding.delete(userId);
		while (this.inUse < this.capacity && this.rotation.length > 0) {
			const waiter = this.next(this.rotation, this.waiting, this.holding);
			this.take(waiter.userId);
			waiter.grant();
		}
		this.changed();
	}

	private take(userId: string): void {
		this.inUse += 1;
		this.holding.set(userId, (this.holding.get(userId) ?? 0) + 1);
		// Re-inserted so the map stays in turn order and the oldest turns can be forgotten.
		this.lastServed.delete(userId);
		this.lastServed.set(userId, ++this.turns);
		if (this.lastServed.size > 10_000) this.lastServed.delete(this.lastServed.keys().next().value!);
	}

	/**
	 * Removes and returns the next waiter: the user with the fewest jobs at fal, then the one whose
	 * turn is longest ago, then the one waiting longest.
	 */
	private next(rotation: string[], waiting: Map<string, Waiter[]>, holding: ReadonlyMap<string, number>, lastServed = this.lastServed): Waiter {
		const rank = (user: string) => [holding.get(user) ?? 0, lastServed.get(user) ?? 0] as const;
		let pick = 0;
		for (let i = 1; i < rotation.length; i += 1) {
			const [held, turn] = rank(rotation[i]!);
			const [bestHeld, bestTurn] = rank(rotation[pick]!);
			if (held < bestHeld || (held === bestHeld && turn < bestTurn)) pick = i;
		}
		const [userId] = rotation.splice(pick, 1) as [string];
		const list = waiting.get(userId)!;
		const waiter = list.shift()!;
		if (list.length > 0) rotation.push(userId);
		else waiting.delete(userId);
		return waiter;
	}

	/** For each waiting job, how many will be served before it (0 = next), by replaying the choice. */
	public positions(): Map<string, number> {
		const waiting = new Map([...this.waiting].map(([user, list]) => [user, [...list]]));
		const rotation = [...this.rotation];
		// Assumes no job finishes meanwhile: an estimate, which only errs towards "later".
		const holding = new Map(this.holding);
		const lastServed = new Map(this.lastServed);
		let turns = this.turns;
		const positions = new Map<string, number>();
		while (rotation.length > 0) {
			const waiter = this.next(rotation, waiting, holding, lastServed);
			holding.set(waiter.userId, (holding.get(waiter.userId) ?? 0) + 1);
			lastServed.set(waiter.userId, ++turns);
			positions.set(waiter.jobId, positions.size);
		}
		return positions;
	}

	private remove(waiter: Waiter): void {
		const list = this.waiting.get(waiter.userId);
		if (!list) return;
		const index = list.indexOf(waiter);
		if (index >= 0) list.splice(index, 1);
		if (list.length === 0) {
			this.waiting.delete(waiter.userId);
			const at = this.rotation.indexOf(waiter.userId);
			if (at >= 0) this.rotation.splice(at, 1);
		}
		this.changed();
	}

	private changed(): void {
		if (this.listeners.size === 0) return;
		const positions = this.positions();
		for (const listener of this.listeners) listener(positions);
	}
}
