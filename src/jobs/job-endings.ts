import type { Limits } from '../config.js';
import type { Logger } from '../logger.js';
import { FalJobFailed, FalUnreachable, newErrorId } from '../domain/errors.js';
import type { JobPatch, JobRow } from '../domain/job.js';
import type { JobProgress, ProgressNote } from '../domain/progress.js';
import type { FailureReason, FalGateway, JobMetrics } from './ports.js';
import { FalOutage, JobCancelled, JobTimedOut, ShuttingDown } from './stop-reasons.js';

export interface EndingContext {
	readonly fal: FalGateway;
	readonly log: Logger;
	readonly limits: Limits;
	readonly metrics?: JobMetrics | undefined;
	readonly job: () => JobRow;
	/** Writes the final state, then settles the card with `extra`. */
	readonly finish: (state: 'delivered' | 'failed' | 'cancelled', extra: Partial<JobProgress>, patch?: JobPatch) => Promise<void>;
}

/**
 * How a job that stopped short of its video ends, by why it stopped: paused for shutdown (nothing
 * changes, the next process resumes it), cancelled, timed out, fal unreachable for too long, or an
 * error nobody expected (logged with an id the member is shown).
 */
export async function endOnError(ctx: EndingContext, reason: unknown): Promise<void> {
	const { fal, log, limits, metrics, finish } = ctx;
	const job = ctx.job();
	if (reason instanceof ShuttingDown) {
		log.info({ state: job.state }, 'job paused for shutdown');
		return;
	}
	if (reason instanceof JobCancelled) {
		if (job.state === 'queued' && job.requestId) {
			await fal.cancel(job.model, job.requestId).catch((e: unknown) => log.warn({ err: e }, 'fal cancel failed'));
		}
		log.info({ requestId: job.requestId, state: job.state }, 'job cancelled');
		const stage = job.state === 'queued' || job.state === 'running' ? job.state : 'before-submit';
		await finish('cancelled', { notes: [{ kind: 'cancelled', stage }] });
		return;
	}
	const failedFor = (why: FailureReason) => metrics?.failed(why);
	if (reason instanceof JobTimedOut) {
		failedFor('timed-out');
		if (job.requestId) await fal.cancel(job.model, job.requestId).catch(() => undefined);
		log.warn({ requestId: job.requestId }, 'job timed out');
		await finish('failed', { notes: [{ kind: 'timed-out' }], retryable: true }, { error: 'timed out' });
		return;
	}
	if (reason instanceof FalOutage || reason instanceof FalUnreachable) {
		failedFor('fal-outage');
		log.warn({ err: reason, requestId: job.requestId }, 'gave up waiting for fal');
		const minutes = Math.round(limits.falOutageMs / 60_000);
		await finish('failed', { notes: [{ kind: 'fal-outage-gave-up', minutes }], retryable: true }, { error: 'fal outage' });
		return;
	}
	const errorId = newErrorId();
	const falFailed = reason instanceof FalJobFailed;
	failedFor(falFailed ? 'fal-failed' : job.producedAt ? 'delivery' : 'internal');
	log.error({ err: reason, errorId, requestId: job.requestId, state: job.state }, falFailed ? 'fal job failed' : 'job failed');
	const note: ProgressNote = falFailed
		? { kind: 'fal-failed', errorType: reason.errorType ?? 'unknown', errorId }
		: { kind: 'internal-error', errorId };
	await finish(
		'failed',
		{ notes: [note], retryable: Boolean(job.imageUrl) },
		{ error: `${errorId}: ${falFailed ? `${reason.errorType ?? 'fal'}: ` : ''}${reason instanceof Error ? reason.message : String(reason)}` },
	).catch((finishError: unknown) => log.error({ err: finishError }, 'could not record the failure'));
}
