import { randomInt, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbedBuilder, time, TimestampStyles } from 'discord.js';
import { MAX_SEED } from '../commands/animate/definition.js';
import type { Limits } from '../config.js';
import { formatUsd } from '../strings.js';
import { UserError } from '../errors.js';
import { newErrorId } from '../interaction-errors.js';
import type { Logger } from '../logger.js';
import { ApiError, ValidationError, type FalGateway, type QueueStatus } from './fal.js';
import type { FalSlots } from './fal-slots.js';
import type { JobMessenger } from './job-messenger.js';
import type { GuildSettings, SettingsStore } from './guild-settings.js';
import { FINAL_STATES, type JobPatch, type JobRow, type JobSources, type JobStore, type JobTrigger, type NewJob, type SourceRef } from './job-store.js';
import { checkDepthMaps, checkImage, downloadLimited, downloadToFile, formatBytes, LIMITS } from './media.js';
import { FAL_FIELD, modelSpec, type AnimateOption, type ModelSpec } from './models.js';
import { resultButtons, resultFooter, ThrottledProgress, type Phase, type ProgressView } from './progress.js';

/** What the user asked for, as typed; server defaults fill in the rest when the job is accepted. */
export interface AnimateRequest {
	readonly image: SourceRef;
	readonly mask?: SourceRef;
	readonly depthMaps?: SourceRef;
	readonly motion?: number;
	readonly noise?: number;
	readonly seed?: number;
	readonly steps?: number;
	readonly fps?: number;
	/** Shown on the card, e.g. "this post has 3 images; the first is animated". */
	readonly note?: string;
}

/** Where a job comes from and answers to: plain ids, so a restarted bot can still reach it. */
export interface JobOrigin {
	readonly guildId: string;
	readonly channelId: string;
	readonly userId: string;
	readonly trigger: JobTrigger;
	/** Absent for a reaction: the job then talks in the channel, replying to the post. */
	readonly interaction?: { readonly id: string; readonly applicationId: string; readonly token: string; readonly createdAt: number };
	readonly attachmentSizeLimit: number;
	/** The post whose image is animated, and its author. */
	readonly source?: { readonly messageId: string; readonly authorId: string };
}

/** What a button on a finished job asks for. */
export type FollowUpKind = 'retry' | 'reroll' | 'more' | 'less';

/** How far ➕/➖ move motion_bucket_id. */
export const MOTION_STEP = 40;

export interface AnimatorOptions {
	readonly store: JobStore;
	readonly settings: SettingsStore;
	readonly fal: FalGateway;
	readonly slots: FalSlots;
	readonly messengerFor: (job: JobRow, persist: (patch: JobPatch) => JobRow) => JobMessenger;
	readonly limits: Limits;
	readonly prices: Readonly<Record<string, number>>;
	readonly log: Logger;
	/** Minimum time between two progress edits of one job. */
	readonly progressIntervalMs?: number;
}

export type CancelOutcome = 'cancelled' | 'not-yours' | 'unknown' | 'finished';

class JobCancelled extends Error {}
class JobTimedOut extends Error {}
class FalOutage extends Error {}
/** fal finished the request with an error of its own (the model crashed, the GPU ran out of memory…). */
class FalJobFailed extends Error {}
/** The bot is stopping: the job keeps its state and resumes on the next start. */
class ShuttingDown extends Error {}

const FAL_DOWN = "fal.ai (the video service) isn't answering right now, so nothing was submitted. Please try again in a few minutes.";

/** Reads "Step 7/20"-style progress from the model's logs; fal does not report it otherwise. */
export function stepFromLogs(logs: readonly { message: string }[] | undefined, totalSteps: number): number | undefined {
	if (!logs) return undefined;
	for (let i = logs.length - 1; i >= 0; i -= 1) {
		const match = /(\d+)\s*\/\s*(\d+)/.exec(logs[i]!.message);
		if (match && Number(match[2]) === totalSteps) return Math.min(totalSteps, Number(match[1]));
	}
	return undefined;
}

