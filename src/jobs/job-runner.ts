import type { Limits } from '../config.js';
import type { Logger } from '../logger.js';
import { FalRejected } from '../domain/errors.js';
import { isFinal, type JobPatch, type JobRow } from '../domain/job.js';
import { explainRejection, falInput, modelSpec, takes } from '../domain/models.js';
import { stepFromLogs, type JobProgress, type ProgressNote } from '../domain/progress.js';
import { Refused, type Refusal } from '../domain/refusal.js';
import { deliverVideo } from './deliver-video.js';
import { isTransient, withFalRetry } from './follow-fal.js';
import type { FalInbox } from './fal-inbox.js';
import type { Gate } from './gate.js';
import type { FalAdmission, FalGateway, FalVideoResult, JobMetrics, JobStore, Media, MessengerFactory } from './ports.js';
import { prepareInputs } from './prepare-inputs.js';
import { announceAttempt, recoverInterruptedSubmit, submitWasInterrupted, webhookUrlFor } from './interrupted-submit.js';
import { endOnError } from './job-endings.js';
import { submitToFal } from './submit.js';
import { waitForFal } from './watch-at-fal.js';

export interface RunnerDeps {
	readonly store: JobStore;
	readonly fal: FalGateway;
	readonly media: Media;
	readonly slots: FalAdmission;
	/** Downloading, decoding and uploading inputs is the CPU-heavy part of a job. */
	readonly preparing: Gate;
	readonly messengerFor: MessengerFactory;
	readonly limits: Limits;
	readonly prices: Readonly<Record<string, number>>;
	readonly log: Logger;
	readonly metrics?: JobMetrics | undefined;
	/** Webhook mode (FAL_WEBHOOK_URL): submits carry it, and completions arrive in the inbox. */
	readonly webhook?: { readonly url: string; readonly inbox: FalInbox; readonly pollMs?: number } | undefined;
}

/** What the engine keeps of a job it drives. */
export interface RunHandle {
	readonly abort: AbortController;
	/** The job's state as last written: shutdown lets a delivery under way finish. */
	state?: JobRow['state'];
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
	let job = (await store.get(jobId))!;
	handle.state = job.state;
	const model = modelSpec(job.model, deps.prices);
	const log = deps.log.child({ jobId, userId: job.userId, guildId: job.guildId, interactionId: job.interactionId, trigger: job.trigger });
	// One write at a time, in order: a status update's write never lands after a later state's.
	let writes: Promise<unknown> = Promise.resolve();
	/** Runs a write (or a read) in that line; the row it returns, if any, becomes the job as known here. */
	const inTurn = (write: () => Promise<JobRow | undefined>): Promise<JobRow | undefined> => {
		const written = writes.then(write).then((row) => {
			if (row) {
				handle.state = row.state;
				job = row;
			}
			return row;
		});
		writes = written.catch(() => undefined);
		return written;
	};
	const set = async (patch: JobPatch): Promise<JobRow> => (await inTurn(() => store.update(jobId, patch)))!;
	const messenger = deps.messengerFor(job, set);
	const signal = handle.abort.signal;
	// Each view is built afresh: a queue position or an outage note shows only while it is reported.
	const shown = { label: model.label, priceUsd: job.costUsd };
	const view = (extra: Partial<JobProgress>): JobProgress => ({
		jobId,
		state: job.state,
		startedAt: job.createdAt,
		model: shown,
		notes: job.notes,
		...extra,
	});
	const show = (extra: Partial<JobProgress> = {}) => messenger.showProgress(view(extra));
	const finish = async (state: 'delivered' | 'failed' | 'cancelled', extra: Partial<JobProgress>, patch: JobPatch = {}) => {
		await set({ ...patch, state, finishedAt: Date.now() });
		await messenger.settle(view(extra));
	};
	const metrics = deps.metrics;
	const refused = async (refusal: Refusal, reason: string) => {
		metrics?.failed(refusal.kind === 'fal-invalid' ? 'rejected' : refusal.kind === 'fal-down' ? 'fal-outage' : 'media');
		await set({ state: 'failed', error: refusal.kind, finishedAt: Date.now() });
		log.info({ refusal: refusal.kind }, reason);
		await messenger.refuse(refusal);
	};
	let resumedAtFal = job.requestId !== null;
	const resumedInDelivery = job.state === 'delivering';
	let holdsSlot = false;
	/** When fal was first seen running the request (metrics: time waiting vs running). */
	let runningSince: number | undefined;
	const releaseSlot = () => {
		if (holdsSlot) slots.release(jobId, job.userId);
		holdsSlot = false;
	};

