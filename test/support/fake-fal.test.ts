import { createHash } from 'node:crypto';
import { ApiError, createFalClient, ValidationError, type FalClient, type QueueStatus } from '@fal-ai/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG, catalogEntry, FakeFal, MODEL_ERRORS, REQUEST_ERRORS, type FalErrorType } from '../../fakes/fal/index.js';
import { readFixture } from './fixtures.js';

const MODEL = 'fal-ai/svd';
const IMAGE_URL = 'https://v3.fal.media/files/panda/abc_source.png';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let fal: FakeFal;
let client: FalClient;
/** Same client without retries, so one failing request surfaces immediately (where the call honours config.retry). */
let noRetry: FalClient;

beforeAll(async () => {
	fal = await FakeFal.start();
	client = createFalClient({ credentials: fal.key, proxyUrl: { url: fal.url, when: 'always' } });
	noRetry = createFalClient({ credentials: fal.key, proxyUrl: { url: fal.url, when: 'always' }, retry: { maxRetries: 0 } });
});

afterAll(async () => {
	await fal.close();
});

beforeEach(() => {
	fal.reset();
});

/** Raw request through the proxy, like the client would send it. */
function viaProxy(target: string, init: { method?: string; body?: unknown; key?: string | null } = {}): Promise<Response> {
	const headers: Record<string, string> = { 'x-fal-target-url': target, 'content-type': 'application/json' };
	if (init.key !== null) headers.authorization = `Key ${init.key ?? fal.key}`;
	return fetch(fal.url, {
		method: init.method ?? 'GET',
		headers,
		...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
	});
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
	try {
		await p;
	} catch (err) {
		return err;
	}
	throw new Error('expected the promise to reject');
}