/** Explains a fal 422 in terms of the /animate options the user typed. */
export function describeValidationError(error: ValidationError): string {
	const names = Object.fromEntries(Object.entries(FAL_FIELD).map(([option, field]) => [field, option]));
	const parts = error.fieldErrors.map((detail) => {
		const field = String(detail.loc.at(-1) ?? 'input');
		const option = names[field];
		return option ? `\`${option}\`: ${detail.msg}` : `${field}: ${detail.msg}`;
	});
	return `fal refused the request. ${parts.join('; ') || error.message}`;
}

/** Worth waiting out: fal unreachable, overloaded or briefly broken, as opposed to refusing the job. */
export function isTransientFalError(error: unknown): boolean {
	if (error instanceof ApiError) return error.status >= 500 || error.status === 429 || error.status === 408;
	return error instanceof TypeError || (error instanceof Error && /fetch failed|ECONN|socket|network/i.test(`${error.message} ${String(error.cause)}`));
}

const givenOptions = (request: AnimateRequest): AnimateOption[] => {
	const given: AnimateOption[] = [];
	if (request.motion !== undefined) given.push('motion');
	if (request.noise !== undefined) given.push('noise');
	if (request.seed !== undefined) given.push('seed');
	if (request.steps !== undefined) given.push('steps');
	if (request.fps !== undefined) given.push('fps');
	if (request.mask) given.push('mask');
	if (request.depthMaps) given.push('depth_maps');
	return given;
};

const startOfNextUtcDay = (now: number) => {
	const day = new Date(now);
	return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1);
};

/** Spend caps are per calendar month, UTC. */
export const monthBounds = (now: number) => {
	const day = new Date(now);
	return { start: Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1), next: Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1) };
};

const relative = (at: number) => time(new Date(at), TimestampStyles.RelativeTime);
const randomSeed = () => randomInt(0, MAX_SEED);

/** The job fields `insert` derives from the origin and the model. */
type InsertOwn = Pick<
	NewJob,
	| 'id'
	| 'guildId'
	| 'channelId'
	| 'userId'
	| 'interactionId'
	| 'applicationId'
	| 'interactionToken'
	| 'interactionAt'
	| 'attachmentSizeLimit'
	| 'model'
	| 'trigger'
	| 'sourceMessageId'
	| 'sourceAuthorId'
	| 'costUsd'
>;

/** Runs at most `limit` tasks at once; the rest wait their turn, first come first served. */
class Gate {
	private active = 0;
	private readonly waiting: Array<() => void> = [];

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

interface RunningJob {
	readonly abort: AbortController;
	readonly done: Promise<void>;
	readonly progress: ThrottledProgress;
	/** Shows the job's place in the local queue while it waits for a fal slot. */
	waitingFor?: (position: number) => void;
}

/**
 * Runs /animate jobs from acceptance to delivery. Every state change is written to the job store
 * before the step that depends on it, so a job survives a restart at any point: `resume()` picks
 * each unfinished job up where its row says it was.
 */
export class Animator {
	private readonly running = new Map<string, RunningJob>();
	/**
	 * Downloading, decoding and uploading inputs is the CPU-heavy part of a job; two at a time keeps
	 * the event loop free to acknowledge a burst of interactions within Discord's 3 seconds.
	 */
	private readonly preparing = new Gate(2);
	private stopping = false;

	public constructor(private readonly options: AnimatorOptions) {
		options.slots.onChange((positions) => {
			for (const [jobId, position] of positions) this.running.get(jobId)?.waitingFor?.(position);
		});
	}

	private modelOf(id: string): ModelSpec {
		return modelSpec(id, this.options.prices);
	}

	public get inFlight(): number {
		return this.running.size;
	}

	/** Resolves when no job is being driven (for tests and benchmarks). */
	public async idle(): Promise<void> {
		while (this.running.size > 0) await Promise.allSettled([...this.running.values()].map((job) => job.done));
	}

