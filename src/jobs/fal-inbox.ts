import type { FalCompletion } from './ports.js';

/** How many completions that arrived before their job asked are kept (a webhook can beat the submit's return). */
const EARLY_LIMIT = 10_000;
/** How long a notice from another process is kept for a job that does not wait here (yet). */
const EARLY_NOTICE_MS = 60_000;
/** What a notice from another process amounts to: fal has finished; ask its queue for the outcome. */
const ASK_QUEUE: FalCompletion = { kind: 'ask-queue' };

/**
 * Where fal's webhooks meet the jobs waiting for them in this process. A completion that arrives
 * before its job waits (the webhook can outrun the submit's answer, or the job is resuming) is
 * kept until it is asked for, within a bounded number.
 */
export class FalInbox {
	private readonly waiters = new Map<string, (completion: FalCompletion) => void>();
	private readonly early = new Map<string, FalCompletion>();
	/** Notices from other processes for requests nobody waits for here, by expiry. */
	private readonly earlyNotices = new Map<string, number>();

	/** Resolves with the request's completion; rejects with the signal's reason when it aborts. */
	public wait(requestId: string, signal: AbortSignal): Promise<FalCompletion> {
		const ready = this.early.get(requestId);
		if (ready) {
			this.early.delete(requestId);
			return Promise.resolve(ready);
		}
		const noticedUntil = this.earlyNotices.get(requestId);
		if (noticedUntil !== undefined) {
			this.earlyNotices.delete(requestId);
			if (noticedUntil > Date.now()) return Promise.resolve(ASK_QUEUE);
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

	/**
	 * Another process took fal's webhook for this request. Only the news travels, not the outcome:
	 * the waiting job asks fal's queue for the result itself, so nothing but a verified webhook or
	 * fal's own answer ever decides what is posted. A notice for a request nobody waits for here is
	 * kept a minute, in case its job is about to wait (it may be between its submit and its wait).
	 */
	public notice(requestId: string): boolean {
		const waiter = this.waiters.get(requestId);
		if (waiter) {
			waiter(ASK_QUEUE);
			return true;
		}
		// The webhook itself reached this process too: the outcome it holds is better than a notice.
		if (this.early.has(requestId)) return false;
		const now = Date.now();
		// Kept in expiry order (a repeat moves to the end), so the expired ones are at the front.
		for (const [id, until] of this.earlyNotices) {
			if (until > now) break;
			this.earlyNotices.delete(id);
		}
		this.earlyNotices.delete(requestId);
		this.earlyNotices.set(requestId, now + EARLY_NOTICE_MS);
		return false;
	}

	public forget(requestId: string): void {
		this.early.delete(requestId);
		this.earlyNotices.delete(requestId);
	}
}