describe('FakeFal queue', () => {
	it('submit + streamStatus shows falling queue positions, logs, COMPLETED; result has the vendor schema and the fixture video', async () => {
		const steps = ['Step 1/4', 'Step 2/4', 'Step 3/4', 'Step 4/4'];
		fal.script({ queuePositions: [3, 2, 1, 0], queueStepMs: 80, runMs: 160, logs: steps });

		const submitted = await client.queue.submit(MODEL, { input: { image_url: IMAGE_URL, seed: 42 } });
		const id = submitted.request_id;
		expect(id).toMatch(UUID);
		expect(submitted.status).toBe('IN_QUEUE');
		expect(submitted.queue_position).toBe(3);
		expect(submitted.response_url).toBe(`https://queue.fal.run/fal-ai/svd/requests/${id}`);
		expect(submitted.status_url).toBe(`https://queue.fal.run/fal-ai/svd/requests/${id}/status`);
		expect(submitted.cancel_url).toBe(`https://queue.fal.run/fal-ai/svd/requests/${id}/cancel`);

		const stream = await client.queue.streamStatus(MODEL, { requestId: id, logs: true });
		const events: QueueStatus[] = [];
		for await (const ev of stream) events.push(ev);

		const positions = events.flatMap((e) => (e.status === 'IN_QUEUE' ? [e.queue_position] : []));
		// falling positions ending at 0 (a very slow stream connect may miss the first one)
		expect(positions.length).toBeGreaterThanOrEqual(3);
		expect(positions).toEqual([3, 2, 1, 0].slice(4 - positions.length));
		const logs = events.flatMap((e) => (e.status !== 'IN_QUEUE' && Array.isArray(e.logs) ? e.logs.map((l) => l.message) : []));
		expect(logs).toEqual(steps);
		const last = events[events.length - 1];
		expect(last?.status).toBe('COMPLETED');
		expect(last && 'metrics' in last ? last.metrics : undefined).toEqual({ inference_time: 0.16 });
		expect(events.filter((e) => e.status === 'COMPLETED')).toHaveLength(1);

		const result = await client.queue.result(MODEL, { requestId: id });
		expect(result.requestId).toBe(id);
		const video = readFixture('svd-output-25f-1024x576.mp4');
		const data = result.data as { image: { url: string; content_type: string; file_name: string; file_size: number }; seed: number };
		expect(data.seed).toBe(42);
		expect(data.image).toEqual({
			url: `${fal.origin}/files/output/${id}/output.mp4`,
			content_type: 'video/mp4',
			file_name: 'output.mp4',
			file_size: video.length,
		});
		const download = await fetch(data.image.url);
		expect(download.headers.get('content-type')).toBe('video/mp4');
		expect(Buffer.from(await download.arrayBuffer()).equals(video)).toBe(true);

		expect(fal.requestCount(id)).toBe(3);
		expect(fal.requestsFor(id).map((r) => r.kind)).toEqual(['submit', 'stream', 'result']);
		expect(fal.submits).toHaveLength(1);
		expect(fal.submits[0]).toMatchObject({ requestId: id, model: MODEL, input: { image_url: IMAGE_URL, seed: 42 } });
		expect(fal.job(id)).toMatchObject({ status: 'COMPLETED', cancelled: false, failed: false });
	});

	it('subscribe via streaming makes 3 requests; polling the same job makes many more', async () => {
		fal.setDefaultScript({ queuePositions: [2, 1, 0], queueStepMs: 60, runMs: 180, logs: ['a', 'b', 'c'] });
		const input = { image_url: IMAGE_URL };

		const streamUpdates: QueueStatus[] = [];
		let streamId = '';
		const streamed = await client.subscribe(MODEL, {
			input,
			mode: 'streaming',
			logs: true,
			onEnqueue: (rid) => (streamId = rid),
			onQueueUpdate: (u) => streamUpdates.push(u),
		});
		expect(streamed.requestId).toBe(streamId);
		expect(fal.requestCount(streamId)).toBe(3);
		const lastStream = streamUpdates[streamUpdates.length - 1];
		expect(lastStream?.status).toBe('COMPLETED');
		// the client accumulates the streamed log deltas
		expect(lastStream && 'logs' in lastStream ? lastStream.logs.map((l) => l.message) : []).toEqual(['a', 'b', 'c']);

		const pollUpdates: QueueStatus[] = [];
		let pollId = '';
		const polled = await client.subscribe(MODEL, {
			input,
			mode: 'polling',
			pollInterval: 20,
			logs: true,
			onEnqueue: (rid) => (pollId = rid),
			onQueueUpdate: (u) => pollUpdates.push(u),
		});
		expect(polled.requestId).toBe(pollId);
		const pollCount = fal.requestCount(pollId);
		expect(pollCount).toBeGreaterThanOrEqual(10);
		expect(pollCount).toBeGreaterThan(3 * fal.requestCount(streamId));
		const seen = [...new Set(pollUpdates.map((u) => u.status))];
		expect(seen).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED']);
		const lastPoll = pollUpdates[pollUpdates.length - 1];
		expect(lastPoll && 'logs' in lastPoll ? lastPoll.logs.map((l) => l.message) : []).toEqual(['a', 'b', 'c']);
	});

	it('status answers 202 while pending and 200 when COMPLETED; logs only with logs=1; result before completion is 400', async () => {
		// queued 0-200 ms, running 200-500 ms, logs at 200 and 350 ms
		fal.script({ queuePositions: [1, 0], queueStepMs: 100, runMs: 300, logs: ['Step 1/2', 'Step 2/2'] });
		const { request_id: id } = await client.queue.submit(MODEL, { input: { image_url: IMAGE_URL } });
		const statusUrl = `https://queue.fal.run/fal-ai/svd/requests/${id}/status`;

		const queued = await viaProxy(`${statusUrl}?logs=1`);
		expect(queued.status).toBe(202);
		expect(await queued.json()).toMatchObject({ status: 'IN_QUEUE', queue_position: 1, request_id: id });

		const early = await rejection(client.queue.result(MODEL, { requestId: id }));
		expect(early).toBeInstanceOf(ApiError);
		expect((early as ApiError<unknown>).status).toBe(400);
		expect((early as ApiError<{ detail: string }>).body.detail).toBe('Request is still in progress');

		await new Promise((r) => setTimeout(r, 260));
		const running = await client.queue.status(MODEL, { requestId: id, logs: true });
		expect(running.status).toBe('IN_PROGRESS');
		expect(running.status === 'IN_PROGRESS' ? running.logs.map((l) => l.message) : []).toEqual(['Step 1/2']);
		const runningNoLogs = await viaProxy(`${statusUrl}?logs=0`);
		expect(runningNoLogs.status).toBe(202);
		expect(((await runningNoLogs.json()) as { logs: unknown }).logs).toBeNull();

		await new Promise((r) => setTimeout(r, 300));
		const done = await viaProxy(`${statusUrl}?logs=1`);
		expect(done.status).toBe(200);
		const body = (await done.json()) as { status: string; logs: Array<{ message: string; level: string; source: string }> };
		expect(body.status).toBe('COMPLETED');
		expect(body.logs.map((l) => [l.message, l.level, l.source])).toEqual([
			['Step 1/2', 'INFO', 'USER'],
			['Step 2/2', 'INFO', 'USER'],
		]);
	});

	it('a model sub-path is kept on submit but dropped from the URLs it returns; the full-id form works too; resultFile overrides the video', async () => {
		const big = Buffer.alloc(64 * 1024, 7);
		fal.script({ resultFile: big });
		const sub = await client.queue.submit(`${MODEL}/foo`, { input: { image_url: IMAGE_URL } });
		expect(fal.requests[0]?.targetUrl).toBe('https://queue.fal.run/fal-ai/svd/foo');
		expect(sub.status_url).toBe(`https://queue.fal.run/fal-ai/svd/requests/${sub.request_id}/status`);
		await client.queue.subscribeToStatus(`${MODEL}/foo`, { requestId: sub.request_id, mode: 'streaming' });
		const res = await client.queue.result(`${MODEL}/foo`, { requestId: sub.request_id });
		// not a catalogued endpoint: unvalidated, and the SVD output shape
		const data = res.data as { image: { url: string; file_size: number } };
		expect(data.image.file_size).toBe(big.length);
		expect(Buffer.from(await (await fetch(data.image.url)).arrayBuffer()).equals(big)).toBe(true);
		// the full endpoint id (the OpenAPI form) names the job as well
		const full = await viaProxy(`https://queue.fal.run/fal-ai/svd/foo/requests/${sub.request_id}/status`);
		expect(full.status).toBe(200);
		expect(await full.json()).toMatchObject({ status: 'COMPLETED', request_id: sub.request_id });
		// another endpoint id, or another sub-path, does not
		expect((await viaProxy(`https://queue.fal.run/fal-ai/svd/bar/requests/${sub.request_id}/status`)).status).toBe(404);
		expect((await viaProxy(`https://queue.fal.run/fal-ai/stable-video/requests/${sub.request_id}/status`)).status).toBe(404);
	});

	it("outcome 'never' stays IN_PROGRESS until release()", async () => {
		fal.script({ outcome: 'never', runMs: 20 });
		const { request_id: id } = await client.queue.submit(MODEL, { input: { image_url: IMAGE_URL } });
		await new Promise((r) => setTimeout(r, 150));
		expect((await client.queue.status(MODEL, { requestId: id })).status).toBe('IN_PROGRESS');
		const done = client.queue.subscribeToStatus(MODEL, { requestId: id, mode: 'streaming' });
		setTimeout(() => fal.release(id), 50);
		expect((await done).status).toBe('COMPLETED');
		expect(fal.job(id)?.status).toBe('COMPLETED');
	});
});

/** Submit, wait for COMPLETED over the stream, then fetch the result: what a bot does. */
async function runToResult(
	model: string,
	input: Record<string, unknown>,
): Promise<{ id: string; submitted: { status: string }; result: Promise<{ data: unknown; requestId: string }> }> {
	const submitted = await client.queue.submit(model, { input });
	const id = submitted.request_id;
	const done = await client.queue.subscribeToStatus(model, { requestId: id, mode: 'streaming' });
	expect(done.status).toBe('COMPLETED');
	const result = client.queue.result(model, { requestId: id });
	result.catch(() => undefined); // examined by the caller
	return { id, submitted, result };
}

const KLING = 'fal-ai/kling-video/v2.5-turbo/standard/image-to-video';
const KLING21 = 'fal-ai/kling-video/v2.1/standard/image-to-video';
const HAILUO = 'fal-ai/minimax/hailuo-02/standard/image-to-video';
const LUMA = 'fal-ai/luma-dream-machine/ray-2-flash/image-to-video';
const WAN = 'fal-ai/wan/v2.2-a14b/image-to-video/turbo';
const PROMPT = 'a cat chasing a red dot';

