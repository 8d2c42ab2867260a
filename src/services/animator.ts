import { randomInt, randomUUID } from 'node:crypto';
import { EmbedBuilder } from 'discord.js';
import { MAX_SEED } from '../commands/animate/definition.js';
import { UserError } from '../errors.js';
import { newErrorId } from '../interaction-errors.js';
import type { Logger } from '../logger.js';
import { ApiError, ValidationError, type FalGateway, type QueueStatus } from './fal.js';
import type { JobMessenger } from './job-messenger.js';
import { checkDepthMaps, checkImage, downloadLimited, formatBytes, LIMITS } from './media.js';
import { FAL_FIELD, modelSpec, type AnimateOption, type ModelSpec } from './models.js';
import { ThrottledProgress, type Phase, type ProgressView } from './progress.js';

export interface AttachmentRef {
	readonly url: string;
	readonly name: string;
}

/** What the user asked for, as typed; defaults are filled in when the job is built. */
export interface AnimateRequest {
	readonly userId: string;
	readonly guildId: string;
	readonly image: AttachmentRef;
	readonly mask?: AttachmentRef;
	readonly depthMaps?: AttachmentRef;
	readonly motion?: number;
	readonly noise?: number;
	readonly seed?: number;
	readonly steps?: number;
}

export const DEFAULTS = { motion: 127, noise: 0.02, steps: 20 } as const;

/** Inputs after checking and uploading: fal URLs, reusable for a retry without Discord. */
interface PreparedInputs {
	readonly imageUrl: string;
	readonly maskUrl?: string;
	readonly depthMapsUrl?: string;
	readonly depthFrames?: number;
	readonly notes: readonly string[];
}

interface Params {
	readonly motion: number;
	readonly noise: number;
	readonly seed: number;
	readonly steps: number;
}

interface Job {
	readonly id: string;
	readonly userId: string;
	readonly params: Params;
	readonly startedAt: number;
	readonly abort: AbortController;
	inputs?: PreparedInputs;
	requestId?: string;
	phase: Phase;
	cancelRequested: boolean;
}

export interface AnimatorOptions {
	readonly fal: FalGateway;
	readonly model: string;
	readonly log: Logger;
	/** Minimum time between two progress edits of one job. */
	readonly progressIntervalMs?: number;
	/** How long a job may take from submit to result before it is given up. */
	readonly jobTimeoutMs?: number;
}

export type CancelOutcome = 'cancelled' | 'not-yours' | 'unknown' | 'finished';

const OPTION_LABEL: Record<AnimateOption, string> = {
	motion: 'motion',
	noise: 'noise',
	seed: 'seed',
	steps: 'steps',
	mask: 'mask',
	depth_maps: 'depth_maps',
};

class JobCancelled extends Error {}
class JobTimedOut extends Error {}

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

/**
 * Runs /animate jobs: checks inputs, uploads them to fal storage, submits, follows the status
 * stream, reports progress and posts the video. Owns the table of jobs in flight.
 */
export class Animator {
	private readonly jobs = new Map<string, Job>();
	/** Finished-but-failed jobs keep their uploaded inputs so "Try again" needs no Discord download. */
	private readonly retryable = new Map<string, { request: AnimateRequest; inputs: PreparedInputs }>();
	private readonly model: ModelSpec;

	public constructor(private readonly options: AnimatorOptions) {
		this.model = modelSpec(options.model);
	}

