/**
 * A faithful fake of fal.ai's queue + storage HTTP APIs, spoken to by the REAL `@fal-ai/client`
 * over loopback. Configure the client with
 *
 *   createFalClient({ credentials: fake.key, proxyUrl: { url: fake.url, when: 'always' } })
 *
 * and every fal request arrives at `fake.url` with the original URL in `x-fal-target-url`
 * (see @fal-ai/client src/middleware.js `withProxy`). The Authorization header (`Key <credentials>`)
 * is forwarded through the proxy, so the fake checks it like fal does (401 otherwise).
 *
 * Requests that the client sends WITHOUT the proxy middleware (it uses the raw `fetch`):
 *   - the storage PUT to `upload_url` (and multipart part PUTs / complete POST) -> our loopback `/upload/...`
 *   - whatever the bot downloads itself (the generated video `http://127.0.0.1:PORT/files/...`)
 * Those are served directly; they are also accepted through the proxy if a caller sends them that way.
 *
 * See ./README.md for the behaviour summary and the sources of each vendor fact.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readFixture } from '../fixtures.js';
import { isSvdModel, validateSvdInput, type FieldError } from './svd-schema.js';

export { SVD_INPUT_SCHEMA, SVD_DEFAULTS, isSvdModel, validateSvdInput, type FieldError } from './svd-schema.js';

export const DEFAULT_FAL_KEY = 'fake-fal-key:secret';
export const DEFAULT_VIDEO_FIXTURE = 'svd-output-25f-1024x576.mp4';

export interface JobScript {
	/** Positions reported while IN_QUEUE, one per `queueStepMs` (e.g. [3,2,1,0]). Default [0]. */
	queuePositions?: number[];
	/** Time each queue position lasts. Default 50 ms. */
	queueStepMs?: number;
	/** Time spent IN_PROGRESS. Default 100 ms. */
	runMs?: number;
	/** Log messages emitted evenly over the run (first at run start). Default: none. */
	logs?: string[];
	/**
	 * 'ok' (default) → result 200; 'error' → the job reaches COMPLETED (with `error`/`error_type` in the
	 * status) but the result request answers 500 `{detail}`; 'never' → stays IN_PROGRESS until `release()`.
	 */
	outcome?: 'ok' | 'error' | 'never';
	/** `detail` of the failed result (outcome 'error'). Default 'Internal error while running the model'. */
	errorMessage?: string;
	/** What a cancel while IN_PROGRESS does: 'stop' (default; the app honours the signal) or 'ignore' (runs to the end). */
	cancelInProgress?: 'stop' | 'ignore';
	/** Override the result JSON entirely. */
	result?: unknown;
	/** Bytes served as the generated video instead of the fixture. */
	resultFile?: Buffer;
	/** Submit answers 422 `{detail:[{loc:['body', field], msg, type}]}` (consumes this script). */
	reject422?: { field: string; msg: string; type?: string };
}

export interface SubmitRecord {
	requestId: string;
	model: string;
	input: unknown;
	at: number;
	headers: Record<string, string>;
}

export type FalRequestKind =
	| 'submit'
	| 'status'
	| 'stream'
	| 'result'
	| 'cancel'
	| 'upload-initiate'
	| 'upload-initiate-multipart'
	| 'upload-put'
	| 'upload-part'
	| 'upload-complete'
	| 'file'
	| 'token'
	| 'unknown';

export interface FalRequestRecord {
	method: string;
	/** Original URL (x-fal-target-url when proxied, else the loopback URL). */
	targetUrl: string;
	via: 'proxy' | 'direct';
	kind: FalRequestKind;
	requestId?: string;
	/** HTTP status answered; 0 when the connection was destroyed (setDown). */
	status: number;
	at: number;
}

export interface UploadRecord {
	fileUrl: string;
	/** Loopback URL serving the same bytes (fetchable without the proxy). */
	localUrl: string;
	fileName: string;
	contentType: string;
	size: number;
	sha256: string;
	bytes: Buffer;
	multipart: boolean;
}