describe('FakeFal holding a submit (a caller killed mid-submit)', () => {
	const submit = (signal?: AbortSignal) =>
		noRetry.queue.submit(MODEL, { input: { image_url: IMAGE_URL }, ...(signal ? { abortSignal: signal } : {}) });

	it('before the queue takes it: a caller that hangs up leaves nothing at fal; a released one is queued', async () => {
		const dropped = fal.holdNextSubmit('before-accept');
		const caller = new AbortController();
		const hungUp = rejection(submit(caller.signal));
		await dropped.reached;
		caller.abort();
		await hungUp;
		expect(await dropped.ended).toBe('hung-up');
		const held = fal.holdNextSubmit('before-accept');
		const answered = submit();
		await held.reached;
		expect(fal.submits).toHaveLength(0);
		// Releasing the first now changes nothing: it ended when its caller hung up.
		dropped.release();
		held.release();
		const { request_id: id } = await answered;
		expect(fal.submits.map((s) => s.requestId)).toEqual([id]);
	});

	it('after the queue took it: a caller that hangs up never learns the id, and the request runs on', async () => {
		const hold = fal.holdNextSubmit('after-accept');
		const caller = new AbortController();
		const hungUp = rejection(submit(caller.signal));
		await hold.reached;
		expect(fal.submits).toHaveLength(1);
		caller.abort();
		await hungUp;
		expect(await hold.ended).toBe('hung-up');
		const { requestId } = fal.submits[0]!;
		await expect.poll(async () => (await client.queue.status(MODEL, { requestId })).status).toBe('COMPLETED');
	});
});

