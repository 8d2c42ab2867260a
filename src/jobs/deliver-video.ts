import { rm } from 'node:fs/promises';
import type { JobRow } from '../domain/job.js';
import type { ModelSpec } from '../domain/models.js';
import { Refused } from '../domain/refusal.js';
import type { FalFile, JobMessenger, Media, PostedMessage } from './ports.js';
import { tempVideoPath } from './temp-files.js';

/**
 * Posts the finished video: attached when it fits the server's upload limit, linked otherwise. The
 * video goes through a temporary file, never whole into memory: the upload streams from disk.
 */
export async function deliverVideo(
	deps: { readonly media: Media },
	job: JobRow,
	model: ModelSpec,
	messenger: JobMessenger,
	video: FalFile,
	seed: number | undefined,
	signal: AbortSignal,
): Promise<PostedMessage> {
	const limit = messenger.attachmentSizeLimit;
	const postLink = (size: number) => messenger.postResult({ job, model, seed, link: { url: video.url, size, limit } });
	if (video.file_size !== undefined && video.file_size > limit) return postLink(video.file_size);
	const path = tempVideoPath(job.id);
	try {
		try {
			await deps.media.downloadToFile(video.url, limit, 'the video', path, signal);
		} catch (error) {
			if (!(error instanceof Refused)) throw error;
			return await postLink(video.file_size ?? limit + 1);
		}
		return await messenger.postResult({ job, model, seed }, { path, name: `animate-${seed ?? job.id}.mp4`, contentType: 'video/mp4' });
	} finally {
		await rm(path, { force: true });
	}
}
