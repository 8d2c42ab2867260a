import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { Animator, describeValidationError, stepFromLogs, type AnimateRequest } from '../../src/services/animator.js';
import { pickVideo, ValidationError, type FalGateway, type QueueStatus } from '../../src/services/fal.js';
import type { JobMessenger, ResultPayload } from '../../src/services/job-messenger.js';
import type { ProgressPayload } from '../../src/services/progress.js';
import { FakeDiscord } from '../support/fake-discord/index.js';

const log = createLogger({ level: 'silent', secrets: [] });

/** A fal that queues forever unless told otherwise, recording what the animator asked of it. */
function stuckFal() {
	const calls: string[] = [];
	const fal: FalGateway = {
		async upload(_bytes, _type, name) {
			calls.push(`upload ${name}`);
			return `https://v3.fal.media/files/${name}`;
		},
		async submit() {
			calls.push('submit');
			return 'req-1';
		},
		watch(_model, _id, onStatus, signal) {
			calls.push('watch');
			onStatus({ status: 'IN_QUEUE', queue_position: 2 } as QueueStatus);
			return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
		},
		async result() {
			throw new Error('not reached');
		},
		async cancel() {
			calls.push('cancel');
		},
	};
	return { fal, calls };
}

function recordingMessenger() {
	const edits: ProgressPayload[] = [];
	const posts: ResultPayload[] = [];
	const messenger: JobMessenger = {
		target: { applicationId: '1', interactionToken: 't', channelId: '2', userId: '3', attachmentSizeLimit: 10 * 1024 * 1024 },
		async editProgress(payload) {
			edits.push(payload as ProgressPayload);
			return '4';
		},
		async postResult(payload) {
			posts.push(payload);
			throw new Error('not reached');
		},
	};
	return { messenger, edits, posts };
}

describe('Animator', () => {
	let discord: FakeDiscord;
	let request: AnimateRequest;
	beforeAll(async () => {
		// Used only as a CDN serving the attachment bytes.
		discord = await FakeDiscord.start();
		const image = discord.addAttachment('source-1024x576.png');
		request = { userId: '3', guildId: '5', image: { url: image.url, name: image.filename } };
	});
	afterAll(async () => {
		await discord.close();
	});

	it('refuses options the configured model does not take, before downloading anything', async () => {
		const { fal, calls } = stuckFal();
		const animator = new Animator({ fal, model: 'fal-ai/stable-video', log });
		const { messenger } = recordingMessenger();
		const mask = { url: 'http://127.0.0.1:1/never-fetched.png', name: 'mask.png' };
		await expect(animator.run({ ...request, steps: 30, mask }, messenger)).rejects.toThrow(
			/does not take `steps`, `mask`/,
		);
		await expect(animator.run({ ...request, steps: 30 }, messenger)).rejects.toBeInstanceOf(UserError);
		expect(calls).toEqual([]);
	});

	it('gives up on a job that takes too long, cancels it at fal and offers to retry', async () => {
		const { fal, calls } = stuckFal();
		const animator = new Animator({ fal, model: 'fal-ai/svd', log, jobTimeoutMs: 300, progressIntervalMs: 10 });
		const { messenger, edits } = recordingMessenger();
		await animator.run(request, messenger);
		expect(calls).toEqual(['upload source-1024x576.png', 'submit', 'watch', 'cancel']);
		const last = edits.at(-1)!;
		expect(last.embeds[0]!.toJSON().description).toContain('It took too long, so I gave up on it.');
		expect(last.components[0]!.toJSON().components[0]).toMatchObject({ label: 'Try again' });
		expect(animator.inFlight).toBe(0);
	});

	it('stops waiting for a running job on cancel without cancelling at fal', async () => {
		const { fal, calls } = stuckFal();
		fal.watch = (_model, _id, onStatus, signal) => {
			onStatus({ status: 'IN_PROGRESS', logs: [] } as unknown as QueueStatus);
			return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
		};
		const animator = new Animator({ fal, model: 'fal-ai/svd', log, progressIntervalMs: 10 });
		const { messenger, edits } = recordingMessenger();
		const running = animator.run(request, messenger);
		await expect.poll(() => edits.length).toBeGreaterThan(0);
		const jobId = /job (\S+)/.exec(edits[0]!.embeds[0]!.toJSON().footer!.text)![1]!;
		expect(await animator.cancel(jobId, 'someone-else')).toBe('not-yours');
		expect(await animator.cancel(jobId, '3')).toBe('cancelled');
		await running;
		expect(calls).not.toContain('cancel');
		expect(edits.at(-1)!.embeds[0]!.toJSON().description).toContain("Stopped waiting for it; fal may finish it, but it won't be posted.");
		expect(animator.inFlight).toBe(0);
	});
});

describe('fal result and error helpers', () => {
	it('takes the video from `image` (SVD schema) or `video` (related models)', () => {
		const file = { url: 'https://v3.fal.media/files/out.mp4', content_type: 'video/mp4', file_name: 'out.mp4', file_size: 10 };
		expect(pickVideo({ image: file, seed: 7 })).toEqual({ video: file, seed: 7 });
		expect(pickVideo({ video: file })).toEqual({ video: file, seed: undefined });
		expect(() => pickVideo({ images: [] })).toThrow(/no video file \(keys: images\)/);
	});

	it("names the user's option in a fal 422", () => {
		const error = new ValidationError({
			message: 'Unprocessable Entity',
			status: 422,
			body: { detail: [{ loc: ['body', 'cond_aug'], msg: 'value is not a valid float', type: 'type_error.float' }] },
		});
		expect(describeValidationError(error)).toBe('fal refused the request. `noise`: value is not a valid float');
	});

	it('reads step progress from logs only when the total matches the steps asked for', () => {
		expect(stepFromLogs([{ message: ' 35%|███▌      | 7/20 [00:03<00:06]' }], 20)).toBe(7);
		expect(stepFromLogs([{ message: 'Loading 1/3 shards' }], 20)).toBeUndefined();
		expect(stepFromLogs(undefined, 20)).toBeUndefined();
	});
});