describe('FakeFal validation (each catalogued endpoint against its own schema, deferred like fal)', () => {
	beforeEach(() => fal.setDefaultScript({ queuePositions: [0], queueStepMs: 5, runMs: 10 }));

	it('the catalogue holds the eight endpoints copied into fal-models/', () => {
		expect([...CATALOG.keys()].sort()).toEqual([MODEL, 'fal-ai/stable-video', 'fal-ai/fast-svd-lcm', WAN, KLING, KLING21, HAILUO, LUMA].sort());
	});

	// [endpoint, a valid input, the output keys, an invalid input, the field, pydantic type, ctx]
	const endpoints: Array<[string, Record<string, unknown>, string[], Record<string, unknown>, string, string, Record<string, unknown> | undefined]> =
		[
			[MODEL, { image_url: IMAGE_URL, seed: 42 }, ['image', 'seed'], { image_url: IMAGE_URL, steps: 2.5 }, 'steps', 'int_from_float', undefined],
			[
				'fal-ai/stable-video',
				{ image_url: IMAGE_URL, seed: 42, fps: 100 },
				['seed', 'video'],
				{ image_url: IMAGE_URL, motion_bucket_id: 256 },
				'motion_bucket_id',
				'less_than_equal',
				{ le: 255 },
			],
			[
				'fal-ai/fast-svd-lcm',
				{ image_url: IMAGE_URL, seed: 42, steps: 20 },
				['seed', 'video'],
				{ image_url: IMAGE_URL, fps: 0 },
				'fps',
				'greater_than_equal',
				{ ge: 1 },
			],
			[
				WAN,
				{ image_url: IMAGE_URL, prompt: PROMPT, seed: 42, resolution: '480p' },
				['prompt', 'seed', 'video'],
				{ image_url: IMAGE_URL },
				'prompt',
				'missing',
				undefined,
			],
			[
				KLING,
				{ image_url: IMAGE_URL, prompt: PROMPT, duration: '10' },
				['video'],
				{ image_url: IMAGE_URL, prompt: 'x'.repeat(2501) },
				'prompt',
				'string_too_long',
				{ max_length: 2500 },
			],
			[
				KLING21,
				{ image_url: IMAGE_URL, prompt: PROMPT, cfg_scale: 1 },
				['video'],
				{ image_url: IMAGE_URL, prompt: PROMPT, duration: 5 },
				'duration',
				'literal_error',
				{ expected: "'5' or '10'" },
			],
			[
				HAILUO,
				{ image_url: IMAGE_URL, prompt: PROMPT, duration: '6', resolution: '768P' },
				['video'],
				{ image_url: IMAGE_URL, prompt: PROMPT, resolution: '768p' },
				'resolution',
				'literal_error',
				{ expected: "'512P' or '768P'" },
			],
			[
				LUMA,
				{ prompt: PROMPT, unknown_key: 'kept' },
				['video'],
				{ prompt: 'ab', image_url: IMAGE_URL },
				'prompt',
				'string_too_short',
				{ min_length: 3 },
			],
		];

	it.each(endpoints)('%s: a valid input gets the real output shape', async (model, input, keys) => {
		const { id, result } = await runToResult(model, input);
		const { data, requestId } = await result;
		expect(requestId).toBe(id);
		expect(Object.keys(data as object).sort()).toEqual(keys);
		const entry = catalogEntry(model);
		expect(entry?.validateOutput(data), JSON.stringify(entry?.validateOutput.errors)).toBe(true);
		const file = (data as Record<string, { url: string; content_type: string; file_size: number }>)[entry?.videoKey ?? ''];
		expect(file).toMatchObject({ url: `${fal.origin}/files/output/${id}/output.mp4`, content_type: 'video/mp4', file_name: 'output.mp4' });
		if (keys.includes('seed')) expect((data as { seed: number }).seed).toBe(42);
		if (keys.includes('prompt')) expect((data as { prompt: string }).prompt).toBe(PROMPT);
		const video = Buffer.from(await (await fetch(file?.url ?? '')).arrayBuffer());
		expect(video.length).toBe(file?.file_size);
		expect(fal.job(id)).toMatchObject({ model, status: 'COMPLETED', failed: false, validationErrors: [], resultStatus: 200 });
	});

	it.each(endpoints)(
		'%s: an invalid input is queued (200 IN_QUEUE), then the result is a 422 naming the field',
		async (model, _valid, _keys, input, field, type, ctx) => {
			const { id, submitted, result } = await runToResult(model, input);
			expect(submitted.status).toBe('IN_QUEUE');
			expect(fal.requestsFor(id).find((r) => r.kind === 'submit')?.status).toBe(200);
			const err = await rejection(result);
			expect(err).toBeInstanceOf(ValidationError);
			const v = err as ValidationError;
			expect(v.status).toBe(422);
			expect(v.requestId).toBe(id);
			expect(v.fieldErrors).toHaveLength(1);
			const [fe] = v.getFieldErrors(field) as unknown as Array<Record<string, unknown>>;
			expect(fe).toMatchObject({ loc: ['body', field], type, url: `https://docs.fal.ai/errors/#${type}` });
			expect(typeof fe?.msg).toBe('string');
			if (ctx) expect(fe?.ctx).toEqual(ctx);
			else expect(fe).not.toHaveProperty('ctx');
			expect(fe).toHaveProperty('input', type === 'missing' ? input : input[field]);
			// the status reached COMPLETED like any other job, without error/error_type (undocumented for model 4xx)
			const status = await client.queue.status(model, { requestId: id });
			expect(status).toMatchObject({ status: 'COMPLETED' });
			expect(status).not.toHaveProperty('error');
			expect(fal.job(id)).toMatchObject({ status: 'COMPLETED', failed: true, resultStatus: 422 });
		},
	);

	const svdCases: Array<[string, Record<string, unknown>, string, string, string]> = [
		['missing image_url', {}, 'image_url', 'missing', 'Field required'],
		[
			'motion_bucket_id 1.5',
			{ image_url: IMAGE_URL, motion_bucket_id: 1.5 },
			'motion_bucket_id',
			'int_from_float',
			'Input should be a valid integer, got a number with a fractional part',
		],
		[
			"cond_aug 'x'",
			{ image_url: IMAGE_URL, cond_aug: 'x' },
			'cond_aug',
			'float_parsing',
			'Input should be a valid number, unable to parse string as a number',
		],
		["seed 'a'", { image_url: IMAGE_URL, seed: 'a' }, 'seed', 'int_parsing', 'Input should be a valid integer, unable to parse string as an integer'],
		['seed [] ', { image_url: IMAGE_URL, seed: [] }, 'seed', 'int_type', 'Input should be a valid integer'],
		['image_url not a string', { image_url: 5 }, 'image_url', 'string_type', 'Input should be a valid string'],
	];

	it.each(svdCases)('fal-ai/svd %s → result 422 ValidationError on the field', async (_name, input, field, type, msg) => {
		const { result } = await runToResult(MODEL, input);
		const v = (await rejection(result)) as ValidationError;
		expect(v).toBeInstanceOf(ValidationError);
		expect(v.fieldErrors).toHaveLength(1);
		expect(v.getFieldErrors(field)[0]).toMatchObject({ loc: ['body', field], type, msg });
	});

	it('every failing field is reported, one entry each, with 0 billable units', async () => {
		const { id, result } = await runToResult('fal-ai/stable-video', { image_url: '', motion_bucket_id: 0, fps: 101, seed: 'x' });
		const v = (await rejection(result)) as ValidationError;
		expect(v.fieldErrors.map((e) => [e.loc[1], e.type]).sort()).toEqual([
			['fps', 'less_than_equal'],
			['image_url', 'string_too_short'],
			['motion_bucket_id', 'greater_than_equal'],
			['seed', 'int_parsing'],
		]);
		expect(v.getFieldErrors('image_url')[0]?.msg).toBe('String should have at least 1 character');
		expect(fal.requestsFor(id).find((r) => r.kind === 'result')?.responseHeaders?.['x-fal-billable-units']).toBe('0');
	});

	it('fal-ai/svd has no published limits: out-of-range values that other SVD endpoints refuse are accepted', async () => {
		const input = { image_url: IMAGE_URL, motion_bucket_id: 0, cond_aug: 50, steps: 500, fps: 1000, seed: 7 };
		const { result } = await runToResult(MODEL, input);
		expect(((await result).data as { seed: number }).seed).toBe(7);
		const refused = await runToResult('fal-ai/stable-video', { image_url: IMAGE_URL, motion_bucket_id: 0 });
		expect(await rejection(refused.result)).toBeInstanceOf(ValidationError);
	});

	it("pydantic's lax mode: numeric strings and null optionals pass; a number for a string enum does not", async () => {
		const ok = await runToResult('fal-ai/stable-video', { image_url: IMAGE_URL, motion_bucket_id: '200', cond_aug: '0.5', seed: null });
		expect((await ok.result).data).toHaveProperty('video');
		const bad = await runToResult(KLING, { image_url: IMAGE_URL, prompt: PROMPT, duration: 10 });
		expect(((await rejection(bad.result)) as ValidationError).getFieldErrors('duration')[0]?.type).toBe('literal_error');
	});

	it('an endpoint outside the catalogue is not validated', async () => {
		const { id, result } = await runToResult('fal-ai/some-other-model', { anything: true });
		expect(((await result).data as { image: { url: string } }).image.url).toContain(id);
		expect(fal.job(id)).not.toHaveProperty('validationErrors');
	});

	it('reject422 (a FieldException) is deferred like any model error: submit 200, result 422 on that field', async () => {
		fal.script({ reject422: { field: 'image_url', msg: 'Could not download the image', type: 'image_load_error' } });
		const { submitted, result } = await runToResult(MODEL, { image_url: IMAGE_URL });
		expect(submitted.status).toBe('IN_QUEUE');
		const err = await rejection(result);
		expect(err).toBeInstanceOf(ValidationError);
		expect((err as ValidationError).getFieldErrors('image_url')).toEqual([
			{ loc: ['body', 'image_url'], msg: 'Could not download the image', type: 'image_load_error' },
		]);
		const next = await runToResult(MODEL, { image_url: IMAGE_URL });
		expect((await next.result).data).toHaveProperty('image');
	});
});