export interface RequestLog {
	message: string;
	level: 'INFO';
	source: 'USER';
	timestamp: string;
}

export type QueueStatusName = 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED';

export interface JobState {
	requestId: string;
	model: string;
	input: unknown;
	status: QueueStatusName;
	/** Present while IN_QUEUE. */
	queuePosition?: number;
	cancelled: boolean;
	/** True once COMPLETED with a failure (outcome 'error' or cancelled). */
	failed: boolean;
	outcome: 'ok' | 'error' | 'never';
	logs: RequestLog[];
	submittedAt: number;
	completedAt?: number;
	videoUrl: string;
}

export interface FakeFalOptions {
	/** Expected credentials (the part after `Key `). Default 'fake-fal-key:secret'. */
	key?: string;
}

interface Job {
	requestId: string;
	model: string;
	base: string;
	input: unknown;
	script: JobScript;
	submittedAt: number;
	positions: number[];
	stepMs: number;
	runMs: number;
	logMessages: string[];
	outcome: 'ok' | 'error' | 'never';
	cancelledAt?: number;
	releasedAt?: number;
	seed: number;
	video: Buffer;
	videoPath: string;
}

interface Snapshot {
	status: QueueStatusName;
	position?: number;
	logs: RequestLog[];
	cancelled: boolean;
	failed: boolean;
	completedAt?: number;
}

interface PendingUpload {
	fileUrl: string;
	localPath: string;
	fileName: string;
	contentType: string;
	multipart: boolean;
	parts: Map<number, Buffer>;
}

const QUEUE_KINDS: ReadonlySet<FalRequestKind> = new Set(['submit', 'status', 'stream', 'result', 'cancel']);
const FAL_REST_HOSTS = new Set(['rest.fal.ai', 'rest.alpha.fal.ai']);
const ANIMALS = ['panda', 'koala', 'tiger', 'lion', 'zebra', 'rabbit', 'monkey', 'elephant'];
const STREAM_TICK_MS = 10;

class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
	) {
		super(`HTTP ${status}`);
	}
}

function appBase(model: string): string {
	const parts = model.split('/');
	const n = parts[0] === 'workflows' || parts[0] === 'comfy' ? 3 : 2;
	return parts.slice(0, n).join('/');
}

function sha256(buf: Buffer): string {
	return createHash('sha256').update(buf).digest('hex');
}

function randomId(len: number): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
	let s = '';
	for (let i = 0; i < len; i++) s += alphabet[randomInt(alphabet.length)];
	return s;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

export class FakeFal {
	readonly key: string;
	readonly submits: SubmitRecord[] = [];
	readonly requests: FalRequestRecord[] = [];
	readonly uploads: UploadRecord[] = [];

	private readonly server: Server;
	private readonly sockets = new Set<Socket>();
	private readonly jobs = new Map<string, Job>();
	private readonly scripts: JobScript[] = [];
	private readonly pendingUploads = new Map<string, PendingUpload>();
	/** local path (/files/...) → bytes + content type */
	private readonly files = new Map<string, { bytes: Buffer; contentType: string }>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private defaultScript: JobScript = {};
	private failures: { remaining: number; status: number } = { remaining: 0, status: 503 };
	private down = false;
	private port = 0;
	private fixtureVideo: Buffer | undefined;

