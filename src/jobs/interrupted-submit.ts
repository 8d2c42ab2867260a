/**
 * fal's queue takes no idempotency key and no request id of ours, so a process killed after fal
 * accepted a submit and before the request id was written leaves a job that may or may not be at
 * fal. Each submit is therefore announced first: a fresh attempt id, written before the request
 * leaves, which rides in the webhook URL. A process that takes such a job over:
 * - in webhook mode, waits for fal's webhook to name the attempt (whichever process receives it
 *   records the request id through `claimAttempt`). fal calls it when the request has *finished*,
 *   so the wait lasts JOB_TIMEOUT_MINUTES after the attempt, as long as the bot would have let the
 *   request take anyway; only then does it conclude the request never reached fal and submit again;
 * - in stream mode, has nothing that could name the request and submits again at once (logged and
 *   counted: at most one extra submit per interrupted one, and still one post).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import { isFinal, type JobRow } from '../domain/job.js';
import type { JobMetrics, JobStore } from './ports.js';

/** The webhook URL's query parameters that name the job and the attempt. */
const JOB_PARAM = 'animate_job';
const ATTEMPT_PARAM = 'animate_attempt';
/** How often a job whose submit was interrupted looks whether fal's webhook has named it. */
const ADOPTION_CHECK_MS = 1_000;

export interface SubmitAttempt {
	readonly jobId: string;
	readonly attempt: string;
}

/** The webhook URL a submit carries: the configured one, naming the job and this attempt. */
export function webhookUrlFor(base: string, { jobId, attempt }: SubmitAttempt): string {
	const url = new URL(base);
	url.searchParams.set(JOB_PARAM, jobId);
	url.searchParams.set(ATTEMPT_PARAM, attempt);
	return url.href;
}

/**
 * The attempt a webhook URL's query names, if it names one. fal signs the body, not the URL, so this
 * is only a hint: it counts only while it matches the attempt recorded for that job, an id no one
 * but fal and the bot has seen.
 */
export function attemptNamedBy(query: URLSearchParams): SubmitAttempt | undefined {
	const jobId = query.get(JOB_PARAM);
	const attempt = query.get(ATTEMPT_PARAM);
	return jobId && attempt ? { jobId, attempt } : undefined;
}

/**
 * Records a new attempt before a submit. Undefined when the job changed under it: another process
 * recorded fal's request id for the previous attempt (its webhook came), or the job ended.
 */
export function announceAttempt(store: JobStore, job: JobRow, now = Date.now()): Promise<JobRow | undefined> {
	return store.claimAttempt(job.id, job.submitAttempt, { submitAttempt: randomUUID(), submitAttemptAt: now }, now);
}

/** A job that was being submitted when its process stopped without hearing fal's answer. */
export const submitWasInterrupted = (job: JobRow): boolean => job.requestId === null && job.submitAttempt !== null && job.submitAttemptAt !== null;

export interface RecoveryDeps {
	readonly store: JobStore;
	readonly log: Logger;
	readonly metrics?: JobMetrics | undefined;
	/** Webhook mode: how long after the attempt fal's webhook may still name it; undefined in stream mode. */
	readonly waitMs: number | undefined;
}

/**
 * Waits for fal's webhook to name the interrupted attempt: true once the job has fal's request id;
 * false when the submit is to be made again (no webhook can come, or none came in time).
 */
export async function recoverInterruptedSubmit(deps: RecoveryDeps, job: JobRow, signal: AbortSignal): Promise<boolean> {
	const { store, log, metrics, waitMs } = deps;
	const since = job.submitAttemptAt!;
	if (waitMs !== undefined) {
		log.info({ waitMs: Math.max(0, since + waitMs - Date.now()) }, 'submit was interrupted; waiting for fal to name it');
		for (;;) {
			const row = await store.get(job.id);
			if (row?.requestId) {
				metrics?.interruptedSubmit('adopted');
				log.info({ requestId: row.requestId }, 'fal named the interrupted submit; carrying on with it');
				return true;
			}
			// Ended meanwhile (cancelled while no process drove it): nothing is submitted, the caller finds it ended.
			if (!row || isFinal(row.state)) return false;
			const left = since + waitMs - Date.now();
			if (left <= 0) break;
			await sleep(Math.min(ADOPTION_CHECK_MS, left), undefined, { signal });
		}
	}
	metrics?.interruptedSubmit('resubmitted');
	log.warn(
		{ attemptAt: since, webhookMode: waitMs !== undefined },
		waitMs === undefined
			? 'submit was interrupted and stream mode cannot find it at fal; submitting again'
			: 'fal never named the interrupted submit; submitting again',
	);
	return false;
}