describe('FakeFal cancel and failures', () => {
	it('cancel while queued → 202 CANCELLATION_REQUESTED; the stream ends with a cancelled COMPLETED; result errors', async () => {
		fal.script({ queuePositions: [5, 4, 3, 2, 1, 0], queueStepMs: 200 });
		const { request_id: id, cancel_url } = await client.queue.submit(MODEL, { input: { image_url: IMAGE_URL } });
		const stream = await client.queue.streamStatus(MODEL, { requestId: id });
		const events: QueueStatus[] = [];
		stream.on('data', (e: QueueStatus) => events.push(e));
		await new Promise((r) => setTimeout(r, 50));

		const cancel = await viaProxy(cancel_url, { method: 'PUT' });
		expect(cancel.status).toBe(202);
		expect(await cancel.json()).toEqual({ status: 'CANCELLATION_REQUESTED' });

		const started = Date.now();
		const last = await stream.done();
		expect(Date.now() - started).toBeLessThan(500); // ended promptly, not after the 1.2 s queue
		expect(last).toMatchObject({ status: 'COMPLETED', error: 'The request was cancelled by the client.', error_type: 'client_cancelled' });
		expect(events.map((e) => e.status)).toEqual(['IN_QUEUE', 'COMPLETED']);
		expect(fal.job(id)).toMatchObject({ status: 'COMPLETED', cancelled: true, failed: true });

		const err = await rejection(client.queue.result(MODEL, { requestId: id }));
		expect(err).toBeInstanceOf(ApiError);
		expect((err as ApiError<unknown>).status).toBe(499);
		expect((err as ApiError<unknown>).body).toEqual({ detail: 'The request was cancelled by the client.', error_type: 'client_cancelled' });
	});

	it('cancel while in progress → 202 and the job stops (by default)', async () => {
		fal.script({ runMs: 2_000, logs: ['Step 1/2', 'Step 2/2'] });
		const { request_id: id } = await client.queue.submit(MODEL, { input: { image_url: IMAGE_URL } });
		await new Promise((r) => setTimeout(r, 120));
		expect(fal.job(id)?.status).toBe('IN_PROGRESS');
		await client.queue.cancel(MODEL, { requestId: id });
		expect(fal.job(id)).toMatchObject({ status: 'COMPLETED', cancelled: true });
		expect(fal.requestsFor(id).find((r) => r.kind === 'cancel')?.status).toBe(202);
	});

	it('cancel after completion → 400 ALREADY_COMPLETED', async () => {
		fal.script({ runMs: 10, queueStepMs: 10 });
		const { request_id: id } = await client.queue.submit(MODEL, { input: { image_url: IMAGE_URL } });
		await client.queue.subscribeToStatus(MODEL, { requestId: id, mode: 'streaming' });
		const err = await rejection(client.queue.cancel(MODEL, { requestId: id }));
		expect(err).toBeInstanceOf(ApiError);
		expect((err as ApiError<unknown>).status).toBe(400);
		expect((err as ApiError<unknown>).body).toEqual({ status: 'ALREADY_COMPLETED' });
	});

	it("outcome 'error' → status COMPLETED with error + runner_server_error, result rejects with 500", async () => {
		fal.script({ outcome: 'error', errorMessage: 'CUDA out of memory', runMs: 30 });
		const err = await rejection(client.subscribe(MODEL, { input: { image_url: IMAGE_URL }, mode: 'streaming' }));
		expect(err).toBeInstanceOf(ApiError);
		expect((err as ApiError<unknown>).status).toBe(500);
		expect((err as ApiError<{ detail: string }>).body.detail).toBe('CUDA out of memory');
		const id = fal.submits[0]?.requestId ?? '';
		expect(fal.job(id)).toMatchObject({ status: 'COMPLETED', failed: true, cancelled: false });
		const status = await client.queue.status(MODEL, { requestId: id });
		expect(status).toMatchObject({ status: 'COMPLETED', error: 'CUDA out of memory', error_type: 'runner_server_error' });
		expect((err as ApiError<{ error_type: string }>).body.error_type).toBe('runner_server_error');
	});

	it('failNext(2) → the next two requests are 503 ApiErrors, then service resumes', async () => {
		fal.failNext(2);
		for (let i = 0; i < 2; i++) {
			const err = await rejection(noRetry.queue.cancel(MODEL, { requestId: 'any' }));
			expect(err).toBeInstanceOf(ApiError);
			expect((err as ApiError<unknown>).status).toBe(503);
		}
		const after = await rejection(noRetry.queue.cancel(MODEL, { requestId: 'any' }));
		expect((after as ApiError<unknown>).status).toBe(404); // served again: unknown request id
	});

	it("the real client's queue retry rides out a one-request 503 burst", async () => {
		fal.failNext(1);
		const { request_id } = await client.queue.submit(MODEL, { input: { image_url: IMAGE_URL } });
		expect(request_id).toMatch(UUID);
		expect(fal.requests.map((r) => [r.kind, r.status])).toEqual([
			['submit', 503],
			['submit', 200],
		]);
	});

	it('setDown(true) → connections fail at the socket; setDown(false) → back', async () => {
		fal.setDown(true);
		const err = await rejection(fetch(fal.url));
		expect(err).toBeInstanceOf(TypeError);
		expect((err as Error).message).toBe('fetch failed');
		const clientErr = await rejection(noRetry.queue.cancel(MODEL, { requestId: 'x' }));
		expect(clientErr).not.toBeInstanceOf(ApiError);
		expect((clientErr as Error).message).toBe('fetch failed');
		fal.setDown(false);
		const res = await fetch(fal.url);
		expect(res.status).toBe(400);
	});

	it('a wrong or missing key → 401', async () => {
		const wrong = createFalClient({ credentials: 'nope:nope', proxyUrl: { url: fal.url, when: 'always' } });
		const err = await rejection(wrong.queue.submit(MODEL, { input: { image_url: IMAGE_URL } }));
		expect(err).toBeInstanceOf(ApiError);
		expect((err as ApiError<unknown>).status).toBe(401);
		const missing = await viaProxy('https://queue.fal.run/fal-ai/svd', { method: 'POST', body: { image_url: IMAGE_URL }, key: null });
		expect(missing.status).toBe(401);
		expect(fal.submits).toHaveLength(0);
	});

	it('proxy errors: no x-fal-target-url → 400, unknown target → 404, unknown request id → 404', async () => {
		expect((await fetch(fal.url, { method: 'POST' })).status).toBe(400);
		expect((await viaProxy('https://example.com/whatever')).status).toBe(404);
		const unknown = await rejection(client.queue.status(MODEL, { requestId: '00000000-0000-4000-8000-000000000000' }));
		expect((unknown as ApiError<unknown>).status).toBe(404);
	});
});