	private constructor(options: FakeFalOptions) {
		this.key = options.key ?? DEFAULT_FAL_KEY;
		this.server = createServer((req, res) => {
			this.handle(req, res).catch((err: unknown) => {
				if (!res.headersSent) sendJson(res, 500, { detail: `fake-fal internal error: ${String(err)}` });
				else res.destroy();
			});
		});
		this.server.on('connection', (socket: Socket) => {
			if (this.down) {
				socket.destroy();
				return;
			}
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	static async start(options: FakeFalOptions = {}): Promise<FakeFal> {
		const fal = new FakeFal(options);
		await new Promise<void>((resolve, reject) => {
			fal.server.once('error', reject);
			fal.server.listen(0, '127.0.0.1', () => {
				fal.server.off('error', reject);
				resolve();
			});
		});
		fal.port = (fal.server.address() as AddressInfo).port;
		return fal;
	}

	/** `http://127.0.0.1:PORT` */
	get origin(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The proxy URL to give the client as `proxyUrl`. */
	get url(): string {
		return `${this.origin}/proxy`;
	}

	/** Queue a script for the NEXT accepted submit (FIFO). */
	script(s: JobScript): void {
		this.scripts.push(s);
	}

	setDefaultScript(s: JobScript): void {
		this.defaultScript = s;
	}

	/** The next `n` requests (of any kind) answer `status` (default 503) with a JSON body. */
	failNext(n: number, status = 503): void {
		this.failures = { remaining: n, status };
	}

	/** While down, connections are destroyed as soon as they arrive (and open ones are destroyed now). */
	setDown(down: boolean): void {
		this.down = down;
		if (down) {
			for (const s of this.sockets) s.destroy();
			this.sockets.clear();
		}
	}

	/** fal queue requests (submit, status, stream, result, cancel) that concerned this request id. */
	requestCount(requestId: string): number {
		return this.requests.filter((r) => r.requestId === requestId && QUEUE_KINDS.has(r.kind)).length;
	}

	requestsFor(requestId: string): FalRequestRecord[] {
		return this.requests.filter((r) => r.requestId === requestId);
	}

	upload(fileUrl: string): UploadRecord | undefined {
		return this.uploads.find((u) => u.fileUrl === fileUrl || u.localUrl === fileUrl);
	}

	job(requestId: string): JobState | undefined {
		const job = this.jobs.get(requestId);
		if (!job) return undefined;
		const snap = this.snapshot(job, Date.now());
		return {
			requestId,
			model: job.model,
			input: job.input,
			status: snap.status,
			...(snap.position !== undefined ? { queuePosition: snap.position } : {}),
			cancelled: snap.cancelled,
			failed: snap.failed,
			outcome: job.outcome,
			logs: snap.logs,
			submittedAt: job.submittedAt,
			...(snap.completedAt !== undefined ? { completedAt: snap.completedAt } : {}),
			videoUrl: `${this.origin}${job.videoPath}`,
		};
	}

	/** Finish a job now (e.g. one scripted with outcome 'never'). */
	release(requestId: string, outcome: 'ok' | 'error' = 'ok'): void {
		const job = this.jobs.get(requestId);
		if (!job) throw new Error(`fake-fal: unknown request ${requestId}`);
		job.outcome = outcome;
		job.releasedAt = Date.now();
	}

	/** Resolves once at least `count` submits were accepted. */
	async waitForSubmits(count: number, timeoutMs = 5_000): Promise<SubmitRecord[]> {
		const deadline = Date.now() + timeoutMs;
		while (this.submits.length < count) {
			if (Date.now() > deadline) {
				throw new Error(`fake-fal: expected ${count} submit(s), saw ${this.submits.length} after ${timeoutMs} ms`);
			}
			await new Promise((r) => setTimeout(r, 5));
		}
		return this.submits.slice(0, count);
	}

	/** Forget records, scripts, failures and jobs (uploads too). Keeps the port and key. */
	reset(): void {
		this.submits.length = 0;
		this.requests.length = 0;
		this.uploads.length = 0;
		this.scripts.length = 0;
		this.jobs.clear();
		this.pendingUploads.clear();
		this.files.clear();
		this.defaultScript = {};
		this.failures = { remaining: 0, status: 503 };
		this.down = false;
	}

	async close(): Promise<void> {
		for (const t of this.timers) clearInterval(t);
		this.timers.clear();
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	// ---------------------------------------------------------------- job model

	private snapshot(job: Job, now: number): Snapshot {
		const queueEnd = job.submittedAt + job.positions.length * job.stepMs;
		const runEnd = queueEnd + job.runMs;
		let completedAt: number | undefined;
		let failed = false;
		let cancelled = false;
		if (job.cancelledAt !== undefined && now >= job.cancelledAt) {
			completedAt = job.cancelledAt;
			cancelled = true;
			failed = true;
		} else if (job.releasedAt !== undefined && now >= job.releasedAt) {
			completedAt = job.releasedAt;
			failed = job.outcome === 'error';
		} else if (job.outcome !== 'never' && now >= runEnd) {
			completedAt = runEnd;
			failed = job.outcome === 'error';
		}
		const horizon = completedAt ?? now;
		const logs: RequestLog[] = [];
		const n = job.logMessages.length;
		for (let i = 0; i < n; i++) {
			const at = queueEnd + (i * job.runMs) / n;
			if (at > horizon || (completedAt !== undefined && cancelled && at >= completedAt)) break;
			logs.push({ message: job.logMessages[i] ?? '', level: 'INFO', source: 'USER', timestamp: new Date(at).toISOString() });
		}
		if (completedAt !== undefined) {
			return { status: 'COMPLETED', logs, cancelled, failed, completedAt };
		}
		if (now < queueEnd) {
			const idx = Math.min(job.positions.length - 1, Math.floor((now - job.submittedAt) / job.stepMs));
			return { status: 'IN_QUEUE', position: job.positions[idx] ?? 0, logs: [], cancelled: false, failed: false };
		}
		return { status: 'IN_PROGRESS', logs, cancelled: false, failed: false };
	}

	private urlsFor(job: Job): { request_id: string; response_url: string; status_url: string; cancel_url: string } {
		const responseUrl = `https://queue.fal.run/${job.base}/requests/${job.requestId}`;
		return {
			request_id: job.requestId,
			response_url: responseUrl,
			status_url: `${responseUrl}/status`,
			cancel_url: `${responseUrl}/cancel`,
		};
	}

	private statusBody(job: Job, snap: Snapshot, logs: RequestLog[] | null): Record<string, unknown> {
		const body: Record<string, unknown> = { status: snap.status, ...this.urlsFor(job) };
		if (snap.status === 'IN_QUEUE') {
			body.queue_position = snap.position ?? 0;
			return body;
		}
		body.logs = logs;
		if (snap.status === 'COMPLETED') {
			body.metrics = { inference_time: snap.cancelled ? null : job.runMs / 1000 };
			if (snap.cancelled) {
				body.error = 'Request was cancelled';
				body.error_type = 'request_cancelled';
			} else if (snap.failed) {
				body.error = job.script.errorMessage ?? 'Internal error while running the model';
				body.error_type = 'runner_error';
			}
		}
		return body;
	}

	private resultBody(job: Job): unknown {
		if (job.script.result !== undefined) return job.script.result;
		return {
			image: {
				url: `${this.origin}${job.videoPath}`,
				content_type: 'video/mp4',
				file_name: 'output.mp4',
				file_size: job.video.length,
			},
			seed: job.seed,
		};
	}

	// ---------------------------------------------------------------- HTTP

	private classify(method: string, target: URL | undefined, localPath: string): { kind: FalRequestKind; requestId?: string } {
		if (!target) {
			if (localPath.startsWith('/upload/')) {
				const rest = localPath.slice('/upload/'.length).split('/');
				if (rest.length === 1) return { kind: 'upload-put' };
				if (rest[1] === 'complete') return { kind: 'upload-complete' };
				return { kind: 'upload-part' };
			}
			if (localPath.startsWith('/files/')) return { kind: 'file' };
			return { kind: 'unknown' };
		}
		const host = target.hostname;
		if (host === 'queue.fal.run') {
			const segs = target.pathname.split('/').filter(Boolean);
			const ri = segs.indexOf('requests');
			if (ri >= 2 && segs[ri + 1]) {
				const requestId = segs[ri + 1] as string;
				const tail = segs.slice(ri + 2).join('/');
				if (tail === '') return { kind: 'result', requestId };
				if (tail === 'status') return { kind: 'status', requestId };
				if (tail === 'status/stream') return { kind: 'stream', requestId };
				if (tail === 'cancel') return { kind: 'cancel', requestId };
				return { kind: 'unknown', requestId };
			}
			return { kind: method === 'POST' ? 'submit' : 'unknown' };
		}
		if (FAL_REST_HOSTS.has(host)) {
			const p = target.pathname.replace(/\/+$/, '');
			if (p === '/storage/upload/initiate') return { kind: 'upload-initiate' };
			if (p === '/storage/upload/initiate-multipart') return { kind: 'upload-initiate-multipart' };
			if (p === '/tokens') return { kind: 'token' };
			return { kind: 'unknown' };
		}
		if (host.endsWith('fal.media') && target.pathname.startsWith('/files/')) return { kind: 'file' };
		if ((host === '127.0.0.1' || host === 'localhost') && target.port === String(this.port)) {
			return this.classify(method, undefined, target.pathname);
		}
		return { kind: 'unknown' };
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		if (this.down) {
			req.socket.destroy();
			return;
		}
		const method = (req.method ?? 'GET').toUpperCase();
		const local = new URL(req.url ?? '/', this.origin);
		const isProxy = local.pathname === '/proxy' || local.pathname.startsWith('/proxy/');
		const targetHeader = req.headers['x-fal-target-url'];
		const targetRaw = Array.isArray(targetHeader) ? targetHeader[0] : targetHeader;
		let target: URL | undefined;
		if (isProxy && targetRaw) {
			try {
				target = new URL(targetRaw);
			} catch {
				target = undefined;
			}
		}
		const { kind, requestId } = this.classify(method, target, local.pathname);
		const record: FalRequestRecord = {
			method,
			targetUrl: isProxy ? (targetRaw ?? '') : local.toString(),
			via: isProxy ? 'proxy' : 'direct',
			kind,
			...(requestId !== undefined ? { requestId } : {}),
			status: 0,
			at: Date.now(),
		};
		this.requests.push(record);
		res.on('finish', () => {
			if (record.status === 0) record.status = res.statusCode;
		});
		const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
			record.status = status;
			sendJson(res, status, body, headers);
		};

		if (this.failures.remaining > 0) {
			this.failures.remaining--;
			await readBody(req);
			reply(this.failures.status, { detail: 'Service Unavailable' });
			return;
		}

		try {
			if (isProxy) {
				if (!targetRaw) throw new HttpError(400, { detail: 'Missing the x-fal-target-url header' });
				if (!target) throw new HttpError(400, { detail: `Invalid x-fal-target-url: ${targetRaw}` });
				const isLoopback = (target.hostname === '127.0.0.1' || target.hostname === 'localhost') && target.port === String(this.port);
				const needsAuth = !isLoopback && kind !== 'file';
				if (needsAuth) this.checkAuth(req);
				await this.route(req, res, method, kind, requestId, isLoopback ? target.pathname + target.search : undefined, target, record);
			} else {
				await this.route(req, res, method, kind, requestId, local.pathname + local.search, undefined, record);
			}
		} catch (err) {
			if (err instanceof HttpError) {
				await readBody(req).catch(() => Buffer.alloc(0));
				const headers: Record<string, string> = requestId ? { 'x-fal-request-id': requestId } : {};
				reply(err.status, err.body, headers);
				return;
			}
			throw err;
		}
	}

	private checkAuth(req: IncomingMessage): void {
		const auth = req.headers.authorization;
		if (!auth) throw new HttpError(401, { detail: 'Missing authorization header' });
		const m = /^Key\s+(.+)$/i.exec(auth);
		if (!m || m[1] !== this.key) throw new HttpError(401, { detail: 'No user found for Key ID and Secret' });
	}

	private async route(
		req: IncomingMessage,
		res: ServerResponse,
		method: string,
		kind: FalRequestKind,
		requestId: string | undefined,
		localPathAndQuery: string | undefined,
		target: URL | undefined,
		record: FalRequestRecord,
	): Promise<void> {
		const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
			record.status = status;
			sendJson(res, status, body, headers);
		};
		const expect = (m: string | string[]): void => {
			const allowed = Array.isArray(m) ? m : [m];
			if (!allowed.includes(method)) throw new HttpError(405, { detail: 'Method Not Allowed' });
		};
		switch (kind) {
			case 'submit': {
				expect('POST');
				const body = await readBody(req);
				const model = (target?.pathname ?? '').replace(/^\/+|\/+$/g, '');
				if (model.split('/').length < 2) throw new HttpError(404, { detail: 'Application not found' });
				this.submit(req, model, body, reply, record);
				return;
			}
			case 'status':
			case 'result':
			case 'cancel':
			case 'stream': {
				const job = this.lookup(requestId, target);
				if (kind === 'status') {
					expect('GET');
					const withLogs = target?.searchParams.get('logs') === '1';
					const snap = this.snapshot(job, Date.now());
					reply(snap.status === 'COMPLETED' ? 200 : 202, this.statusBody(job, snap, withLogs ? snap.logs : null), {
						'x-fal-request-id': job.requestId,
					});
					return;
				}
				if (kind === 'stream') {
					expect('GET');
					this.stream(req, res, job, target?.searchParams.get('logs') === '1', record);
					return;
				}
				if (kind === 'result') {
					expect('GET');
					this.result(job, reply);
					return;
				}
				expect('PUT');
				await readBody(req);
				this.cancel(job, reply);
				return;
			}
			case 'upload-initiate':
			case 'upload-initiate-multipart': {
				expect('POST');
				const body = await readBody(req);
				this.initiateUpload(body, kind === 'upload-initiate-multipart', reply);
				return;
			}
			case 'token': {
				expect('POST');
				await readBody(req);
				reply(200, `fake-fal-jwt.${randomId(24)}`);
				return;
			}
			case 'upload-put':
			case 'upload-part':
			case 'upload-complete': {
				const path = new URL(localPathAndQuery ?? '/', this.origin).pathname;
				await this.uploadData(req, method, kind, path, reply, record, res);
				return;
			}
			case 'file': {
				expect(['GET', 'HEAD']);
				const path = target && !localPathAndQuery ? target.pathname : new URL(localPathAndQuery ?? '/', this.origin).pathname;
				const file = this.files.get(decodeURIComponent(path)) ?? this.files.get(path);
				if (!file) throw new HttpError(404, { detail: 'File not found' });
				record.status = 200;
				res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length });
				res.end(method === 'HEAD' ? undefined : file.bytes);
				return;
			}
			default:
				throw new HttpError(404, { detail: `Not found: ${method} ${target?.toString() ?? localPathAndQuery ?? ''}` });
		}
	}

	private lookup(requestId: string | undefined, target: URL | undefined): Job {
		const job = requestId ? this.jobs.get(requestId) : undefined;
		if (!job) throw new HttpError(404, { detail: `Request ${requestId ?? ''} not found` });
		// status/result/cancel URLs carry only owner/alias (no sub-path); a mismatching app is not found.
		const segs = (target?.pathname ?? '').split('/').filter(Boolean);
		const urlBase = segs.slice(0, segs.indexOf('requests')).join('/');
		if (urlBase !== job.base) throw new HttpError(404, { detail: `Request ${job.requestId} not found for ${urlBase}` });
		return job;
	}

	private submit(
		req: IncomingMessage,
		model: string,
		rawBody: Buffer,
		reply: (status: number, body: unknown, headers?: Record<string, string>) => void,
		record: FalRequestRecord,
	): void {
		let input: unknown;
		try {
			input = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : {};
		} catch {
			reply(422, {
				detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }],
			});
			return;
		}
		const next = this.scripts[0];
		if (next?.reject422) {
			this.scripts.shift();
			const { field, msg, type } = next.reject422;
			reply(422, { detail: [{ loc: ['body', field], msg, type: type ?? 'value_error' }] });
			return;
		}
		if (isSvdModel(model)) {
			const errors: FieldError[] = validateSvdInput(input);
			if (errors.length > 0) {
				reply(422, { detail: errors });
				return;
			}
		}
		const script: JobScript = { ...this.defaultScript, ...(this.scripts.shift() ?? {}) };
		const requestId = randomUUID();
		const inputSeed = (input as Record<string, unknown> | null)?.seed;
		const seed = typeof inputSeed === 'number' && Number.isInteger(inputSeed)
			? inputSeed
			: typeof inputSeed === 'string' && /^[+-]?\d+$/.test(inputSeed.trim())
				? Number(inputSeed)
				: randomInt(0, 2 ** 31 - 1);
		const video = script.resultFile ?? (this.fixtureVideo ??= readFixture(DEFAULT_VIDEO_FIXTURE));
		const videoPath = `/files/output/${requestId}/output.mp4`;
		this.files.set(videoPath, { bytes: video, contentType: 'video/mp4' });
		const positions = script.queuePositions && script.queuePositions.length > 0 ? script.queuePositions : [0];
		const job: Job = {
			requestId,
			model,
			base: appBase(model),
			input,
			script,
			submittedAt: Date.now(),
			positions,
			stepMs: script.queueStepMs ?? 50,
			runMs: script.runMs ?? 100,
			logMessages: script.logs ?? [],
			outcome: script.outcome ?? 'ok',
			seed,
			video,
			videoPath,
		};
		this.jobs.set(requestId, job);
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(req.headers)) {
			if (typeof v === 'string') headers[k] = k === 'authorization' ? '<redacted>' : v;
		}
		this.submits.push({ requestId, model, input, at: job.submittedAt, headers });
		record.requestId = requestId;
		reply(200, { status: 'IN_QUEUE', ...this.urlsFor(job), queue_position: positions[0] ?? 0 }, { 'x-fal-request-id': requestId });
	}

	private result(job: Job, reply: (status: number, body: unknown, headers?: Record<string, string>) => void): void {
		const snap = this.snapshot(job, Date.now());
		const headers = { 'x-fal-request-id': job.requestId };
		if (snap.status !== 'COMPLETED') {
			reply(400, { detail: 'Request is still in progress' }, headers);
			return;
		}
		if (snap.cancelled) {
			reply(400, { detail: 'Request was cancelled' }, headers);
			return;
		}
		if (snap.failed) {
			reply(500, { detail: job.script.errorMessage ?? 'Internal error while running the model' }, headers);
			return;
		}
		reply(200, this.resultBody(job), headers);
	}

	private cancel(job: Job, reply: (status: number, body: unknown, headers?: Record<string, string>) => void): void {
		const now = Date.now();
		const snap = this.snapshot(job, now);
		const headers = { 'x-fal-request-id': job.requestId };
		if (snap.status === 'COMPLETED') {
			reply(400, { status: 'ALREADY_COMPLETED' }, headers);
			return;
		}
		if (snap.status === 'IN_QUEUE' || job.script.cancelInProgress !== 'ignore') job.cancelledAt = now;
		reply(202, { status: 'CANCELLATION_REQUESTED' }, headers);
	}

	private stream(req: IncomingMessage, res: ServerResponse, job: Job, withLogs: boolean, record: FalRequestRecord): void {
		record.status = 200;
		res.writeHead(200, {
			'content-type': 'text/event-stream',
			'cache-control': 'no-cache',
			connection: 'keep-alive',
			'x-fal-request-id': job.requestId,
		});
		res.flushHeaders();
		let lastKey = '';
		let sentLogs = 0;
		let timer: NodeJS.Timeout | undefined;
		const stop = (): void => {
			if (timer) {
				clearInterval(timer);
				this.timers.delete(timer);
				timer = undefined;
			}
		};
		const tick = (): void => {
			const snap = this.snapshot(job, Date.now());
			const key = `${snap.status}:${snap.position ?? ''}:${snap.logs.length}`;
			if (key !== lastKey) {
				lastKey = key;
				const fresh = snap.logs.slice(sentLogs);
				sentLogs = snap.logs.length;
				res.write(`data: ${JSON.stringify(this.statusBody(job, snap, withLogs ? fresh : null))}\n\n`);
			}
			if (snap.status === 'COMPLETED') {
				stop();
				res.end();
			}
		};
		req.on('close', stop);
		res.on('close', stop);
		tick();
		if (!res.writableEnded) {
			timer = setInterval(tick, STREAM_TICK_MS);
			this.timers.add(timer);
		}
	}

	private initiateUpload(
		rawBody: Buffer,
		multipart: boolean,
		reply: (status: number, body: unknown, headers?: Record<string, string>) => void,
	): void {
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>;
		} catch {
			throw new HttpError(422, { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] });
		}
		const errors: FieldError[] = [];
		if (typeof body.content_type !== 'string') errors.push({ loc: ['body', 'content_type'], msg: 'Field required', type: 'missing' });
		if (typeof body.file_name !== 'string') errors.push({ loc: ['body', 'file_name'], msg: 'Field required', type: 'missing' });
		if (errors.length) throw new HttpError(422, { detail: errors });
		const contentType = body.content_type as string;
		const fileName = (body.file_name as string).replace(/[^A-Za-z0-9._-]/g, '_') || 'file';
		const animal = ANIMALS[randomInt(ANIMALS.length)] ?? 'panda';
		const localPath = `/files/${animal}/${randomId(21)}_${fileName}`;
		const token = randomId(32);
		this.pendingUploads.set(token, {
			fileUrl: `https://v3.fal.media${localPath}`,
			localPath,
			fileName,
			contentType,
			multipart,
			parts: new Map(),
		});
		reply(200, {
			upload_url: `${this.origin}/upload/${token}?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=fake`,
			file_url: `https://v3.fal.media${localPath}`,
		});
	}

	private async uploadData(
		req: IncomingMessage,
		method: string,
		kind: FalRequestKind,
		path: string,
		reply: (status: number, body: unknown, headers?: Record<string, string>) => void,
		record: FalRequestRecord,
		res: ServerResponse,
	): Promise<void> {
		const [, , token = '', part = ''] = path.split('/');
		const pending = this.pendingUploads.get(token);
		if (!pending) throw new HttpError(404, { detail: 'Upload not found or expired' });
		if (kind === 'upload-put') {
			if (method !== 'PUT') throw new HttpError(405, { detail: 'Method Not Allowed' });
			const bytes = await readBody(req);
			const ct = req.headers['content-type'];
			this.finishUpload(token, pending, bytes, typeof ct === 'string' ? ct : pending.contentType);
			record.status = 200;
			res.writeHead(200, { 'content-length': 0 });
			res.end();
			return;
		}
		if (kind === 'upload-part') {
			if (method !== 'PUT') throw new HttpError(405, { detail: 'Method Not Allowed' });
			const n = Number(part);
			if (!Number.isInteger(n) || n < 1) throw new HttpError(400, { detail: 'Invalid part number' });
			const bytes = await readBody(req);
			pending.parts.set(n, bytes);
			reply(200, { partNumber: n, etag: `"${sha256(bytes).slice(0, 32)}"` });
			return;
		}
		if (method !== 'POST') throw new HttpError(405, { detail: 'Method Not Allowed' });
		const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { parts?: Array<{ partNumber: number }> };
		const numbers = (body.parts ?? []).map((p) => p.partNumber).sort((a, b) => a - b);
		const buffers: Buffer[] = [];
		for (const n of numbers) {
			const b = pending.parts.get(n);
			if (!b) throw new HttpError(400, { detail: `Missing part ${n}` });
			buffers.push(b);
		}
		this.finishUpload(token, pending, Buffer.concat(buffers), pending.contentType);
		reply(200, { file_url: pending.fileUrl });
	}

	private finishUpload(token: string, pending: PendingUpload, bytes: Buffer, contentType: string): void {
		this.pendingUploads.delete(token);
		this.files.set(pending.localPath, { bytes, contentType });
		this.uploads.push({
			fileUrl: pending.fileUrl,
			localUrl: `${this.origin}${pending.localPath}`,
			fileName: pending.fileName,
			contentType,
			size: bytes.length,
			sha256: sha256(bytes),
			bytes,
			multipart: pending.multipart,
		});
	}
}
