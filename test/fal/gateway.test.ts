import { ApiError, ValidationError } from '@fal-ai/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FalJobFailed, FalRejected, FalUnreachable } from '../../src/domain/errors.js';
import { classifyFalError, createFalGateway, pickVideo } from '../../src/fal/gateway.js';
import type { FalGateway, FalStatus } from '../../src/jobs/ports.js';
import { FakeFal } from '../../fakes/fal/index.js';

const apiError = (status: number) => new ApiError({ message: `HTTP ${status}`, status, body: { detail: 'x' } });

describe('classifyFalError', () => {
	it('turns a 422 into FalRejected, each field named by the last part of its location', () => {
		const error = new ValidationError({
			message: 'Unprocessable Entity',
			status: 422,
			body: {
				detail: [
					{ loc: ['body', 'motion_bucket_id'], msg: 'Input should be less than or equal to 255', type: 'less_than_equal' },
					{ loc: ['body', 'cond_aug'], msg: 'Input should be a valid number', type: 'float_parsing' },
					{ loc: [], msg: 'Field required', type: 'missing' },
				],
			},
		});
		const classified = classifyFalError(error);
		expect(classified).toBeInstanceOf(FalRejected);
		expect((classified as FalRejected).message).toBe('Unprocessable Entity');
		expect((classified as FalRejected).fields).toEqual([
			{ field: 'motion_bucket_id', message: 'Input should be less than or equal to 255' },
			{ field: 'cond_aug', message: 'Input should be a valid number' },
			{ field: 'input', message: 'Field required' },
		]);
	});

	it('reads a 422 whose detail is a plain string as a refusal of the body', () => {
		const error = new ValidationError({ message: 'Unprocessable Entity', status: 422, body: { detail: 'prompt is unsafe' } as never });
		expect((classifyFalError(error) as FalRejected).fields).toEqual([{ field: 'body', message: 'prompt is unsafe' }]);
	});

	it.each([500, 502, 503, 504, 429, 408])('treats HTTP %i as fal unreachable, keeping the cause', (status) => {
		const error = apiError(status);
		const classified = classifyFalError(error);
		expect(classified).toBeInstanceOf(FalUnreachable);
		expect((classified as FalUnreachable).cause).toBe(error);
		expect((classified as FalUnreachable).message).toBe(`HTTP ${status}`);
	});

	it.each([400, 401, 403, 404, 499])('treats HTTP %i as a failure of the job, keeping the cause', (status) => {
		const error = apiError(status);
		const classified = classifyFalError(error);
		expect(classified).toBeInstanceOf(FalJobFailed);
		expect((classified as FalJobFailed).cause).toBe(error);
	});

	it('treats a connection failure as fal unreachable', () => {
		const error = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
		const classified = classifyFalError(error);
		expect(classified).toBeInstanceOf(FalUnreachable);
		expect((classified as FalUnreachable).message).toBe('fetch failed');
		expect((classified as FalUnreachable).cause).toBe(error);
	});

	it('passes anything else through as it is', () => {
		const reason = new Error('job cancelled');
		expect(classifyFalError(reason)).toBe(reason);
		const domain = new FalJobFailed('already classified');
		expect(classifyFalError(domain)).toBe(domain);
		expect(classifyFalError('a string')).toBe('a string');
		expect(classifyFalError(undefined)).toBeUndefined();
	});
});

describe('pickVideo', () => {
	const file = { url: 'https://v3.fal.media/files/out.mp4', content_type: 'video/mp4', file_name: 'out.mp4', file_size: 10 };

	it('takes the video from `image` (the SVD schema) with its seed', () => {
		expect(pickVideo({ image: file, seed: 7 })).toEqual({ video: file, seed: 7 });
	});

	it('takes the video from `video` (related models), without a seed when there is none', () => {
		expect(pickVideo({ video: file })).toEqual({ video: file, seed: undefined });
		expect(pickVideo({ video: file, seed: '7' })).toEqual({ video: file, seed: undefined });
	});

	it('fails the job when there is no video file, naming the keys it found', () => {
		expect(() => pickVideo({ images: [file] })).toThrow(FalJobFailed);
		expect(() => pickVideo({ images: [file] })).toThrow('fal result has no video file (keys: images)');
		expect(() => pickVideo({ video: { file_name: 'x.mp4' } })).toThrow(FalJobFailed);
		expect(() => pickVideo(null)).toThrow('(keys: none)');
		expect(() => pickVideo(undefined)).toThrow(FalJobFailed);
	});
});

