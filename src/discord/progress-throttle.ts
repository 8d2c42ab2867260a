import type { JobProgress } from '../domain/progress.js';
import { BAR_WIDTH, visibleState } from './views/progress-card.js';

/**
 * The part of the view whose change the user can see. Elapsed time is left out on purpose: the
 * relative timestamp already ticks in the client, so time alone never justifies an edit.
 */
export function viewSignature(view: JobProgress): string {
	// Steps count only as far as the bar shows them, so 1/100 → 2/100 is not worth an edit.
	const bar = view.step !== undefined && view.totalSteps ? Math.floor((view.step / view.totalSteps) * BAR_WIDTH) : undefined;
	return JSON.stringify([visibleState(view.state), view.queuePosition, view.localPosition, bar, view.notes, view.resultUrl, view.retryable]);
}

/**
 * Shows a view only when what the user sees changed, and at most once per interval: a burst of
 * queue updates becomes one edit carrying the latest state. The interval grows by a quarter after
 * each edit (2.5 s, 3.1 s, 3.9 s … up to 15 s): early changes show fast, and a 60-second job costs
 * about eight edits, so a job stays within a dozen Discord calls and far from the rate limit.
 */
export class ThrottledProgress {
	private lastSignature: string | undefined;
	private lastEditAt = 0;
	private edits = 0;
	private pending: JobProgress | undefined;
	private timer: NodeJS.Timeout | undefined;
	private inFlight: Promise<void> = Promise.resolve();

	public constructor(
		/** Words the view (in the job's language) and edits the card with it. */
		private readonly edit: (view: JobProgress) => Promise<void>,
		private readonly minIntervalMs = 2_500,
		private readonly onError: (error: unknown) => void = () => undefined,
		private readonly maxIntervalMs = minIntervalMs * 6,
	) {}

	private get interval(): number {
		return Math.min(this.maxIntervalMs, this.minIntervalMs * 1.25 ** Math.max(0, this.edits - 1));
	}

	public update(view: JobProgress): void {
		if (viewSignature(view) === (this.pending ? viewSignature(this.pending) : this.lastSignature)) return;
		this.pending = view;
		if (this.timer) return;
		const wait = Math.max(0, this.lastEditAt + this.interval - Date.now());
		this.timer = setTimeout(() => {
			this.timer = undefined;
			void this.send();
		}, wait);
	}

	/** Sends the latest state now (final states must not wait for the timer) and waits for it. */
	public async flush(view?: JobProgress): Promise<void> {
		if (view) this.pending = view;
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		await this.send();
	}

	private send(): Promise<void> {
		this.inFlight = this.inFlight.then(async () => {
			const view = this.pending;
			this.pending = undefined;
			if (!view || viewSignature(view) === this.lastSignature) return;
			this.lastSignature = viewSignature(view);
			this.lastEditAt = Date.now();
			this.edits += 1;
			try {
				await this.edit(view);
			} catch (error) {
				this.onError(error);
			}
		});
		return this.inFlight;
	}
}
