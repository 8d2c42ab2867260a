/** Job rows for tests of the store and the views: every field set, overridable one by one. */
import type { JobRow, NewJob } from '../../src/domain/job.js';

let counter = 0;

/** A new job as the factory would insert it, with a fresh id unless one is given. */
export function newJob(overrides: Partial<NewJob> = {}): NewJob {
	counter += 1;
	return {
		id: `job-${counter}`,
		guildId: 'g1',
		reach: 'channel',
		channelId: 'c1',
		userId: 'u1',
		locale: 'en-US',
		interactionId: `i-${counter}`,
		applicationId: 'app1',
		interactionToken: `token-${counter}`,
		interactionAt: 1_700_000_000_000,
		attachmentSizeLimit: 10 * 1024 * 1024,
		model: 'fal-ai/svd',
		sources: { image: { url: 'https://cdn.example/source.png', name: 'source.png' } },
		imageUrl: null,
		maskUrl: null,
		depthMapsUrl: null,
		depthFrames: null,
		endImageUrl: null,
		choices: {},
		notes: [],
		motion: 127,
		noise: 0.02,
		seed: 42,
		steps: 20,
		fps: null,
		trigger: 'command',
		sourceMessageId: null,
		sourceAuthorId: null,
		costUsd: 0.08,
		...overrides,
	};
}

/** A stored row, as SqliteJobStore would return it right after insert. */
export function jobRow(overrides: Partial<JobRow> = {}): JobRow {
	const { state, ...fields } = newJob();
	return {
		...fields,
		state: state ?? 'accepted',
		tokenExpired: false,
		progressMessageId: null,
		requestId: null,
		submitAttempt: null,
		submitAttemptAt: null,
		deliveredMessageId: null,
		error: null,
		createdAt: 1_700_000_000_000,
		updatedAt: 1_700_000_000_000,
		submittedAt: null,
		finishedAt: null,
		producedAt: null,
		falWatchMs: 0,
		deliveryRoute: null,
		...overrides,
	};
}
