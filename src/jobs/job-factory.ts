import { randomInt, randomUUID } from 'node:crypto';
import { monthBounds } from '../domain/calendar.js';
import { MAX_SEED, MOTION_STEP, type AnimateRequest, type FollowUpKind, type JobOrigin, type JobRow, type NewJob } from '../domain/job.js';
import { effectiveParam, motionRange } from '../domain/model-options.js';
import { takes, type ModelSpec } from '../domain/models.js';
import { refuse } from '../domain/refusal.js';
import { checkAllowed, type AdmissionDeps, type Admitted } from './admission.js';

const randomSeed = () => randomInt(0, MAX_SEED);

/** The job fields `insertJob` derives from the origin and the model. */
type Derived =
	| 'id'
	| 'guildId'
	| 'reach'
	| 'channelId'
	| 'userId'
	| 'locale'
	| 'interactionId'
	| 'applicationId'
	| 'interactionToken'
	| 'interactionAt'
	| 'attachmentSizeLimit'
	| 'model'
	| 'trigger'
	| 'sourceMessageId'
	| 'sourceAuthorId'
	| 'costUsd';

async function insertJob(
	deps: AdmissionDeps,
	origin: JobOrigin,
	{ settings, model, priceUsd }: Admitted,
	fields: Omit<NewJob, Derived>,
	price = priceUsd,
): Promise<JobRow> {
	const notes =
		settings.monthlyCapUsd !== null
			? [
					...fields.notes,
					{
						kind: 'estimated-cost' as const,
						priceUsd: price,
						usedUsd: await deps.store.committedSince(origin.guildId, monthBounds(Date.now()).start),
						capUsd: settings.monthlyCapUsd,
					},
				]
			: fields.notes;
	return deps.store.insert({
		...fields,
		id: randomUUID().slice(0, 12),
		guildId: origin.guildId,
		reach: origin.reach,
		channelId: origin.channelId,
		userId: origin.userId,
		locale: origin.locale,
		interactionId: origin.interaction?.id ?? '',
		applicationId: origin.interaction?.applicationId ?? '',
		interactionToken: origin.interaction?.token ?? '',
		interactionAt: origin.interaction?.createdAt ?? Date.now(),
		attachmentSizeLimit: origin.attachmentSizeLimit,
		model: model.id,
		trigger: origin.trigger,
		sourceMessageId: origin.source?.messageId ?? null,
		sourceAuthorId: origin.source?.authorId ?? null,
		costUsd: price,
		notes,
	});
}

/**
 * Records a new job after every check, as one step no other admission of this member or server
 * can interleave with; fast, so it happens before the defer.
 */
export function acceptJob(deps: AdmissionDeps, request: AnimateRequest, origin: JobOrigin): Promise<JobRow> {
	return deps.store.exclusive(origin, async (store) => {
		const tx = { ...deps, store };
		const admitted = await checkAllowed(tx, { request }, origin);
		const { model, settings } = admitted;
		const asked = admitted.request ?? request;
		return insertJob(tx, origin, admitted, {
			sources: {
				image: asked.image,
				...(asked.mask ? { mask: asked.mask } : {}),
				...(asked.depthMaps ? { depthMaps: asked.depthMaps } : {}),
				...(asked.endImage ? { endImage: asked.endImage } : {}),
			},
			imageUrl: null,
			maskUrl: null,
			depthMapsUrl: null,
			depthFrames: null,
			endImageUrl: null,
			choices: asked.choices ?? {},
			// Said before it matters: a job that can only answer through the interaction moves to DMs later.
			notes: [...(asked.notes ?? []), ...(origin.reach === 'interaction' ? [{ kind: 'dm-if-late' as const }] : [])],
			motion: effectiveParam(model, 'motion', asked.motion, settings.defaults.motion),
			noise: effectiveParam(model, 'noise', asked.noise, settings.defaults.noise),
			seed: asked.seed ?? randomSeed(),
			steps: effectiveParam(model, 'steps', asked.steps, settings.defaults.steps),
			fps: asked.fps ?? null,
		});
	});
}

function nextMotion(kind: FollowUpKind, motion: number, model: ModelSpec): number {
	const range = motionRange(model);
	return kind === 'more' ? Math.min(range.max, motion + MOTION_STEP) : kind === 'less' ? Math.max(range.min, motion - MOTION_STEP) : motion;
}

/** Whether a button's follow-up fits the job's model (a stale button may outlive a change). */
function fits(kind: FollowUpKind, model: ModelSpec, prior: JobRow): boolean {
	if (kind === 'more' || kind === 'less') return takes(model, 'motion');
	if (kind === 'loop') return takes(model, 'loop') && prior.choices.loop !== true;
	return true;
}

/**
 * A new job from a finished one's inputs, already on fal (no Discord download): the same again
 * (retry of a failure), a new seed (reroll), or more or less motion with the same seed.
 */
export async function followUpJob(deps: AdmissionDeps, jobId: string, kind: FollowUpKind, origin: JobOrigin): Promise<JobRow> {
	const previous = await deps.store.get(jobId);
	// A result's buttons exist from the moment it is posted, a moment before its row says delivered.
	const usable = kind === 'retry' ? previous?.state === 'failed' : previous?.state === 'delivered' || previous?.state === 'delivering';
	if (!previous?.imageUrl || !usable) refuse({ kind: 'follow-up-unavailable' });
	const prior = previous;
	if (kind === 'retry' && prior.userId !== origin.userId) refuse({ kind: 'retry-not-yours' });
	// The consent of the image's poster carries over to every follow-up.
	const source = prior.sourceAuthorId ? { messageId: prior.sourceMessageId ?? '', authorId: prior.sourceAuthorId } : undefined;
	const followOrigin: JobOrigin = { ...origin, ...(source ? { source } : {}) };
	return deps.store.exclusive(followOrigin, async (store) => {
		const tx = { ...deps, store };
		const choices = kind === 'loop' ? { ...prior.choices, loop: true } : prior.choices;
		const admitted = await checkAllowed(tx, { model: prior.model, choices }, followOrigin);
		if (!fits(kind, admitted.model, prior)) refuse({ kind: 'follow-up-unavailable' });
		const { sources, imageUrl, maskUrl, depthMapsUrl, depthFrames, endImageUrl, noise, steps, fps } = prior;
		// fal made this video and only posting it failed: Try again posts the same result, and costs nothing.
		const repost = kind === 'retry' && prior.producedAt !== null && prior.requestId !== null;
		return insertJob(
			tx,
			followOrigin,
			admitted,
			{
				...(repost ? { state: 'delivering' as const, requestId: prior.requestId, submittedAt: prior.submittedAt } : { state: 'waiting' as const }),
				sources,
				imageUrl,
				maskUrl,
				depthMapsUrl,
				depthFrames,
				endImageUrl,
				choices,
				notes: [],
				motion: nextMotion(kind, prior.motion, admitted.model),
				noise,
				// A model without a seed makes a new video from the same request anyway.
				seed: kind === 'reroll' ? randomSeed() : prior.seed,
				steps,
				fps,
			},
			repost ? 0 : undefined,
		);
	});
}
