import type { Limits } from '../config.js';
import type { Logger } from '../logger.js';
import { FalJobFailed, FalRejected, FalUnreachable, newErrorId } from '../domain/errors.js';
import type { JobPatch } from '../domain/job.js';
import { explainRejection, falInput, modelSpec } from '../domain/models.js';
import { stepFromLogs, type JobProgress, type ProgressNote } from '../domain/progress.js';
import { Refused, type Refusal } from '../domain/refusal.js';
import { deliverVideo } from './deliver-video.js';
import { followAtFal, isTransient, withFalRetry } from './follow-fal.js';
import type { Gate } from './gate.js';
import type { FalGateway, JobStore, Media, MessengerFactory } from './ports.js';
import { prepareInputs } from './prepare-inputs.js';
import type { FalSlots } from './slots.js';
import { FalOutage, JobCancelled, JobTimedOut, ShuttingDown } from './stop-reasons.js';

export interface RunnerDeps {
	readonly store: JobStore;
	readonly fal: FalGateway;
	readonly media: Media;
	readonly slots: FalSlots;
	/** Downloading, decoding and uploading inputs is the CPU-heavy part of a job. */
	readonly preparing: Gate;
	readonly messengerFor: MessengerFactory;
	readonly limits: Limits;
	readonly prices: Readonly<Record<string, number>>;
	readonly log: Logger;
}

/** What the engine keeps of a job it drives. */
export interface RunHandle {
	readonly abort: AbortController;
	/** Shows the job's place in the local queue while it waits for a fal slot. */
	waitingFor?: ((position: number) => void) | undefined;
}

/** A refusal in the member's terms for what went wrong before fal made anything, if it is one. */
function refusalOf(error: unknown): Refusal | undefined {
	if (error instanceof Refused) return error.refusal;
	if (error instanceof FalRejected) return explainRejection(error);
	return isTransient(error) ? { kind: 'fal-down' } : undefined;
}

/**
 * Carries one job from its current state to delivered, failed or cancelled. Every state is written
 * before the step that depends on it, so `resume` can pick the job up wherever a crash left it.
 */