	/**
	 * Everything that can refuse a new job, cheapest first, each with its own message: the channel,
	 * the poster's consent, the model's options, the member's and the server's limits, the spend cap.
	 */
	public checkAllowed(request: AnimateRequest | undefined, origin: JobOrigin, now = Date.now()): GuildSettings {
		const { store, settings: settingsStore } = this.options;
		const settings = settingsStore.get(origin.guildId);
		if (settings.allowedChannels.length > 0 && !settings.allowedChannels.includes(origin.channelId)) {
			throw new UserError(
				`Videos can't be made in this channel. This server allows them in ${settings.allowedChannels.map((id) => `<#${id}>`).join(', ')}.`,
			);
		}
		if (origin.source && origin.source.authorId !== origin.userId && settingsStore.isOptedOut(origin.source.authorId)) {
			throw new UserError(`<@${origin.source.authorId}> has asked that their images not be animated by others, so I'll leave this one alone.`);
		}
		const model = this.modelOf(settings.model);
		if (request) {
			const unsupported = givenOptions(request).filter((option) => !model.options.has(option));
			if (unsupported.length > 0) {
				throw new UserError(
					`The model here (\`${model.id}\`) does not take ${unsupported.map((o) => `\`${o}\``).join(', ')}. ` +
						'Run /animate again without it.',
				);
			}
		}
		const active = store.activeCountForUser(origin.userId);
		if (active >= settings.jobsPerUser) {
			throw new UserError(
				`You already have ${active} ${active === 1 ? 'video' : 'videos'} in the works (the limit is ${settings.jobsPerUser}). ` +
					'You can start another as soon as one of them is done.',
			);
		}
		const last = store.lastCreatedForUser(origin.userId);
		const cooldownMs = settings.cooldownSeconds * 1000;
		if (last !== undefined && now - last < cooldownMs) {
			throw new UserError(`Easy there: one video at a time. You can start another ${relative(last + cooldownMs)}.`);
		}
		const since = startOfNextUtcDay(now) - 86_400_000;
		if (store.countForGuildSince(origin.guildId, since) >= settings.jobsPerDay) {
			throw new UserError(`This server has made its ${settings.jobsPerDay} videos for today. More can be made ${relative(startOfNextUtcDay(now))}.`);
		}
		if (settings.monthlyCapUsd !== null) {
			const month = monthBounds(now);
			const committed = store.committedSince(origin.guildId, month.start);
			if (committed + model.priceUsd > settings.monthlyCapUsd + 1e-9) {
				throw new UserError(
					`This server has reached its ${formatUsd(settings.monthlyCapUsd)} monthly spend cap for videos (${formatUsd(committed)} used). ` +
						`It resets on ${time(new Date(month.next), TimestampStyles.LongDate)} (${relative(month.next)}).`,
				);
			}
		}
		return settings;
	}

	/** Records a new job after every check; synchronous and fast, so it happens before the defer. */
	public accept(request: AnimateRequest, origin: JobOrigin): JobRow {
		const settings = this.checkAllowed(request, origin);
		const sources: JobSources = {
			image: request.image,
			...(request.mask ? { mask: request.mask } : {}),
			...(request.depthMaps ? { depthMaps: request.depthMaps } : {}),
		};
		return this.insert(origin, settings, settings.model, {
			sources,
			imageUrl: null,
			maskUrl: null,
			depthMapsUrl: null,
			depthFrames: null,
			notes: request.note ?? null,
			motion: request.motion ?? settings.defaults.motion,
			noise: request.noise ?? settings.defaults.noise,
			seed: request.seed ?? randomSeed(),
			steps: request.steps ?? settings.defaults.steps,
			fps: request.fps ?? null,
			retryOf: null,
		});
	}

	private insert(origin: JobOrigin, settings: GuildSettings, model: string, fields: Omit<NewJob, keyof InsertOwn>): JobRow {
		const price = this.modelOf(model).priceUsd;
		const costNote =
			settings.monthlyCapUsd !== null
				? `Estimated cost ${formatUsd(price)}; this server has used ${formatUsd(this.options.store.committedSince(origin.guildId, monthBounds(Date.now()).start))} of its ${formatUsd(settings.monthlyCapUsd)} monthly cap.`
				: undefined;
		return this.options.store.insert({
			...fields,
			id: randomUUID().slice(0, 12),
			guildId: origin.guildId,
			channelId: origin.channelId,
			userId: origin.userId,
			interactionId: origin.interaction?.id ?? '',
			applicationId: origin.interaction?.applicationId ?? '',
			interactionToken: origin.interaction?.token ?? '',
			interactionAt: origin.interaction?.createdAt ?? Date.now(),
			attachmentSizeLimit: origin.attachmentSizeLimit,
			model,
			trigger: origin.trigger,
			sourceMessageId: origin.source?.messageId ?? null,
			sourceAuthorId: origin.source?.authorId ?? null,
			costUsd: price,
			notes: [fields.notes, costNote].filter(Boolean).join('\n') || null,
		});
	}

	/** Records that the interaction was acknowledged, and the id of the progress message. */
	public deferred(jobId: string, progressMessageId: string | undefined): void {
		this.options.store.update(jobId, { deferred: true, ...(progressMessageId ? { progressMessageId } : {}) });
	}

	/** Starts (or resumes) driving a job in the background. */
	public start(jobId: string): void {
		if (this.running.has(jobId) || this.stopping) return;
		const abort = new AbortController();
		const entry = { abort } as RunningJob & { done: Promise<void>; progress: ThrottledProgress };
		this.running.set(jobId, entry);
		entry.done = this.drive(jobId, entry).finally(() => this.running.delete(jobId));
	}

	/** Picks up every job a previous process left unfinished. */
	public resume(): number {
		const jobs = this.options.store.unfinished();
		for (const job of jobs) this.start(job.id);
		if (jobs.length > 0) this.options.log.info({ count: jobs.length }, 'resuming unfinished jobs');
		return jobs.length;
	}

	/**
	 * A new job from a finished one's inputs, already on fal (no Discord download): the same again
	 * (retry of a failure), a new seed (reroll), or more or less motion with the same seed.
	 */
	public followUp(jobId: string, kind: FollowUpKind, origin: JobOrigin): JobRow {
		const previous = this.options.store.get(jobId);
		// A result's buttons exist from the moment it is posted, a moment before its row says delivered.
		const usable = kind === 'retry' ? previous?.state === 'failed' : previous?.state === 'delivered' || previous?.state === 'delivering';
		if (!previous?.imageUrl || !usable) {
			throw new UserError('That video can no longer be used for this. Please run /animate again.');
		}
		if (kind === 'retry' && previous.userId !== origin.userId) throw new UserError('Only the person who started this job can retry it.');
		// The consent of the image's poster carries over to every follow-up.
		const source = previous.sourceAuthorId ? { messageId: previous.sourceMessageId ?? '', authorId: previous.sourceAuthorId } : undefined;
		const followOrigin: JobOrigin = { ...origin, ...(source ? { source } : {}) };
		const settings = this.checkAllowed(undefined, followOrigin);
		const motion =
			kind === 'more' ? Math.min(255, previous.motion + MOTION_STEP) : kind === 'less' ? Math.max(1, previous.motion - MOTION_STEP) : previous.motion;
		const { sources, imageUrl, maskUrl, depthMapsUrl, depthFrames, noise, steps, fps } = previous;
		return this.insert(followOrigin, settings, previous.model, {
			state: 'waiting',
			sources,
			imageUrl,
			maskUrl,
			depthMapsUrl,
			depthFrames,
			notes: null,
			motion,
			noise,
			seed: kind === 'reroll' ? randomSeed() : previous.seed,
			steps,
			fps,
			retryOf: previous.id,
		});
	}

	/** The requester, the image's poster, or a member who may manage messages may delete a result. */
	public mayDelete(jobId: string, userId: string, canManageMessages: boolean): boolean {
		const job = this.options.store.get(jobId);
		return canManageMessages || (job !== undefined && (job.userId === userId || job.sourceAuthorId === userId));
	}

	public cancel(jobId: string, userId: string): CancelOutcome {
		const job = this.options.store.get(jobId);
		if (!job || FINAL_STATES.has(job.state)) return 'unknown';
		if (job.userId !== userId) return 'not-yours';
		if (job.state === 'delivering') return 'finished';
		const running = this.running.get(jobId);
		if (running) running.abort.abort(new JobCancelled());
		else this.options.store.update(jobId, { state: 'cancelled', finishedAt: Date.now() });
		return 'cancelled';
	}

	/**
	 * Stops driving jobs without changing their state, so the next start resumes them. Deliveries
	 * already under way get the grace period to finish; everything else stops at once.
	 */
	public async shutdown(graceMs: number): Promise<void> {
		this.stopping = true;
		const jobs = [...this.running.entries()];
		for (const [jobId, job] of jobs) {
			if (this.options.store.get(jobId)?.state !== 'delivering') job.abort.abort(new ShuttingDown());
		}
		const grace = sleep(graceMs, undefined, { ref: false });
		await Promise.race([Promise.allSettled(jobs.map(([, job]) => job.done)), grace]);
		for (const [, job] of jobs) job.abort.abort(new ShuttingDown());
		await Promise.allSettled(jobs.map(([, job]) => job.done));
	}

	private async drive(jobId: string, entry: RunningJob & { progress: ThrottledProgress }): Promise<void> {
		const { store, fal, slots, log: rootLog, limits } = this.options;
		let job = store.get(jobId)!;
		const log = rootLog.child({ jobId, userId: job.userId, guildId: job.guildId, interactionId: job.interactionId });
		const set = (patch: JobPatch) => (job = store.update(jobId, patch));
		const messenger = this.options.messengerFor(job, set);
		const signal = entry.abort.signal;
		const progress = new ThrottledProgress(
			(payload) => messenger.editProgress(payload),
			this.options.progressIntervalMs,
			(error) => log.warn({ err: error }, 'progress edit failed'),
		);
		entry.progress = progress;
		const startedAt = job.createdAt;
		let phase: Phase = 'preparing';
		let note: string | undefined = job.notes ?? undefined;
		const view = (extra: Partial<ProgressView> = {}): ProgressView => ({
			jobId,
			phase,
			startedAt,
			...(note ? { note } : {}),
			...extra,
		});
		const show = (extra: Partial<ProgressView> = {}) => progress.update(view(extra));
		const finish = async (state: 'delivered' | 'failed' | 'cancelled', extra: Partial<ProgressView>, patch: JobPatch = {}) => {
			set({ ...patch, state, finishedAt: Date.now() });
			phase = state === 'delivered' ? 'done' : state;
			await progress.flush(view(extra));
		};
		const resumedInDelivery = job.state === 'delivering';
		let holdsSlot = false;
		let timeout: NodeJS.Timeout | undefined;

		try {
			// Something to say before anything is submitted (the estimated cost, which image is used): say it now.
			if (job.notes && !job.requestId) show();
			if (!job.imageUrl) {
				set({ state: 'uploading' });
				let prepared: Awaited<ReturnType<Animator['prepare']>>;
				try {
					const sources = job.sources;
					prepared = await this.preparing.run(() => this.prepare(sources));
				} catch (error) {
					const refusal = error instanceof UserError ? error.message : isTransientFalError(error) ? FAL_DOWN : undefined;
					if (!refusal) throw error;
					set({ state: 'failed', error: refusal, finishedAt: Date.now() });
					log.info({ reason: refusal }, 'job refused');
					await messenger.refuse(refusal);
					return;
				}
				note = [job.notes, ...prepared.notes].filter(Boolean).join('\n') || undefined;
				set({ ...prepared.urls, notes: note ?? null, state: 'waiting' });
			}

			if (!job.requestId) {
				signal.throwIfAborted();
				if (job.state !== 'waiting') set({ state: 'waiting' });
				phase = 'waiting';
				entry.waitingFor = (position) => show({ localPosition: position });
				await slots.acquire(jobId, job.userId, signal);
				holdsSlot = true;
				entry.waitingFor = undefined;
				try {
					const requestId = await fal.submit(job.model, this.falInput(job));
					set({ requestId, state: 'queued', submittedAt: Date.now() });
				} catch (error) {
					const refusal = error instanceof ValidationError ? describeValidationError(error) : isTransientFalError(error) ? FAL_DOWN : undefined;
					if (!refusal) throw error;
					set({ state: 'failed', error: refusal, finishedAt: Date.now() });
					log.info({ reason: refusal }, 'submit refused');
					await messenger.refuse(refusal);
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
				phase = job.state === 'running' ? 'running' : 'queued';
				show();
				const remaining = (job.submittedAt ?? Date.now()) + limits.jobTimeoutMs - Date.now();
				timeout = setTimeout(() => entry.abort.abort(new JobTimedOut()), Math.max(0, remaining));
				await this.follow(job, signal, (status) => {
					if (status.status === 'IN_QUEUE') {
						phase = 'queued';
						show({ queuePosition: status.queue_position });
					} else if (status.status === 'IN_PROGRESS') {
						if (job.state !== 'running') set({ state: 'running' });
						phase = 'running';
						const step = stepFromLogs(status.logs, job.steps);
						show(step === undefined ? {} : { step, totalSteps: job.steps });
					}
				}, (waiting) => show(waiting));
				clearTimeout(timeout);
				set({ state: 'delivering' });
			}

			phase = 'delivering';
			show();
			const already = resumedInDelivery ? await messenger.findDelivered() : undefined;
			if (already) {
				log.info({ messageId: already.id }, 'found the video already posted before the restart');
				await finish('delivered', { resultUrl: already.url }, { deliveredMessageId: already.id, deliveredVia: 'channel' });
				return;
			}
			const result = await this.withFalRetry(() => fal.result(job.model, requestId), signal, job);
			if (holdsSlot) {
				slots.release(job.userId);
				holdsSlot = false;
			}
			const seed = result.seed ?? job.seed;
			const delivered = await this.deliver(job, messenger, result.video, seed);
			log.info({ requestId, messageId: delivered.id, via: delivered.via }, 'job delivered');
			await finish(
				'delivered',
				{
					resultUrl: delivered.url,
					...(delivered.via === 'follow-up' ? { note: "I couldn't post in this channel, so the video is in the reply below." } : {}),
				},
				{ deliveredMessageId: delivered.id, deliveredVia: delivered.via },
			);
		} catch (error) {
			const reason = signal.aborted ? signal.reason : error;
			if (reason instanceof ShuttingDown) {
				log.info({ state: job.state }, 'job paused for shutdown');
				return;
			}
			if (reason instanceof JobCancelled) {
				const atFal = job.state === 'queued' && job.requestId;
				if (atFal) await fal.cancel(job.model, job.requestId!).catch((e: unknown) => log.warn({ err: e }, 'fal cancel failed'));
				log.info({ requestId: job.requestId, state: job.state }, 'job cancelled');
				const wording: Partial<Record<string, string>> = {
					queued: 'Cancelled while waiting in the queue.',
					running: "Stopped waiting for it; fal may finish it, but it won't be posted.",
				};
				await finish('cancelled', { note: wording[job.state] ?? 'Cancelled before it was submitted.' });
				return;
			}
			if (reason instanceof JobTimedOut) {
				if (job.requestId) await fal.cancel(job.model, job.requestId).catch(() => undefined);
				log.warn({ requestId: job.requestId }, 'job timed out');
				await finish('failed', { note: 'It took too long, so I gave up on it.', retryable: true }, { error: 'timed out' });
				return;
			}
			if (reason instanceof FalOutage) {
				log.warn({ requestId: job.requestId }, 'gave up waiting for fal');
				await finish(
					'failed',
					{ note: `fal.ai was unreachable for over ${Math.round(limits.falOutageMs / 60_000)} minutes, so I gave up on this one.`, retryable: true },
					{ error: 'fal outage' },
				);
				return;
			}
			const errorId = newErrorId();
			const falFailed = reason instanceof ApiError || reason instanceof FalJobFailed;
			log.error({ err: reason, errorId, requestId: job.requestId, state: job.state }, falFailed ? 'fal job failed' : 'job failed');
			await finish(
				'failed',
				{
					note: falFailed
						? `fal reported an error while making it (error id \`${errorId}\`).`
						: `Something went wrong on our side (error id \`${errorId}\`).`,
					retryable: Boolean(job.imageUrl),
				},
				{ error: `${errorId}: ${reason instanceof Error ? reason.message : String(reason)}` },
			).catch((finishError: unknown) => log.error({ err: finishError }, 'could not record the failure'));
		} finally {
			clearTimeout(timeout);
			if (holdsSlot) slots.release(job.userId);
		}
	}