describe('createFalGateway against the fake fal', () => {
	const MODEL = 'fal-ai/svd';
	const INPUT = { image_url: 'https://v3.fal.media/files/panda/abc_source.png' };
	let fal: FakeFal;
	let gateway: FalGateway;

	beforeAll(async () => {
		fal = await FakeFal.start();
		gateway = createFalGateway({ key: fal.key, proxyUrl: fal.url });
	});
	afterAll(async () => {
		await fal.close();
	});
	beforeEach(() => {
		fal.reset();
	});

	const streamOf = (requestId: string) => fal.waitForRequest((r) => r.kind === 'stream' && r.requestId === requestId);

	it('follows a job to COMPLETED, reporting each status, and fetches its video', async () => {
		fal.script({ queuePositions: [2, 1, 0], queueStepMs: 200, runMs: 40, logs: ['Step 1/2', 'Step 2/2'] });
		const id = await gateway.submit(MODEL, INPUT);
		expect(fal.submits.map((s) => s.input)).toEqual([INPUT]);
		const seen: FalStatus[] = [];
		const final = await gateway.watch(MODEL, id, (status) => seen.push(status), new AbortController().signal);
		expect(final.status).toBe('COMPLETED');
		expect(seen.at(-1)?.status).toBe('COMPLETED');
		expect(seen.some((status) => status.status === 'IN_QUEUE')).toBe(true);
		const result = await gateway.result(MODEL, id);
		expect(result.video.url).toBe(fal.job(id)!.videoUrl);
		expect(typeof result.seed).toBe('number');
	});

	it('rejects a watch with the abort reason as soon as it is aborted, and closes the stream', async () => {
		fal.script({ queuePositions: [5], queueStepMs: 600_000 });
		const id = await gateway.submit(MODEL, INPUT);
		const seen: FalStatus[] = [];
		const controller = new AbortController();
		const watching = gateway.watch(MODEL, id, (status) => seen.push(status), controller.signal);
		const stream = await streamOf(id);
		await expect.poll(() => seen.length).toBeGreaterThan(0);
		expect(seen[0]).toMatchObject({ status: 'IN_QUEUE', queue_position: 5 });

		const reason = new Error('job cancelled');
		const abortedAt = Date.now();
		controller.abort(reason);
		await expect(watching).rejects.toBe(reason);
		expect(Date.now() - abortedAt).toBeLessThan(1_000);
		await expect.poll(() => stream.closedAt).toBeDefined();
		expect(stream.completed).toBe(false);
		expect(fal.job(id)).toMatchObject({ status: 'IN_QUEUE', cancelled: false });
	});

	it('rejects at once when aborted before the stream is open, or when the signal has already fired', async () => {
		fal.setDefaultScript({ queuePositions: [5], queueStepMs: 600_000 });
		const id = await gateway.submit(MODEL, INPUT);
		const controller = new AbortController();
		const watching = gateway.watch(MODEL, id, () => undefined, controller.signal);
		const reason = new Error('cancelled while connecting');
		const abortedAt = Date.now();
		controller.abort(reason);
		await expect(watching).rejects.toBe(reason);
		expect(Date.now() - abortedAt).toBeLessThan(1_000);

		const already = new AbortController();
		already.abort(new Error('cancelled during submit'));
		const second = await gateway.submit(MODEL, INPUT);
		await expect(gateway.watch(MODEL, second, () => undefined, already.signal)).rejects.toBe(already.signal.reason);
		// Every stream that was opened is closed again.
		await expect.poll(() => fal.requests.filter((r) => r.kind === 'stream' && r.closedAt === undefined)).toEqual([]);
	});

	it('rejects a watch on a silent stream with the abort reason', async () => {
		fal.script({ queuePositions: [0], queueStepMs: 600_000, silentStream: true });
		const id = await gateway.submit(MODEL, INPUT);
		const seen: FalStatus[] = [];
		const controller = new AbortController();
		const watching = gateway.watch(MODEL, id, (status) => seen.push(status), controller.signal);
		const stream = await streamOf(id);
		expect(stream.status).toBe(200);

		const reason = new DOMException('stopping', 'AbortError');
		controller.abort(reason);
		await expect(watching).rejects.toBe(reason);
		await expect.poll(() => stream.closedAt).toBeDefined();
		expect(seen).toEqual([]);
		expect(stream.events).toBe(0);
	});

	it('classifies the client’s failures: a refused input at the result, a wrong key', async () => {
		fal.script({ queuePositions: [0], queueStepMs: 5, runMs: 5, reject422: { field: 'cond_aug', msg: 'Input should be a valid number' } });
		const id = await gateway.submit(MODEL, INPUT);
		await gateway.watch(MODEL, id, () => undefined, new AbortController().signal);
		const rejected = await gateway.result(MODEL, id).catch((error: unknown) => error);
		expect(rejected).toBeInstanceOf(FalRejected);
		expect((rejected as FalRejected).fields).toEqual([{ field: 'cond_aug', message: 'Input should be a valid number' }]);

		const stranger = createFalGateway({ key: 'wrong:key', proxyUrl: fal.url });
		await expect(stranger.submit(MODEL, INPUT)).rejects.toBeInstanceOf(FalJobFailed);
		// (fal down is not tried here: the client retries a submit over ~7 s before giving up.)
	});
});
