import { createHash } from 'node:crypto';
import { ApiError, createFalClient, ValidationError, type FalClient, type QueueStatus } from '@fal-ai/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeFal } from './fake-fal/index.js';
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

	it('a model sub-path is kept on submit but dropped from status/result/cancel URLs; resultFile overrides the video', async () => {
		const big = Buffer.alloc(64 * 1024, 7);
		fal.script({ resultFile: big });
		const sub = await client.queue.submit(`${MODEL}/foo`, { input: { image_url: IMAGE_URL } });
		expect(fal.requests[0]?.targetUrl).toBe('https://queue.fal.run/fal-ai/svd/foo');
		expect(sub.status_url).toBe(`https://queue.fal.run/fal-ai/svd/requests/${sub.request_id}/status`);
		await client.queue.subscribeToStatus(`${MODEL}/foo`, { requestId: sub.request_id, mode: 'streaming' });
		const res = await client.queue.result(`${MODEL}/foo`, { requestId: sub.request_id });
		const data = res.data as { image: { url: string; file_size: number } };
		expect(data.image.file_size).toBe(big.length);
		expect(Buffer.from(await (await fetch(data.image.url)).arrayBuffer()).equals(big)).toBe(true);
		// a status URL that keeps the sub-path does not name the app
		const wrong = await viaProxy(`https://queue.fal.run/fal-ai/svd/foo/requests/${sub.request_id}/status`);
		expect(wrong.status).toBe(404);
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

describe('FakeFal validation (fal-ai/svd schema)', () => {
	const cases: Array<[string, Record<string, unknown>, string, string]> = [
		['missing image_url', {}, 'image_url', 'missing'],
		['motion_bucket_id 0', { image_url: IMAGE_URL, motion_bucket_id: 0 }, 'motion_bucket_id', 'greater_than_equal'],
		['motion_bucket_id 256', { image_url: IMAGE_URL, motion_bucket_id: 256 }, 'motion_bucket_id', 'less_than_equal'],
		['motion_bucket_id 1.5', { image_url: IMAGE_URL, motion_bucket_id: 1.5 }, 'motion_bucket_id', 'int_from_float'],
		["cond_aug 'x'", { image_url: IMAGE_URL, cond_aug: 'x' }, 'cond_aug', 'float_parsing'],
		["seed 'a'", { image_url: IMAGE_URL, seed: 'a' }, 'seed', 'int_parsing'],
		['steps 0', { image_url: IMAGE_URL, steps: 0 }, 'steps', 'greater_than_equal'],
		['image_url not a string', { image_url: 5 }, 'image_url', 'string_type'],
	];

	it.each(cases)('%s → 422 ValidationError on the field', async (_name, input, field, type) => {
		const err = await rejection(client.queue.submit(MODEL, { input }));
		expect(err).toBeInstanceOf(ValidationError);
		const v = err as ValidationError;
		expect(v.status).toBe(422);
		const fieldErrors = v.getFieldErrors(field);
		expect(fieldErrors).toHaveLength(1);
		expect(fieldErrors[0]?.loc).toEqual(['body', field]);
		expect(fieldErrors[0]?.type).toBe(type);
		expect(v.fieldErrors).toHaveLength(1);
		expect(fal.submits).toHaveLength(0);
		expect(fal.requests.map((r) => [r.kind, r.status])).toEqual([['submit', 422]]);
	});

	it('accepts every documented field at its limits', async () => {
		const input = {
			image_url: IMAGE_URL,
			mask_image_url: 'https://v3.fal.media/files/koala/m_mask.png',
			control_maps_data_url: 'https://v3.fal.media/files/tiger/d_depth.zip',
			motion_bucket_id: 255,
			cond_aug: 0,
			seed: 7,
			steps: 1,
			fps: 6,
		};
		const { request_id } = await client.queue.submit(MODEL, { input });
		expect(fal.submits[0]).toMatchObject({ requestId: request_id, input });
	});

	it('reject422 script forces a validation error on the next submit only', async () => {
		fal.script({ reject422: { field: 'image_url', msg: 'Could not download the image', type: 'image_load_error' } });
		const err = await rejection(client.queue.submit(MODEL, { input: { image_url: IMAGE_URL } }));
		expect(err).toBeInstanceOf(ValidationError);
		expect((err as ValidationError).getFieldErrors('image_url')).toEqual([
			{ loc: ['body', 'image_url'], msg: 'Could not download the image', type: 'image_load_error' },
		]);
		const ok = await client.queue.submit(MODEL, { input: { image_url: IMAGE_URL } });
		expect(ok.request_id).toMatch(UUID);
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
		expect(last).toMatchObject({ status: 'COMPLETED', error: 'Request was cancelled' });
		expect(events.map((e) => e.status)).toEqual(['IN_QUEUE', 'COMPLETED']);
		expect(fal.job(id)).toMatchObject({ status: 'COMPLETED', cancelled: true, failed: true });

		const err = await rejection(client.queue.result(MODEL, { requestId: id }));
		expect(err).toBeInstanceOf(ApiError);
		expect((err as ApiError<unknown>).status).toBe(400);
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

	it("outcome 'error' → status COMPLETED with error, result rejects with 500", async () => {
		fal.script({ outcome: 'error', errorMessage: 'CUDA out of memory', runMs: 30 });
		const err = await rejection(client.subscribe(MODEL, { input: { image_url: IMAGE_URL }, mode: 'streaming' }));
		expect(err).toBeInstanceOf(ApiError);
		expect((err as ApiError<unknown>).status).toBe(500);
		expect((err as ApiError<{ detail: string }>).body.detail).toBe('CUDA out of memory');
		const id = fal.submits[0]?.requestId ?? '';
		expect(fal.job(id)).toMatchObject({ status: 'COMPLETED', failed: true, cancelled: false });
		const status = await client.queue.status(MODEL, { requestId: id });
		expect(status).toMatchObject({ status: 'COMPLETED', error: 'CUDA out of memory' });
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
		const parts = [];
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