	/** Refuses options the configured model does not take, before anything is downloaded. */
	public assertSupported(request: AnimateRequest): void {
		const given: AnimateOption[] = [];
		if (request.motion !== undefined) given.push('motion');
		if (request.noise !== undefined) given.push('noise');
		if (request.seed !== undefined) given.push('seed');
		if (request.steps !== undefined) given.push('steps');
		if (request.mask) given.push('mask');
		if (request.depthMaps) given.push('depth_maps');
		const unsupported = given.filter((option) => !this.model.options.has(option));
		if (unsupported.length > 0) {
			throw new UserError(
				`The model here (\`${this.model.id}\`) does not take ${unsupported.map((o) => `\`${OPTION_LABEL[o]}\``).join(', ')}. ` +
					'Run /animate again without it.',
			);
		}
	}

	public get inFlight(): number {
		return this.jobs.size;
	}

	/** Runs one job to its end. Input problems throw UserError before anything reaches fal. */
	public async run(request: AnimateRequest, messenger: JobMessenger): Promise<void> {
		this.assertSupported(request);
		const job = this.createJob(request);
		const progress = this.progressFor(job, messenger);
		try {
			job.inputs = await this.prepare(request);
		} catch (error) {
			this.jobs.delete(job.id);
			throw error;
		}
		await this.execute(job, request, messenger, progress);
	}

	/** Runs a failed job again with the inputs already on fal. */
	public async retry(jobId: string, userId: string, messenger: JobMessenger): Promise<void> {
		const previous = this.retryable.get(jobId);
		if (!previous) throw new UserError('That job is too old to retry here. Please run /animate again.');
		if (previous.request.userId !== userId) throw new UserError(`Only <@${previous.request.userId}> can retry this job.`);
		const job = this.createJob(previous.request);
		job.inputs = previous.inputs;
		await this.execute(job, previous.request, messenger, this.progressFor(job, messenger));
	}

	public async cancel(jobId: string, userId: string): Promise<CancelOutcome> {
		const job = this.jobs.get(jobId);
		if (!job) return 'unknown';
		if (job.userId !== userId) return 'not-yours';
		if (job.phase === 'delivering') return 'finished';
		job.cancelRequested = true;
		job.abort.abort(new JobCancelled());
		return 'cancelled';
	}

	private createJob(request: AnimateRequest): Job {
		const job: Job = {
			id: randomUUID().slice(0, 12),
			userId: request.userId,
			params: {
				motion: request.motion ?? DEFAULTS.motion,
				noise: request.noise ?? DEFAULTS.noise,
				seed: request.seed ?? randomInt(0, MAX_SEED),
				steps: request.steps ?? DEFAULTS.steps,
			},
			startedAt: Date.now(),
			abort: new AbortController(),
			phase: 'preparing',
			cancelRequested: false,
		};
		this.jobs.set(job.id, job);
		return job;
	}

	private progressFor(job: Job, messenger: JobMessenger): { progress: ThrottledProgress; messageId: () => string | undefined } {
		let messageId: string | undefined;
		const log = this.options.log;
		const progress = new ThrottledProgress(
			async (payload) => {
				messageId = await messenger.editProgress(payload);
			},
			this.options.progressIntervalMs,
			(error) => log.warn({ err: error, jobId: job.id }, 'progress edit failed'),
		);
		return { progress, messageId: () => messageId };
	}

	private view(job: Job, extra: Partial<ProgressView> = {}): ProgressView {
		return { jobId: job.id, phase: job.phase, startedAt: job.startedAt, ...extra };
	}

	private async prepare(request: AnimateRequest): Promise<PreparedInputs> {
		const notes: string[] = [];
		const [image, mask, depth] = await Promise.all([
			downloadLimited(request.image.url, LIMITS.imageBytes, request.image.name).then((bytes) => checkImage(bytes, request.image.name)),
			request.mask
				? downloadLimited(request.mask.url, LIMITS.imageBytes, request.mask.name).then((bytes) => checkImage(bytes, request.mask!.name))
				: undefined,
			request.depthMaps
				? downloadLimited(request.depthMaps.url, LIMITS.zipBytes, request.depthMaps.name).then((bytes) =>
						checkDepthMaps(bytes, request.depthMaps!.name),
					)
				: undefined,
		]);
		if (image.firstFrameOnly) notes.push(`\`${request.image.name}\` is animated, so its first frame was used.`);
		if (mask) {
			const ratio = (mask.width / mask.height) / (image.width / image.height);
			if (Math.abs(ratio - 1) > 0.02) {
				throw new UserError(
					`The mask is ${mask.width}×${mask.height} but the image is ${image.width}×${image.height}; the mask must have the same shape as the image.`,
				);
			}
		}
		// Discord's attachment URLs are signed and expire, so fal gets its own copies.
		try {
			const [imageUrl, maskUrl, depthMapsUrl] = await Promise.all([
				this.options.fal.upload(image.bytes, image.contentType, image.fileName),
				mask ? this.options.fal.upload(mask.bytes, mask.contentType, `mask-${mask.fileName}`) : undefined,
				depth ? this.options.fal.upload(depth.bytes, 'application/zip', 'depth-maps.zip') : undefined,
			]);
			return {
				imageUrl,
				...(maskUrl ? { maskUrl } : {}),
				...(depthMapsUrl ? { depthMapsUrl, depthFrames: depth!.frames } : {}),
				notes,
			};
		} catch (error) {
			throw this.falUnavailable(error, 'upload');
		}
	}

	private falUnavailable(error: unknown, stage: string): UserError {
		this.options.log.warn({ err: error, stage }, 'fal unavailable');
		return new UserError("fal.ai (the video service) isn't answering right now, so nothing was submitted. Please try again in a few minutes.");
	}

	private falInput(job: Job): Record<string, unknown> {
		const inputs = job.inputs!;
		const { motion, noise, seed, steps } = job.params;
		const input: Record<string, unknown> = { image_url: inputs.imageUrl, seed };
		const take = (option: AnimateOption, field: string, value: unknown) => {
			if (value !== undefined && this.model.options.has(option)) input[field] = value;
		};
		take('motion', FAL_FIELD.motion, motion);
		take('noise', FAL_FIELD.noise, noise);
		take('steps', FAL_FIELD.steps, steps);
		take('mask', FAL_FIELD.mask, inputs.maskUrl);
		take('depth_maps', FAL_FIELD.depth_maps, inputs.depthMapsUrl);
		return input;
	}

	private async execute(
		job: Job,
		request: AnimateRequest,
		messenger: JobMessenger,
		{ progress, messageId }: { progress: ThrottledProgress; messageId: () => string | undefined },
	): Promise<void> {
		const { fal, log: rootLog } = this.options;
		const log = rootLog.child({ jobId: job.id, userId: job.userId, guildId: request.guildId });
		const inputs = job.inputs!;
		const note = inputs.notes.join('\n') || undefined;
		const show = (extra: Partial<ProgressView> = {}) => progress.update(this.view(job, { ...(note ? { note } : {}), ...extra }));
		const finish = async (extra: Partial<ProgressView>) => {
			this.jobs.delete(job.id);
			await progress.flush(this.view(job, extra));
		};

		if (job.cancelRequested) {
			job.phase = 'cancelled';
			await finish({ note: 'Cancelled before it was submitted.' });
			return;
		}
		try {
			job.requestId = await fal.submit(this.options.model, this.falInput(job));
		} catch (error) {
			this.jobs.delete(job.id);
			if (error instanceof ValidationError) throw new UserError(describeValidationError(error));
			throw this.falUnavailable(error, 'submit');
		}
		const requestId = job.requestId;
		job.phase = 'queued';
		log.info({ requestId, model: this.options.model, seed: job.params.seed }, 'job submitted');
		show();

		const timeout = setTimeout(() => job.abort.abort(new JobTimedOut()), this.options.jobTimeoutMs ?? 15 * 60_000);
		try {
			await fal.watch(
				this.options.model,
				requestId,
				(status: QueueStatus) => {
					if (status.status === 'IN_QUEUE') {
						job.phase = 'queued';
						show({ queuePosition: status.queue_position });
					} else if (status.status === 'IN_PROGRESS') {
						job.phase = 'running';
						const step = stepFromLogs(status.logs, job.params.steps);
						show(step === undefined ? {} : { step, totalSteps: job.params.steps });
					}
				},
				job.abort.signal,
			);
			if (job.abort.signal.aborted) throw job.abort.signal.reason;
			job.phase = 'delivering';
			show();
			const result = await fal.result(this.options.model, requestId);
			const seed = result.seed ?? job.params.seed;
			const delivered = await this.deliver(job, request, messenger, messageId(), result.video, seed);
			job.phase = 'done';
			log.info({ requestId, messageId: delivered.message.id, via: delivered.via }, 'job delivered');
			await finish({ resultUrl: delivered.message.url, ...(delivered.via === 'follow-up' ? { note: "I couldn't post in this channel, so the video is in the reply below." } : {}) });
		} catch (error) {
			const reason = job.abort.signal.aborted ? job.abort.signal.reason : error;
			if (reason instanceof JobCancelled) {
				const wasQueued = job.phase === 'queued';
				job.phase = 'cancelled';
				if (wasQueued) await fal.cancel(this.options.model, requestId).catch((e: unknown) => log.warn({ err: e }, 'fal cancel failed'));
				log.info({ requestId, wasQueued }, 'job cancelled');
				await finish({
					note: wasQueued ? 'Cancelled while waiting in the queue.' : "Stopped waiting for it; fal may finish it, but it won't be posted.",
				});
				return;
			}
			job.phase = 'failed';
			this.retryable.set(job.id, { request, inputs });
			this.trimRetryable();
			if (reason instanceof JobTimedOut) {
				await fal.cancel(this.options.model, requestId).catch(() => undefined);
				log.warn({ requestId }, 'job timed out');
				await finish({ note: 'It took too long, so I gave up on it.', retryable: true });
				return;
			}
			if (reason instanceof ValidationError) {
				await finish({ note: describeValidationError(reason), retryable: false });
				return;
			}
			const errorId = newErrorId();
			const falFailed = reason instanceof ApiError;
			log.error({ err: reason, errorId, requestId }, falFailed ? 'fal job failed' : 'job failed');
			await finish({
				note: falFailed
					? `fal reported an error while making it (error id \`${errorId}\`).`
					: `Something went wrong on our side (error id \`${errorId}\`).`,
				retryable: true,
			});
		} finally {
			clearTimeout(timeout);
		}
	}

	private async deliver(
		job: Job,
		request: AnimateRequest,
		messenger: JobMessenger,
		replyTo: string | undefined,
		video: { url: string; file_size?: number },
		seed: number,
	) {
		const limit = messenger.target.attachmentSizeLimit;
		const embed = this.resultEmbed(job, request, seed);
		const mention = `<@${job.userId}>`;
		const base = { embeds: [embed], allowedMentions: { users: [job.userId] } };
		let bytes: Buffer | undefined;
		let tooBig = video.file_size !== undefined && video.file_size > limit ? video.file_size : undefined;
		if (tooBig === undefined) {
			try {
				bytes = await downloadLimited(video.url, limit, 'the video');
			} catch (error) {
				if (!(error instanceof UserError)) throw error;
				tooBig = video.file_size ?? limit + 1;
			}
		}
		if (!bytes) {
			embed.setURL(video.url);
			return messenger.postResult(
				{
					...base,
					content: `${mention} your video is ready. At ${formatBytes(tooBig ?? 0)} it is over this server's ${formatBytes(limit)} upload limit, so here is a link: ${video.url}`,
				},
				replyTo,
			);
		}
		return messenger.postResult(
			{ ...base, content: `${mention} your video is ready.`, files: [{ attachment: bytes, name: `animate-${seed}.mp4` }] },
			replyTo,
		);
	}

	private resultEmbed(job: Job, request: AnimateRequest, seed: number): EmbedBuilder {
		const { motion, noise, steps } = job.params;
		const inputs = job.inputs!;
		const fields = [
			{ name: 'Seed', value: `\`${seed}\``, inline: true },
			{ name: 'Motion', value: String(motion), inline: true },
			{ name: 'Noise', value: String(noise), inline: true },
		];
		if (this.model.options.has('steps')) fields.push({ name: 'Steps', value: String(steps), inline: true });
		if (inputs.maskUrl) fields.push({ name: 'Mask', value: request.mask?.name ?? 'yes', inline: true });
		if (inputs.depthFrames) fields.push({ name: 'Depth maps', value: `${inputs.depthFrames} frames`, inline: true });
		return new EmbedBuilder()
			.setTitle(`🎬 ${request.image.name}`)
			.setColor(0x57f287)
			.addFields(fields)
			.setFooter({ text: `${this.model.label} · ${this.model.id} · job ${job.id}` });
	}

	private trimRetryable(): void {
		// Bounded: a retry only makes sense for recent failures.
		while (this.retryable.size > 500) {
			const oldest = this.retryable.keys().next().value;
			if (oldest === undefined) break;
			this.retryable.delete(oldest);
		}
	}
}
