import type { FalCompletion } from './ports.js';

/** How many completions that arrived before their job asked are kept (a webhook can beat the submit's return). */
const EARLY_LIMIT = 10_000;

/**
 * Where fal's webhooks meet the jobs waiting for them in this process. A completion that arrives
 * before its job waits (the webhook can outrun the submit's answer, or the job is resuming) is
 * kept until it is asked for, within a bounded number.
 */
export class FalInbox {
	private readonly waiters = new Map<string, (completion: FalCompletion) => void>();
	private readonly early = new Map<string, FalCompletion>();

	/** Resolves with the request's completion; rejects with the signal's reason when it aborts. */
	public wait(requestId: string, signal: AbortSignal): Promise<FalCompletion> {
		const ready = this.early.get(requestId);
		if (ready) {
			this.early.delete(requestId);
			return Promise.resolve(ready);
		}
		return new Promise((resolve, reject) => {
			const abort = () => {
				this.waiters.delete(requestId);
				reject(signal.reason);
			};
			if (signal.aborted) return abort();
			signal.addEventListener('abort', abort, { once: true });
			this.waiters.set(requestId, (completion) => {
				signal.removeEventListener('abort', abort);
				this.waiters.delete(requestId);
				resolve(completion);
			});
		});
	}

	/** Hands a completion to its waiting job; returns false (and keeps it for a while) when none waits. */
	public deliver(requestId: string, completion: FalCompletion): boolean {
		const waiter = this.waiters.get(requestId);
		if (waiter) {
			waiter(completion);
			return true;
		}
		this.early.delete(requestId);
		this.early.set(requestId, completion);
		if (this.early.size > EARLY_LIMIT) this.early.delete(this.early.keys().next().value!);
		return false;
	}

	public forget(requestId: string): void {
		this.early.delete(requestId);
	}
}