	/**
	 * Follows the request over fal's status stream until it completes. When fal cannot be reached,
	 * waits with growing pauses and says so, for at most the outage limit.
	 */
	private async follow(
		job: JobRow,
		signal: AbortSignal,
		onStatus: (status: QueueStatus) => void,
		onOutage: (view: Partial<ProgressView>) => void,
	): Promise<void> {
		let outageSince: number | undefined;
		let attempt = 0;
		for (;;) {
			try {
				const final = await this.options.fal.watch(
					job.model,
					job.requestId!,
					(status) => {
						outageSince = undefined;
						attempt = 0;
						onStatus(status);
					},
					signal,
				);
				if (final.status === 'COMPLETED') {
					// A request that failed at fal also ends COMPLETED, carrying the error instead of a result.
					const failure = (final as { error?: unknown; error_type?: unknown }).error;
					if (failure) throw new FalJobFailed(`${String((final as { error_type?: unknown }).error_type ?? 'error')}: ${String(failure)}`);
					return;
				}
				// The stream ended early (a dropped connection): join it again.
			} catch (error) {
				if (signal.aborted) throw signal.reason;
				if (error instanceof FalJobFailed || !isTransientFalError(error)) throw error;
				this.options.log.warn({ err: error, jobId: job.id, attempt }, 'fal status stream failed');
			}
			outageSince ??= Date.now();
			if (Date.now() - outageSince > this.options.limits.falOutageMs) throw new FalOutage();
			const pause = Math.min(60_000, 1_000 * 2 ** attempt);
			attempt += 1;
			onOutage({ note: `fal.ai isn't answering right now. Your job is kept and continues when it is back (next try ${relative(Date.now() + pause)}).` });
			await sleep(pause, undefined, { signal }).catch(() => {
				throw signal.reason;
			});
		}
	}