describe('FakeFal storage', () => {
	it('storage.upload of a PNG → v3 file_url; PUT goes direct to the loopback upload_url; bytes recorded with sha256', async () => {
		const png = readFixture('source-1024x576.png');
		const fileUrl = await client.storage.upload(new File([png], 'source.png', { type: 'image/png' }));
		expect(fileUrl).toMatch(/^https:\/\/v3\.fal\.media\/files\/[a-z]+\/[A-Za-z0-9_-]+_source\.png$/);
		const rec = fal.upload(fileUrl);
		expect(rec).toBeDefined();
		expect(rec?.contentType).toBe('image/png');
		expect(rec?.size).toBe(png.length);
		expect(rec?.sha256).toBe(createHash('sha256').update(png).digest('hex'));
		expect(rec?.bytes.equals(png)).toBe(true);
		expect(fal.requests.map((r) => [r.kind, r.via, r.status])).toEqual([
			['upload-initiate', 'proxy', 200],
			['upload-put', 'direct', 200],
		]);
		expect(fal.requests[0]?.targetUrl).toBe('https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3');

		// served back through the proxy and at the loopback alias
		const viaCdn = await viaProxy(fileUrl);
		expect(Buffer.from(await viaCdn.arrayBuffer()).equals(png)).toBe(true);
		const local = await fetch(rec?.localUrl ?? '');
		expect(local.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await local.arrayBuffer()).equals(png)).toBe(true);
	});

	it('a Blob in the submit input is uploaded first and replaced by its file_url', async () => {
		const png = readFixture('mask-1024x576.png');
		const { request_id } = await client.queue.submit(MODEL, {
			input: { image_url: IMAGE_URL, mask_image_url: new Blob([png], { type: 'image/png' }) },
		});
		const input = fal.submits[0]?.input as { mask_image_url: string };
		expect(fal.submits[0]?.requestId).toBe(request_id);
		expect(fal.upload(input.mask_image_url)?.sha256).toBe(createHash('sha256').update(png).digest('hex'));
	});

	it('the older rest.alpha.fal.ai host and the multipart protocol work too', async () => {
		const init = await viaProxy('https://rest.alpha.fal.ai/storage/upload/initiate-multipart?storage_type=fal-cdn-v3', {
			method: 'POST',
			body: { content_type: 'video/mp4', file_name: 'big.mp4' },
		});
		expect(init.status).toBe(200);
		const { upload_url, file_url } = (await init.json()) as { upload_url: string; file_url: string };
		const u = new URL(upload_url);
		const a = Buffer.alloc(1000, 1);
		const b = Buffer.alloc(500, 2);
		const parts: { partNumber: number; etag: string }[] = [];
		for (const [i, chunk] of [a, b].entries()) {
			const r = await fetch(`${u.origin}${u.pathname}/${i + 1}${u.search}`, { method: 'PUT', body: chunk });
			parts.push((await r.json()) as { partNumber: number; etag: string });
		}
		expect(parts.map((p) => p.partNumber)).toEqual([1, 2]);
		const done = await fetch(`${u.origin}${u.pathname}/complete${u.search}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ parts }),
		});
		expect(done.status).toBe(200);
		const rec = fal.upload(file_url);
		expect(rec?.size).toBe(1500);
		expect(rec?.multipart).toBe(true);
		expect(rec?.bytes.equals(Buffer.concat([a, b]))).toBe(true);
	});
});

describe('FakeFal runner failures after COMPLETED (queue-errors.md 2/2a)', () => {
	beforeEach(() => fal.setDefaultScript({ queuePositions: [0], queueStepMs: 5, runMs: 10 }));

	it('every documented type answers its status code and body shape; request errors carry X-Fal-Error-Type', async () => {
		const types = [...Object.keys(REQUEST_ERRORS), ...Object.keys(MODEL_ERRORS)] as FalErrorType[];
		for (const type of types) fal.script({ fail: { type } });
		const ids: string[] = [];
		for (let i = 0; i < types.length; i++)
			ids.push((await client.queue.submit(KLING, { input: { image_url: IMAGE_URL, prompt: PROMPT } })).request_id);
		for (const id of ids) await client.queue.subscribeToStatus(KLING, { requestId: id, mode: 'streaming' });
		for (const [i, type] of types.entries()) {
			const res = await viaProxy(`https://queue.fal.run/fal-ai/kling-video/requests/${ids[i]}`);
			const body = (await res.json()) as { detail: unknown; error_type?: string };
			const status = await (await viaProxy(`https://queue.fal.run/fal-ai/kling-video/requests/${ids[i]}/status`)).json();
			if (type in REQUEST_ERRORS) {
				const known = REQUEST_ERRORS[type as keyof typeof REQUEST_ERRORS];
				expect([type, res.status]).toEqual([type, known.status]);
				expect(res.headers.get('x-fal-error-type')).toBe(type);
				expect(body).toEqual({ detail: known.detail, error_type: type });
				expect(status).toMatchObject({ status: 'COMPLETED', error: known.detail, error_type: type });
			} else {
				const known = MODEL_ERRORS[type as keyof typeof MODEL_ERRORS] as { status: number; msg: string; field?: string };
				expect([type, res.status]).toEqual([type, known.status]);
				expect(res.headers.get('x-fal-error-type')).toBeNull();
				expect(body.detail).toEqual([
					expect.objectContaining({
						loc: known.field ? ['body', known.field] : ['body'],
						msg: known.msg,
						type,
						url: `https://docs.fal.ai/errors/#${type}`,
					}),
				]);
				expect(status).toMatchObject({ status: 'COMPLETED', error: known.msg, error_type: type });
			}
			expect(res.headers.get('x-fal-request-id')).toBe(ids[i]);
		}
	});

	it.each([
		['internal_error', 500],
		['runner_server_error', 500],
		['bad_request', 400],
		['client_disconnected', 499],
	] as const)('request error %s: queue.result throws ApiError %i with {detail, error_type}', async (type, code) => {
		fal.script({ fail: { type, detail: `boom: ${type}` } });
		const { id, result } = await runToResult(KLING, { image_url: IMAGE_URL, prompt: PROMPT });
		const err = await rejection(result);
		expect(err).toBeInstanceOf(ApiError);
		expect(err).not.toBeInstanceOf(ValidationError);
		expect((err as ApiError<unknown>).status).toBe(code);
		expect((err as ApiError<unknown>).requestId).toBe(id);
		expect((err as ApiError<unknown>).body).toEqual({ detail: `boom: ${type}`, error_type: type });
		const results = fal.requestsFor(id).filter((r) => r.kind === 'result');
		expect(results.map((r) => [r.status, r.responseHeaders?.['x-fal-error-type']])).toEqual([[code, type]]);
	});

	it.each([
		['content_policy_violation', 422, ['body']],
		['no_media_generated', 422, ['body']],
		['image_too_small', 422, ['body', 'image_url']],
		['file_download_error', 422, ['body', 'image_url']],
		['internal_server_error', 500, ['body']],
		['downstream_service_error', 400, ['body']],
	] as const)('model error %s: queue.result throws %i with detail[] (ValidationError when 422)', async (type, code, loc) => {
		fal.script({ fail: { type } });
		const { id, result } = await runToResult(WAN, { image_url: IMAGE_URL, prompt: PROMPT });
		const err = (await rejection(result)) as ApiError<{ detail: Array<Record<string, unknown>> }>;
		expect(err).toBeInstanceOf(code === 422 ? ValidationError : ApiError);
		expect(err.status).toBe(code);
		expect(err.body.detail).toHaveLength(1);
		expect(err.body.detail[0]).toMatchObject({ loc, type, url: `https://docs.fal.ai/errors/#${type}` });
		if (type === 'image_too_small') {
			expect(err.body.detail[0]).toMatchObject({ ctx: { min_height: 512, min_width: 512 }, input: IMAGE_URL });
			expect((err as unknown as ValidationError).getFieldErrors('image_url')).toHaveLength(1);
		}
		expect(fal.job(id)).toMatchObject({ status: 'COMPLETED', failed: true, resultStatus: code });
	});

	it('request_timeout (504) and runner_disconnected (503) stay failed: the client retries the result 3 times, then throws', async () => {
		fal.script({ fail: { type: 'request_timeout' } });
		const { id, result } = await runToResult(MODEL, { image_url: IMAGE_URL });
		const err = await rejection(result);
		expect(err).toBeInstanceOf(ApiError);
		expect((err as ApiError<unknown>).status).toBe(504);
		expect((err as ApiError<unknown>).body).toEqual({ detail: 'Request timed out', error_type: 'request_timeout' });
		expect(
			fal
				.requestsFor(id)
				.filter((r) => r.kind === 'result')
				.map((r) => r.status),
		).toEqual([504, 504, 504, 504]);

		fal.script({ fail: { type: 'runner_disconnected', retryable: true } });
		const second = await runToResult(MODEL, { image_url: IMAGE_URL });
		const raw = await viaProxy(`https://queue.fal.run/fal-ai/svd/requests/${second.id}`);
		expect(raw.status).toBe(503);
		expect(raw.headers.get('x-fal-error-type')).toBe('runner_disconnected');
		expect(raw.headers.get('x-fal-retryable')).toBe('true');
		expect(await client.queue.status(MODEL, { requestId: second.id })).toMatchObject({
			error: 'Runner disconnected',
			error_type: 'runner_disconnected',
		});
	}, 20_000);

	it('status, body and field are overridable; statusError:false leaves the COMPLETED status clean', async () => {
		fal.script({
			fail: { type: 'image_too_large', status: 400, field: 'end_image_url', ctx: { max_height: 10, max_width: 10 }, statusError: false },
		});
		const { id, result } = await runToResult(WAN, { image_url: IMAGE_URL, prompt: PROMPT, end_image_url: 'https://x/e.png' });
		const err = (await rejection(result)) as ApiError<unknown>;
		expect(err.status).toBe(400);
		expect(err.body).toEqual({
			detail: [
				{
					loc: ['body', 'end_image_url'],
					msg: 'Image too large',
					type: 'image_too_large',
					url: 'https://docs.fal.ai/errors/#image_too_large',
					ctx: { max_height: 10, max_width: 10 },
					input: 'https://x/e.png',
				},
			],
		});
		expect(await client.queue.status(WAN, { requestId: id })).not.toHaveProperty('error');
	});

	it('invalid input wins over a scripted failure (the runner validates first)', async () => {
		fal.script({ fail: { type: 'runner_server_error' } });
		const { result } = await runToResult(LUMA, {});
		expect(((await rejection(result)) as ValidationError).getFieldErrors('prompt')[0]?.type).toBe('missing');
	});
});

