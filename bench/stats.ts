/** Nearest-rank percentile (p in 0..100) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[rank - 1]!;
}

export const median = (values: readonly number[]) => percentile(values, 50);
export const max = (values: readonly number[]) => (values.length === 0 ? Number.NaN : Math.max(...values));
export const min = (values: readonly number[]) => (values.length === 0 ? Number.NaN : Math.min(...values));

export const MiB = 1024 * 1024;
export const mb = (bytes: number) => `${(bytes / MiB).toFixed(1)} MB`;
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `test` is true, or throws after `timeoutMs` with `what` in the message. */
export async function until(test: () => boolean, timeoutMs: number, what: string, everyMs = 50): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!test()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(everyMs);
	}
}

/** Resolves once `count()` has not changed for `quietMs` (e.g. no new request arrived), or after `timeoutMs`. */
export async function quiet(count: () => number, quietMs: number, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	let last = count();
	let since = Date.now();
	while (Date.now() < deadline) {
		await sleep(50);
		const now = count();
		if (now !== last) {
			last = now;
			since = Date.now();
		} else if (Date.now() - since >= quietMs) return true;
	}
	return false;
}