	/** Runs a fal call, waiting out transient failures within the outage limit. */
	private async withFalRetry<T>(call: () => Promise<T>, signal: AbortSignal, job: JobRow): Promise<T> {
		const started = Date.now();
		for (let attempt = 0; ; attempt += 1) {
			try {
				return await call();
			} catch (error) {
				if (!isTransientFalError(error) || Date.now() - started > this.options.limits.falOutageMs) throw error;
				this.options.log.warn({ err: error, jobId: job.id, attempt }, 'fal call failed, retrying');
				await sleep(Math.min(60_000, 1_000 * 2 ** attempt), undefined, { signal }).catch(() => {
					throw signal.reason;
				});
			}
		}
	}

	private async prepare(sources: JobSources) {
		const { image: imageRef, mask: maskRef, depthMaps: depthRef } = sources;
		const notes: string[] = [];
		const [image, mask, depth] = await Promise.all([
			downloadLimited(imageRef.url, LIMITS.imageBytes, imageRef.name).then((bytes) => checkImage(bytes, imageRef.name)),
			maskRef ? downloadLimited(maskRef.url, LIMITS.imageBytes, maskRef.name).then((bytes) => checkImage(bytes, maskRef.name)) : undefined,
			depthRef ? downloadLimited(depthRef.url, LIMITS.zipBytes, depthRef.name).then((bytes) => checkDepthMaps(bytes, depthRef.name)) : undefined,
		]);
		if (image.firstFrameOnly) notes.push(`\`${imageRef.name}\` is animated, so its first frame was used.`);
		if (mask) {
			const ratio = mask.width / mask.height / (image.width / image.height);
			if (Math.abs(ratio - 1) > 0.02) {
				throw new UserError(
					`The mask is ${mask.width}×${mask.height} but the image is ${image.width}×${image.height}; the mask must have the same shape as the image.`,
				);
			}
		}
		// Discord's attachment URLs are signed and expire, so fal gets its own copies.
		const { fal } = this.options;
		const [imageUrl, maskUrl, depthMapsUrl] = await Promise.all([
			fal.upload(image.bytes, image.contentType, image.fileName),
			mask ? fal.upload(mask.bytes, mask.contentType, `mask-${mask.fileName}`) : undefined,
			depth ? fal.upload(depth.bytes, 'application/zip', 'depth-maps.zip') : undefined,
		]);
		return {
			urls: { imageUrl, maskUrl: maskUrl ?? null, depthMapsUrl: depthMapsUrl ?? null, depthFrames: depth?.frames ?? null },
			notes,
		};
	}