describe('FakeFal paths: owner/alias and full endpoint id, the job found by its id', () => {
	it('two endpoints under fal-ai/kling-video are told apart by request id alone', async () => {
		fal.setDefaultScript({ queuePositions: [0], queueStepMs: 5, runMs: 10 });
		const good = await client.queue.submit(KLING, { input: { image_url: IMAGE_URL, prompt: PROMPT } });
		const bad = await client.queue.submit(KLING21, { input: { image_url: IMAGE_URL, prompt: PROMPT, cfg_scale: 2 } });
		expect(good.status_url).toBe(`https://queue.fal.run/fal-ai/kling-video/requests/${good.request_id}/status`);
		for (const s of [good, bad]) await client.queue.subscribeToStatus(KLING, { requestId: s.request_id, mode: 'streaming' });
		// the client drops the rest of the id: both go to /fal-ai/kling-video/requests/<id>
		expect((await client.queue.result(KLING21, { requestId: good.request_id })).data).toHaveProperty('video');
		const err = (await rejection(client.queue.result(KLING, { requestId: bad.request_id }))) as ValidationError;
		expect(err.getFieldErrors('cfg_scale')[0]).toMatchObject({ type: 'less_than_equal', ctx: { le: 1 } });
		expect(fal.requests.filter((r) => r.kind === 'result').map((r) => new URL(r.targetUrl).pathname)).toEqual([
			`/fal-ai/kling-video/requests/${good.request_id}`,
			`/fal-ai/kling-video/requests/${bad.request_id}`,
		]);
		expect([fal.job(good.request_id)?.model, fal.job(bad.request_id)?.model]).toEqual([KLING, KLING21]);

		// the OpenAPI form (full id) for result, status and /response; a sibling's full id is 404
		const full = `https://queue.fal.run/${KLING}/requests/${good.request_id}`;
		expect((await viaProxy(full)).status).toBe(200);
		expect((await viaProxy(`${full}/response`)).status).toBe(200);
		expect((await viaProxy(`${full}/status`)).status).toBe(200);
		expect((await viaProxy(`https://queue.fal.run/${KLING21}/requests/${good.request_id}/status`)).status).toBe(404);
		expect((await viaProxy(`https://queue.fal.run/fal-ai/kling-video/v2.5-turbo/requests/${good.request_id}/status`)).status).toBe(404);
	});
});

