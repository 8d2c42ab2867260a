interface Waiter {
	readonly jobId: string;
	readonly userId: string;
	readonly grant: () => void;
	readonly reject: (reason: unknown) => void;
}

/**
 * Caps how many jobs are at fal at once. Jobs over the cap wait here, served round robin by user:
 * someone who queues ten jobs does not make everyone else wait behind all ten.
 */
export class FalSlots {
	private inUse = 0;
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
			this.inUse += 1;
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

	public release(): void {
		this.inUse = Math.max(0, this.inUse - 1);
		while (this.inUse < this.capacity && this.rotation.length > 0) {
			const userId = this.rotation.shift()!;
			const list = this.waiting.get(userId)!;
			const waiter = list.shift()!;
			if (list.length > 0) this.rotation.push(userId);
			else this.waiting.delete(userId);
			this.inUse += 1;
			waiter.grant();
		}
		this.changed();
	}

	/** For each waiting job, how many will be served before it (0 = next), by replaying the rotation. */
	public positions(): Map<string, number> {
		const lists = new Map([...this.waiting].map(([user, list]) => [user, [...list]]));
		const rotation = [...this.rotation];
		const positions = new Map<string, number>();
		while (rotation.length > 0) {
			const userId = rotation.shift()!;
			const list = lists.get(userId)!;
			positions.set(list.shift()!.jobId, positions.size);
			if (list.length > 0) rotation.push(userId);
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
