import type { JobNote, JobState } from './job.js';

/** Why a job ended the way it did, or what it is waiting on: data the card words. */
export type ProgressNote =
	| JobNote
	| { readonly kind: 'cancelled'; readonly stage: 'queued' | 'running' | 'before-submit' }
	| { readonly kind: 'timed-out' }
	| { readonly kind: 'fal-outage-gave-up'; readonly minutes: number }
	| { readonly kind: 'fal-waiting'; readonly nextTryAt: number }
	/** fal failed the job; `errorType` is fal's own reason (`request_timeout`, `content_policy_violation`…). */
	| { readonly kind: 'fal-failed'; readonly errorType: string; readonly errorId: string }
	| { readonly kind: 'internal-error'; readonly errorId: string }
	| { readonly kind: 'posted-as-follow-up' }
	| { readonly kind: 'sent-by-dm' };

/** What the requester sees about a job; everything on its card comes from this. */
export interface JobProgress {
	readonly jobId: string;
	readonly state: JobState;
	readonly startedAt: number;
	/** The model the video is made with, and its estimated price (0 when nothing will be charged). */
	readonly model?: { readonly label: string; readonly priceUsd: number };
	readonly queuePosition?: number;
	/** Place in the bot's own queue, while the job waits for a free fal slot. */
	readonly localPosition?: number;
	readonly step?: number;
	readonly totalSteps?: number;
	readonly notes?: readonly ProgressNote[];
	readonly resultUrl?: string;
	readonly retryable?: boolean;
}

/** Reads "Step 7/20"-style progress from the model's logs; fal does not report it otherwise. */
export function stepFromLogs(logs: readonly { message: string }[] | null | undefined, totalSteps: number): number | undefined {
	if (!logs) return undefined;
	for (let i = logs.length - 1; i >= 0; i -= 1) {
		const match = /(\d+)\s*\/\s*(\d+)/.exec(logs[i]!.message);
		if (match && Number(match[2]) === totalSteps) return Math.min(totalSteps, Number(match[1]));
	}
	return undefined;
}