export async function runJob(deps: RunnerDeps, jobId: string, handle: RunHandle): Promise<void> {
	const { store, fal, slots, limits } = deps;
	let job = store.get(jobId)!;
	const model = modelSpec(job.model, deps.prices);
	const log = deps.log.child({ jobId, userId: job.userId, guildId: job.guildId, interactionId: job.interactionId, trigger: job.trigger });
	const set = (patch: JobPatch) => (job = store.update(jobId, patch));
	const messenger = deps.messengerFor(job, set);
	const signal = handle.abort.signal;
	// Each view is built afresh: a queue position or an outage note shows only while it is reported.
	const view = (extra: Partial<JobProgress>): JobProgress => ({ jobId, state: job.state, startedAt: job.createdAt, notes: job.notes, ...extra });
	const show = (extra: Partial<JobProgress> = {}) => messenger.showProgress(view(extra));
	const finish = async (state: 'delivered' | 'failed' | 'cancelled', extra: Partial<JobProgress>, patch: JobPatch = {}) => {
		set({ ...patch, state, finishedAt: Date.now() });
		await messenger.settle(view(extra));
	};
	const refused = async (refusal: Refusal, reason: string) => {
		set({ state: 'failed', error: refusal.kind, finishedAt: Date.now() });
		log.info({ reason, refusal: refusal.kind }, reason);
		await messenger.refuse(refusal);
	};
	const resumedInDelivery = job.state === 'delivering';
	let holdsSlot = false;
	let timeout: NodeJS.Timeout | undefined;

	try {
		// Something to say before anything is submitted (the estimated cost, which image is used): say it now.
		if (job.notes.length > 0 && !job.requestId) show();
		if (!job.imageUrl) {
			set({ state: 'uploading' });
			let prepared;
			try {
				const sources = job.sources;
				prepared = await deps.preparing.run(() => prepareInputs(deps, sources, signal));
			} catch (error) {
				const refusal = refusalOf(error);
				if (!refusal) throw error;
				await refused(refusal, 'job refused');
				return;
			}
			set({ ...prepared.urls, notes: [...job.notes, ...prepared.notes], state: 'waiting' });
		}

		if (!job.requestId) {
			signal.throwIfAborted();
			if (job.state !== 'waiting') set({ state: 'waiting' });
			handle.waitingFor = (position) => show({ localPosition: position });
			await slots.acquire(jobId, job.userId, signal);
			holdsSlot = true;
			handle.waitingFor = undefined;
			try {
				const requestId = await fal.submit(job.model, falInput(job, model));
				set({ requestId, state: 'queued', submittedAt: Date.now() });
			} catch (error) {
				const refusal = refusalOf(error);
				if (!refusal) throw error;
				await refused(refusal, 'submit refused');
				return;
			}
			log.info({ requestId: job.requestId, model: job.model, seed: job.seed }, 'job submitted');
		} else {
			// Already at fal (a resumed job): it holds a slot without queueing behind new jobs.
			await slots.acquire(jobId, job.userId, signal, true);
			holdsSlot = true;
		}

		const requestId = job.requestId!;
		if (job.state === 'queued' || job.state === 'running') {
			show();
			const remaining = (job.submittedAt ?? Date.now()) + limits.jobTimeoutMs - Date.now();
			timeout = setTimeout(() => handle.abort.abort(new JobTimedOut()), Math.max(0, remaining));
			await followAtFal(
				{ fal, falOutageMs: limits.falOutageMs, log: deps.log },
				job,
				signal,
				(status) => {
					if (status.status === 'IN_QUEUE') {
						show({ ...(status.queue_position === undefined ? {} : { queuePosition: status.queue_position }) });
					} else if (status.status === 'IN_PROGRESS') {
						if (job.state !== 'running') set({ state: 'running' });
						const step = stepFromLogs(status.logs, job.steps);
						show(step === undefined ? {} : { step, totalSteps: job.steps });
					}
				},
				(nextTryAt) => show({ notes: [{ kind: 'fal-waiting', nextTryAt }] }),
			);
			clearTimeout(timeout);
			set({ state: 'delivering' });
		}

		show();
		const already = resumedInDelivery ? await messenger.findDelivered() : undefined;
		if (already) {
			log.info({ messageId: already.id }, 'found the video already posted before the restart');
			await finish('delivered', { resultUrl: already.url }, { deliveredMessageId: already.id });
			return;
		}
		let result;
		try {
			result = await withFalRetry({ fal, falOutageMs: limits.falOutageMs, log: deps.log }, () => fal.result(job.model, requestId), signal, job);
		} catch (error) {
			// fal accepts any submit and refuses bad input only here, at the result (its 422).
			if (!(error instanceof FalRejected)) throw error;
			await refused(explainRejection(error), 'fal refused the input');
			return;
		}
		if (holdsSlot) {
			slots.release(job.userId);
			holdsSlot = false;
		}
		const delivered = await deliverVideo(deps, job, model, messenger, result.video, result.seed ?? job.seed, signal);
		log.info({ requestId, messageId: delivered.id, via: delivered.via }, 'job delivered');
		const notes: readonly ProgressNote[] = delivered.via === 'follow-up' ? [{ kind: 'posted-as-follow-up' }] : job.notes;
		await finish('delivered', { resultUrl: delivered.url, notes }, { deliveredMessageId: delivered.id });
	} catch (error) {
		await endOnError(signal.aborted ? signal.reason : error);
	} finally {
		clearTimeout(timeout);
		if (holdsSlot) slots.release(job.userId);
	}

	async function endOnError(reason: unknown): Promise<void> {
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
		if (reason instanceof JobTimedOut) {
			if (job.requestId) await fal.cancel(job.model, job.requestId).catch(() => undefined);
			log.warn({ requestId: job.requestId }, 'job timed out');
			await finish('failed', { notes: [{ kind: 'timed-out' }], retryable: true }, { error: 'timed out' });
			return;
		}
		if (reason instanceof FalOutage) {
			log.warn({ requestId: job.requestId }, 'gave up waiting for fal');
			const minutes = Math.round(limits.falOutageMs / 60_000);
			await finish('failed', { notes: [{ kind: 'fal-outage-gave-up', minutes }], retryable: true }, { error: 'fal outage' });
			return;
		}
		const errorId = newErrorId();
		const falFailed = reason instanceof FalJobFailed || reason instanceof FalRejected || reason instanceof FalUnreachable;
		log.error({ err: reason, errorId, requestId: job.requestId, state: job.state }, falFailed ? 'fal job failed' : 'job failed');
		await finish(
			'failed',
			{ notes: [{ kind: falFailed ? 'fal-error' : 'internal-error', errorId }], retryable: Boolean(job.imageUrl) },
			{ error: `${errorId}: ${reason instanceof Error ? reason.message : String(reason)}` },
		).catch((finishError: unknown) => log.error({ err: finishError }, 'could not record the failure'));
	}
}
