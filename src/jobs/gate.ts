/** Runs at most `limit` tasks at once; the rest wait their turn, first come first served. */
export class Gate {
	private active = 0;
	private readonly waiting: (() => void)[] = [];

	public constructor(private readonly limit: number) {}

	/**
	 * Runs the task when a place is free. A task whose signal aborts while it waits leaves the line
	 * at once (rejecting with the signal's reason); one that aborts while running gives its place
	 * back as soon as it settles, so a cancelled job never holds a slot.
	 */
	public async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
		signal?.throwIfAborted();
		if (this.active >= this.limit) await this.wait(signal);
		this.active += 1;
		try {
			return await task();
		} finally {
			this.active -= 1;
			this.waiting.shift()?.();
		}
	}

	private wait(signal: AbortSignal | undefined): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			const turn = () => {
				signal?.removeEventListener('abort', leave);
				resolve();
			};
			const leave = () => {
				const at = this.waiting.indexOf(turn);
				if (at >= 0) this.waiting.splice(at, 1);
				reject(signal!.reason);
			};
			this.waiting.push(turn);
			signal?.addEventListener('abort', leave, { once: true });
		});
	}
}