	try {
		// Something to say before anything is submitted (the estimated cost, which image is used): say it now.
		if (job.notes.length > 0 && !job.requestId) show();
		if (!job.imageUrl) {
			await set({ state: 'uploading' });
			let prepared;
			try {
				const sources = job.sources;
				prepared = await deps.preparing.run(() => prepareInputs(deps, sources, signal), signal);
			} catch (error) {
				const refusal = signal.aborted ? undefined : refusalOf(error);
				if (!refusal) throw error;
				await refused(refusal, 'job refused');
				return;
			}
			await set({ ...prepared.urls, notes: [...job.notes, ...prepared.notes], state: 'waiting' });
		}

		if (submitWasInterrupted(job)) {
			// It may be at fal already: it holds a slot while fal is given time to name it, as a resumed job does.
			await slots.acquire(jobId, job.userId, signal, true);
			holdsSlot = true;
			show();
			const recovery = { store, log, metrics: deps.metrics, waitMs: deps.webhook ? limits.jobTimeoutMs : undefined };
			// Read again in turn with this run's own writes (the wait itself stays out of their line).
			if (await recoverInterruptedSubmit(recovery, job, signal)) {
				await inTurn(() => store.get(jobId));
				resumedAtFal = true;
			}
		}
		if (!job.requestId) {
			signal.throwIfAborted();
			if (!holdsSlot) {
				if (job.state !== 'waiting') await set({ state: 'waiting' });
				handle.waitingFor = (position) => show({ localPosition: position });
				await slots.acquire(jobId, job.userId, signal);
				holdsSlot = true;
				handle.waitingFor = undefined;
			}
			// Announced before it is sent: if this process dies before fal's answer is written, the next one knows.
			if (!(await inTurn(() => announceAttempt(store, job)))) {
				// Another process recorded fal's request id for the previous attempt (its webhook came), or the job ended, meanwhile.
				await inTurn(() => store.get(jobId));
				if (isFinal(job.state)) return;
				if (!job.requestId) throw new Error(`job ${jobId} changed while its submit was being announced`);
				resumedAtFal = true;
			}
		}
		if (!job.requestId) {
			const attempt = { jobId, attempt: job.submitAttempt! };
			try {
				const requestId = await submitToFal(
					{ fal, log, set },
					job.model,
					falInput(job, model),
					signal,
					deps.webhook ? { webhookUrl: webhookUrlFor(deps.webhook.url, attempt) } : {},
				);
				await set({ requestId, state: 'queued', submittedAt: Date.now() });
			} catch (error) {
				const refusal = signal.aborted ? undefined : refusalOf(error);
				if (!refusal) throw error;
				await refused(refusal, 'submit refused');
				return;
			}
			metrics?.submitted();
			log.info({ requestId: job.requestId, model: job.model, seed: job.seed }, 'job submitted');
		} else if (!holdsSlot && (job.state === 'queued' || job.state === 'running')) {
			// Already at fal (a resumed job): it holds a slot without queueing behind new jobs.
			await slots.acquire(jobId, job.userId, signal, true);
			holdsSlot = true;
		}

		const requestId = job.requestId!;
		let result: FalVideoResult | undefined;
		if (job.state === 'queued' || job.state === 'running') {
			show();
			result = await waitForFal(
				{
					fal,
					jobTimeoutMs: limits.jobTimeoutMs,
					falOutageMs: limits.falOutageMs,
					log,
					job: () => job,
					set,
					onStatus: (status) => {
						if (status.status === 'IN_QUEUE') {
							show(status.queue_position === undefined ? {} : { queuePosition: status.queue_position });
						} else if (status.status === 'IN_PROGRESS') {
							if (runningSince === undefined) {
								runningSince = Date.now();
								if (job.submittedAt) metrics?.observeFalWait((runningSince - job.submittedAt) / 1000);
							}
							if (job.state !== 'running')
								void set({ state: 'running' }).catch((error: unknown) => log.warn({ err: error }, 'could not record running'));
							const step = stepFromLogs(status.logs, job.steps);
							show({ state: 'running', ...(step === undefined ? {} : { step, totalSteps: job.steps }) });
						}
					},
					onOutage: (nextTryAt) => show({ notes: [{ kind: 'fal-waiting', nextTryAt }] }),
					inbox: deps.webhook?.inbox,
					...(deps.webhook?.pollMs === undefined ? {} : { pollMs: deps.webhook.pollMs }),
				},
				signal,
				resumedAtFal,
			);
			if (runningSince !== undefined) metrics?.observeFalRun((Date.now() - runningSince) / 1000);
			result ??= await fetchResult();
			if (!result) return;
			// From here the video exists and is paid for: it is posted, never made again.
			await set({ state: 'delivering', producedAt: Date.now() });
		}
		releaseSlot();

		show();
		const already = resumedInDelivery ? await messenger.findDelivered() : undefined;
		if (already) {
			log.info({ messageId: already.id }, 'found the video already posted before the restart');
			await finish('delivered', { resultUrl: already.url }, { deliveredMessageId: already.id });
			return;
		}
		result ??= await fetchResult();
		if (!result) return;
		const delivered = await deliverVideo(
			deps,
			job,
			model,
			messenger,
			result.video,
			takes(model, 'seed') ? (result.seed ?? job.seed) : undefined,
			signal,
		);
		metrics?.delivered(delivered.via);
		log.info({ requestId, messageId: delivered.id, via: delivered.via }, 'job delivered');
		const notes: readonly ProgressNote[] =
			delivered.via === 'follow-up' ? [{ kind: 'posted-as-follow-up' }] : delivered.via === 'dm' ? [{ kind: 'sent-by-dm' }] : job.notes;
		await finish('delivered', { resultUrl: delivered.url, notes }, { deliveredMessageId: delivered.id });
	} catch (error) {
		await endOnError({ fal, log, limits, metrics, job: () => job, finish }, signal.aborted ? signal.reason : error);
	} finally {
		releaseSlot();
	}

	/** The result, or undefined when fal refused the input there (the job is then ended). */
	async function fetchResult(): Promise<FalVideoResult | undefined> {
		try {
			return await withFalRetry({ fal, falOutageMs: limits.falOutageMs, log }, () => fal.result(job.model, job.requestId!), signal, job);
		} catch (error) {
			// fal accepts any submit and refuses bad input only here, at the result (its 422).
			if (!(error instanceof FalRejected)) throw error;
			await refused(explainRejection(error), 'fal refused the input');
			return undefined;
		}
	}
}