describe('FakeFal hostile knobs', () => {
	it('silentStream: the status stream stays open and silent after COMPLETED until the client aborts; the next stream is normal', async () => {
		fal.script({ queuePositions: [0], queueStepMs: 5, runMs: 20, silentStream: 1 });
		const { request_id: id } = await client.queue.submit(MODEL, { input: { image_url: IMAGE_URL } });
		const stream = await client.queue.streamStatus(MODEL, { requestId: id, logs: true });
		const received: QueueStatus[] = [];
		stream.on('data', (e: QueueStatus) => received.push(e));
		const record = await fal.waitForRequest((r) => r.kind === 'stream' && r.requestId === id);
		expect(record.status).toBe(200);
		await expect.poll(() => fal.job(id)?.status).toBe('COMPLETED');
		// completed at fal, yet the open stream said nothing and was not closed
		const status = await client.queue.status(MODEL, { requestId: id });
		expect(status.status).toBe('COMPLETED');
		expect(record.closedAt).toBeUndefined();
		expect(record.events).toBe(0);
		expect(received).toEqual([]);

		stream.abort();
		expect(await stream.done()).toEqual({}); // the client's "aborted with no data" value
		await expect.poll(() => record.closedAt).toBeDefined();
		expect(record).toMatchObject({ events: 0, completed: false });

		const second = await client.queue.subscribeToStatus(MODEL, { requestId: id, mode: 'streaming' });
		expect(second.status).toBe('COMPLETED');
		expect(
			fal
				.requestsFor(id)
				.filter((r) => r.kind === 'stream')
				.map((r) => r.events),
		).toEqual([0, 1]);
	});

	it('drip: the generated video trickles at the scripted rate, so a download timeout fires mid-body', async () => {
		const bytes = Buffer.alloc(40, 9);
		fal.script({ queuePositions: [0], queueStepMs: 5, runMs: 10, resultFile: bytes, drip: { bytes: 1, everyMs: 100 } });
		const { id, result } = await runToResult(MODEL, { image_url: IMAGE_URL });
		const url = ((await result).data as { image: { url: string; file_size: number } }).image.url;
		const res = await fetch(url, { signal: AbortSignal.timeout(350) });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-length')).toBe('40'); // promises the whole file
		// The chunks are bytes; Node's fetch types leave them `any`.
		const reader = res.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
		let got = 0;
		const err = await rejection(
			(async () => {
				for (;;) {
					const { done, value } = await reader.read();
					if (done) return;
					got += value.length;
				}
			})(),
		);
		expect((err as Error).name).toBe('TimeoutError');
		expect(got).toBeGreaterThanOrEqual(1);
		expect(got).toBeLessThanOrEqual(5);
		const download = fal.requests.find((r) => r.kind === 'file' && r.targetUrl.includes(id))!;
		await expect.poll(() => download.closedAt).toBeDefined();
		expect(download.completed).toBe(false);
		expect(download.bytesSent).toBeLessThan(40);
	});

	it('drip delivers every byte, just slowly; setDrip applies to every stored file', async () => {
		const bytes = Buffer.from(Array.from({ length: 30 }, (_, i) => i));
		fal.script({ queuePositions: [0], queueStepMs: 5, runMs: 10, resultFile: bytes, drip: { bytes: 10, everyMs: 40, afterBytes: 5 } });
		const { result } = await runToResult(MODEL, { image_url: IMAGE_URL });
		const url = ((await result).data as { image: { url: string } }).image.url;
		const started = Date.now();
		const body = Buffer.from(await (await fetch(url)).arrayBuffer());
		expect(body.equals(bytes)).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual(110); // 5 at once, then 10, 10, 5 at 40 ms ticks
		expect(fal.requests.find((r) => r.kind === 'file')).toMatchObject({ completed: true, bytesSent: 30 });

		const png = readFixture('mask-1024x576.png');
		const fileUrl = await client.storage.upload(new File([png], 'mask.png', { type: 'image/png' }));
		fal.setDrip({ bytes: 1024, everyMs: 30 });
		const t0 = Date.now();
		const served = Buffer.from(await (await fetch(fal.upload(fileUrl)!.localUrl)).arrayBuffer());
		expect(served.equals(png)).toBe(true);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(Math.floor(png.length / 1024) * 30);
	});

	it('unavailable: 5xx on status and stream BEFORE any verdict (fal unreachable); the job itself is fine afterwards', async () => {
		fal.script({ queuePositions: [0], queueStepMs: 5, runMs: 10, unavailable: { status: 503 } });
		const { request_id: id } = await client.queue.submit(MODEL, { input: { image_url: IMAGE_URL } });
		const stream = await client.queue.streamStatus(MODEL, { requestId: id });
		const err = await rejection(stream.done());
		expect(err).toBeInstanceOf(ApiError);
		expect((err as ApiError<unknown>).status).toBe(503);
		const raw = await viaProxy(`https://queue.fal.run/fal-ai/svd/requests/${id}/status`);
		expect(raw.status).toBe(503);
		expect(raw.headers.get('x-fal-error-type')).toBeNull(); // not a runner failure
		await expect.poll(() => fal.job(id)?.status).toBe('COMPLETED');
		expect((await viaProxy(`https://queue.fal.run/fal-ai/svd/requests/${id}/status`)).status).toBe(503);

		fal.recover(id);
		expect((await client.queue.subscribeToStatus(MODEL, { requestId: id, mode: 'streaming' })).status).toBe('COMPLETED');
		expect((await client.queue.result(MODEL, { requestId: id })).data).toHaveProperty('image');
		expect(fal.job(id)).toMatchObject({ failed: false, resultStatus: 200 });
	});

	it("unavailable for a while: the client's status retries ride out a 500 window", async () => {
		fal.script({ queuePositions: [0], queueStepMs: 5, runMs: 10, unavailable: { status: 500, forMs: 400 } });
		const { request_id: id } = await client.queue.submit(MODEL, { input: { image_url: IMAGE_URL } });
		const status = await client.queue.status(MODEL, { requestId: id });
		expect(status.status).toBe('COMPLETED');
		const codes = fal
			.requestsFor(id)
			.filter((r) => r.kind === 'status')
			.map((r) => r.status);
		expect(codes[0]).toBe(500);
		expect(codes.at(-1)).toBe(200);
		expect(codes.filter((c) => c === 500).length).toBeGreaterThanOrEqual(1);
	});

	it('unavailable by count, on the result too', async () => {
		fal.script({ queuePositions: [0], queueStepMs: 5, runMs: 10, unavailable: { status: 502, requests: 2, kinds: ['result'] } });
		const { request_id: id } = await client.queue.submit(MODEL, { input: { image_url: IMAGE_URL } });
		await client.queue.subscribeToStatus(MODEL, { requestId: id, mode: 'streaming' });
		const first = await viaProxy(`https://queue.fal.run/fal-ai/svd/requests/${id}`);
		expect(first.status).toBe(502);
		const result: { data: unknown } = await client.queue.result(MODEL, { requestId: id }); // one 502, retried, then 200
		expect(result.data).toHaveProperty('image');
		expect(
			fal
				.requestsFor(id)
				.filter((r) => r.kind === 'result')
				.map((r) => r.status),
		).toEqual([502, 502, 200]);
	}, 15_000);
});
