/** Runs at most `limit` tasks at once; the rest wait their turn, first come first served. */
export class Gate {
	private active = 0;
	private readonly waiting: (() => void)[] = [];

	public constructor(private readonly limit: number) {}

	public async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
		this.active += 1;
		try {
			return await task();
		} finally {
			this.active -= 1;
			this.waiting.shift()?.();
		}
	}
}
