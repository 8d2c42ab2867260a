import { randomInt, randomUUID } from 'node:crypto';
import { monthBounds } from '../domain/calendar.js';
import {
	MAX_SEED,
	MOTION_RANGE,
	MOTION_STEP,
	type AnimateRequest,
	type FollowUpKind,
	type JobOrigin,
	type JobRow,
	type NewJob,
} from '../domain/job.js';
import { modelSpec } from '../domain/models.js';
import { refuse } from '../domain/refusal.js';
import type { GuildSettings } from '../domain/settings.js';
import { checkAllowed, type AdmissionDeps } from './admission.js';

const randomSeed = () => randomInt(0, MAX_SEED);

/** The job fields `insertJob` derives from the origin and the model. */
type Derived =
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
	| 'costUsd';

async function insertJob(
	deps: AdmissionDeps,
	origin: JobOrigin,
	settings: GuildSettings,
	model: string,
	fields: Omit<NewJob, Derived>,
	price = modelSpec(model, deps.prices).priceUsd,
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
		const settings = await checkAllowed(tx, request, origin);
		return insertJob(tx, origin, settings, settings.model, {
			sources: {
				image: request.image,
				...(request.mask ? { mask: request.mask } : {}),
				...(request.depthMaps ? { depthMaps: request.depthMaps } : {}),
			},
			imageUrl: null,
			maskUrl: null,
			depthMapsUrl: null,
			depthFrames: null,
			notes: request.notes ?? [],
			motion: request.motion ?? settings.defaults.motion,
			noise: request.noise ?? settings.defaults.noise,
			seed: request.seed ?? randomSeed(),
			steps: request.steps ?? settings.defaults.steps,
			fps: request.fps ?? null,
		});
	});
}

const nextMotion = (kind: FollowUpKind, motion: number) =>
	kind === 'more' ? Math.min(MOTION_RANGE.max, motion + MOTION_STEP) : kind === 'less' ? Math.max(MOTION_RANGE.min, motion - MOTION_STEP) : motion;

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
		const settings = await checkAllowed(tx, undefined, followOrigin);
		const { sources, imageUrl, maskUrl, depthMapsUrl, depthFrames, noise, steps, fps } = prior;
		// fal made this video and only posting it failed: Try again posts the same result, and costs nothing.
		const repost = kind === 'retry' && prior.producedAt !== null && prior.requestId !== null;
		return insertJob(
			tx,
			followOrigin,
			settings,
			prior.model,
			{
				...(repost ? { state: 'delivering' as const, requestId: prior.requestId, submittedAt: prior.submittedAt } : { state: 'waiting' as const }),
				sources,
				imageUrl,
				maskUrl,
				depthMapsUrl,
				depthFrames,
				notes: [],
				motion: nextMotion(kind, prior.motion),
				noise,
				seed: kind === 'reroll' ? randomSeed() : prior.seed,
				steps,
				fps,
			},
			repost ? 0 : undefined,
		);
	});
}