	private falInput(job: JobRow): Record<string, unknown> {
		const model = this.modelOf(job.model);
		const input: Record<string, unknown> = { image_url: job.imageUrl, seed: job.seed };
		const take = (option: AnimateOption, value: unknown) => {
			if (value !== null && value !== undefined && model.options.has(option)) input[FAL_FIELD[option]] = value;
		};
		take('fps', job.fps);
		take('motion', job.motion);
		take('noise', job.noise);
		take('steps', job.steps);
		take('mask', job.maskUrl);
		take('depth_maps', job.depthMapsUrl);
		return input;
	}

	private async deliver(job: JobRow, messenger: JobMessenger, video: { url: string; file_size?: number }, seed: number) {
		const limit = messenger.attachmentSizeLimit;
		const embed = this.resultEmbed(job, seed);
		const mention = `<@${job.userId}>`;
		const base = { embeds: [embed], components: resultButtons(job.id), allowedMentions: { users: [job.userId] } };
		const postLink = (size: number) => {
			embed.setURL(video.url);
			return messenger.postResult({
				...base,
				content: `${mention} your video is ready. At ${formatBytes(size)} it is over this server's ${formatBytes(limit)} upload limit, so here is a link: ${video.url}`,
			});
		};
		if (video.file_size !== undefined && video.file_size > limit) return postLink(video.file_size);
		// The video goes through a temporary file, never whole into memory: the upload streams from disk.
		const path = join(tmpdir(), `animate-bot-${job.id}-${randomUUID().slice(0, 8)}.mp4`);
		try {
			try {
				await downloadToFile(video.url, limit, 'the video', path);
			} catch (error) {
				if (!(error instanceof UserError)) throw error;
				return await postLink(video.file_size ?? limit + 1);
			}
			return await messenger.postResult({ ...base, content: `${mention} your video is ready.` }, { path, name: `animate-${seed}.mp4`, contentType: 'video/mp4' });
		} finally {
			await rm(path, { force: true });
		}
	}

	private resultEmbed(job: JobRow, seed: number): EmbedBuilder {
		const fields = [
			{ name: 'Seed', value: `\`${seed}\``, inline: true },
			{ name: 'Motion', value: String(job.motion), inline: true },
			{ name: 'Noise', value: String(job.noise), inline: true },
		];
		const model = this.modelOf(job.model);
		if (model.options.has('steps')) fields.push({ name: 'Steps', value: String(job.steps), inline: true });
		if (job.fps !== null) fields.push({ name: 'FPS', value: String(job.fps), inline: true });
		if (job.maskUrl) fields.push({ name: 'Mask', value: job.sources.mask?.name ?? 'yes', inline: true });
		if (job.depthFrames) fields.push({ name: 'Depth maps', value: `${job.depthFrames} frames`, inline: true });
		return new EmbedBuilder()
			.setTitle(`🎬 ${job.sources.image.name}`)
			.setColor(0x57f287)
			.addFields(fields)
			.setFooter({ text: `${model.label} · ${model.id} · ${resultFooter(job.id)}` });
	}
}
