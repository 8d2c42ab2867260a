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
 * Like real fal, the queue never refuses a submit for its input: catalogued endpoints
 * (fal-models/, see ./schemas.ts) are validated when the job "runs", and a bad input
 * surfaces as a 422 from `GET …/requests/<id>` after the status reached COMPLETED. Runner failures
 * (./failures.ts) surface the same way, with fal's documented status codes and body shapes.
 *
 * Requests that the client sends WITHOUT the proxy middleware (it uses the raw `fetch`):
 *   - the storage PUT to `upload_url` (and multipart part PUTs / complete POST) -> our loopback `/upload/...`
 *   - whatever the bot downloads itself (the generated video `http://127.0.0.1:PORT/files/...`)
 * Those are served directly; they are also accepted through the proxy if a caller sends them that way.
 *
 * See ./README.md for the behaviour summary, the knobs, and the sources of each vendor fact.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { failureResponse, validationResponse, type FailureResponse, type FailureSpec } from './failures.js';
import { drip, HttpError, randomId, readBody, sendJson, type DripSpec } from './http.js';
import { catalogEntry, validateInput, type FieldError } from './schemas.js';
import { FakeStorage, type StoredFile } from './storage.js';
import { createSubmitHold, type HeldSubmit, type SubmitHold, type SubmitHoldPoint } from './submit-hold.js';
import { FakeWebhooks, type WebhookDeliveryRecord, type WebhookRetryOptions } from './webhooks.js';
import type {
	FakeFalOptions,
	FalRequestKind,
	FalRequestRecord,
	JobScript,
	JobState,
	QueueStatusName,
	RequestLog,
	SubmitRecord,
	UploadRecord,
} from './types.js';

export { CATALOG, catalogEntry, createAjv, validateInput, type CatalogEntry, type FieldError } from './schemas.js';
export { MODEL_ERRORS, REQUEST_ERRORS, type FailureSpec, type FalErrorType, type ModelErrorType, type RequestErrorType } from './failures.js';
export type { DripSpec } from './http.js';
export type { SubmitHold, SubmitHoldPoint } from './submit-hold.js';
export type { SignedWebhook, WebhookDeliveryRecord, WebhookRetryOptions } from './webhooks.js';
export type {
	FakeFalOptions,
	FalRequestKind,
	FalRequestRecord,
	JobScript,
	JobState,
	QueueStatusName,
	RequestLog,
	SubmitRecord,
	UnavailableSpec,
	UploadRecord,
} from './types.js';

export const DEFAULT_FAL_KEY = 'fake-fal-key:secret';
/** The generated video every job returns unless scripted otherwise: a real 25-frame H.264 MP4 from fal-ai/svd. */
export const DEFAULT_VIDEO_PATH = new URL('./svd-output-25f-1024x576.mp4', import.meta.url);

interface Job {
	requestId: string;
	/** Full endpoint id as submitted, e.g. `fal-ai/kling-video/v2.5-turbo/standard/image-to-video`. */
	model: string;
	/** `owner/alias` (plus `workflows/`/`comfy/` namespace): what @fal-ai/client puts in status/result URLs. */
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
	validationErrors: FieldError[] | undefined;
	streams: number;
	unavailableAnswered: number;
	recovered: boolean;
	/** The submit's `fal_webhook`, decoded. */
	webhookUrl: string | undefined;
	webhookSent: boolean;
}

interface Snapshot {
	status: QueueStatusName;
	position?: number;
	logs: RequestLog[];
	cancelled: boolean;
	failed: boolean;
	completedAt?: number;
}

type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

const QUEUE_KINDS: ReadonlySet<FalRequestKind> = new Set(['submit', 'status', 'stream', 'result', 'cancel']);
const FAL_REST_HOSTS = new Set(['rest.fal.ai', 'rest.alpha.fal.ai']);
const STREAM_TICK_MS = 10;
const CANCELLED: FailureSpec = { type: 'client_cancelled' };

function appBase(model: string): string {
	const parts = model.split('/');
	const n = parts[0] === 'workflows' || parts[0] === 'comfy' ? 3 : 2;
	return parts.slice(0, n).join('/');
}

function seedOf(input: unknown): number | undefined {
	const v = (input as Record<string, unknown> | null)?.seed;
	if (typeof v === 'number' && Number.isInteger(v)) return v;
	if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim())) return Number(v);
	return undefined;
}

export class FakeFal {
	readonly key: string;
	readonly submits: SubmitRecord[] = [];
	readonly requests: FalRequestRecord[] = [];
	readonly uploads: UploadRecord[];

	private readonly server: Server;
	private readonly sockets = new Set<Socket>();
	private readonly jobs = new Map<string, Job>();
	private readonly scripts: JobScript[] = [];
	private readonly storage = new FakeStorage(() => this.origin);
	private readonly files: Map<string, StoredFile>;
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly webhooks = new FakeWebhooks();
	private defaultScript: JobScript = {};
	private failures: { remaining: number; status: number } = { remaining: 0, status: 503 };
	private readonly holds: HeldSubmit[] = [];
	private fileDrip: DripSpec | undefined;
	private down = false;
	private port = 0;
	private fixtureVideo: Buffer | undefined;

	private constructor(options: FakeFalOptions) {
		this.key = options.key ?? DEFAULT_FAL_KEY;
		this.uploads = this.storage.uploads;
		this.files = this.storage.files;
		if (options.webhookRetry) this.webhooks.setRetry(options.webhookRetry);
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

	/** Where the fake publishes its webhook signing key (GET, no auth, directly on loopback). */
	get jwksUrl(): string {
		return `${this.origin}/.well-known/jwks.json`;
	}

	/** Every webhook POST the fake made, retries and knobs included, in order. */
	get webhookDeliveries(): readonly WebhookDeliveryRecord[] {
		return this.webhooks.deliveries;
	}

	/** The X-Fal-Webhook-User-Id the fake sends. */
	get webhookUserId(): string {
		return this.webhooks.userId;
	}

	/** Headers fal would send with these exact bytes (for tests that post a delivery themselves). */
	signWebhook(body: Buffer, requestId: string, options: { timestamp?: number } = {}): Record<string, string> {
		return this.webhooks.sign(body, requestId, options);
	}

	/** Sends the last delivery of `requestId` again, byte for byte, signature and timestamp included. */
	replayWebhook(requestId: string): void {
		this.webhooks.replay(requestId);
	}

	/** Posts the request's delivery (or a plain OK body) to `url`, signed by a key the JWKS does not hold. */
	sendForgedWebhook(url: string, requestId: string): void {
		this.webhooks.forge(url, requestId);
	}

	/** Posts a validly signed delivery whose timestamp is `ageSeconds` old. */
	sendStaleWebhook(url: string, requestId: string, ageSeconds: number): void {
		this.webhooks.stale(url, requestId, ageSeconds);
	}

	/** Signs with a new key from now on; the JWKS lists only the new one. */
	rotateWebhookKey(): void {
		this.webhooks.rotateKey();
	}

	setWebhookRetry(options: WebhookRetryOptions): void {
		this.webhooks.setRetry(options);
	}

	/** Resolves once no webhook delivery (or retry) is under way. */
	webhooksSettled(): Promise<void> {
		return this.webhooks.settled();
	}

	/** Resolves with the first webhook delivery matching `predicate` (checked every 5 ms). */
	async waitForWebhook(predicate: (d: WebhookDeliveryRecord) => boolean, timeoutMs = 5_000): Promise<WebhookDeliveryRecord> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.webhooks.deliveries.find(predicate);
			if (found) return found;
			if (Date.now() > deadline) throw new Error(`fake-fal: no matching webhook delivery after ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, 5));
		}
	}

	/** Holds the next submit at `at` until released or its caller hangs up (see submit-hold.ts). */
	holdNextSubmit(at: SubmitHoldPoint): SubmitHold {
		const hold = createSubmitHold(at);
		this.holds.push(hold);
		return hold;
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

	/** Serve every stored file (uploads and generated videos) slowly; `undefined` turns it off. A job's own `drip` wins. */
	setDrip(spec: DripSpec | undefined): void {
		this.fileDrip = spec;
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
			...(job.validationErrors !== undefined ? { validationErrors: job.validationErrors } : {}),
			resultStatus: this.failureOf(job, snap.cancelled)?.status ?? 200,
			...(job.webhookUrl !== undefined ? { webhookUrl: job.webhookUrl } : {}),
		};
	}

	/** Finish a job now (e.g. one scripted with outcome 'never'). */
	release(requestId: string, outcome: 'ok' | 'error' = 'ok'): void {
		const job = this.jobs.get(requestId);
		if (!job) throw new Error(`fake-fal: unknown request ${requestId}`);
		job.outcome = outcome;
		job.releasedAt = Date.now();
		this.sendWebhookIfDone(job);
	}

	/** Ends a job's `unavailable` window now. */
	recover(requestId: string): void {
		const job = this.jobs.get(requestId);
		if (!job) throw new Error(`fake-fal: unknown request ${requestId}`);
		job.recovered = true;
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

	/** Resolves with the first recorded request matching `predicate` (checked every 5 ms). */
	async waitForRequest(predicate: (r: FalRequestRecord) => boolean, timeoutMs = 5_000): Promise<FalRequestRecord> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.requests.find(predicate);
			if (found) return found;
			if (Date.now() > deadline) throw new Error(`fake-fal: no matching request after ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, 5));
		}
	}

	/** Forget records, scripts, failures and jobs (uploads too). Keeps the port and key. */
	reset(): void {
		this.submits.length = 0;
		this.requests.length = 0;
		this.scripts.length = 0;
		this.jobs.clear();
		this.storage.reset();
		this.defaultScript = {};
		this.failures = { remaining: 0, status: 503 };
		this.fileDrip = undefined;
		this.down = false;
		this.webhooks.reset();
		this.holds.length = 0;
	}

	async close(): Promise<void> {
		this.webhooks.reset();
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
		let cancelled = false;
		if (job.cancelledAt !== undefined && now >= job.cancelledAt) {
			completedAt = job.cancelledAt;
			cancelled = true;
		} else if (job.releasedAt !== undefined && now >= job.releasedAt) {
			completedAt = job.releasedAt;
		} else if (job.outcome !== 'never' && now >= runEnd) {
			completedAt = runEnd;
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
			return { status: 'COMPLETED', logs, cancelled, failed: this.failureOf(job, cancelled) !== undefined, completedAt };
		}
		if (now < queueEnd) {
			const idx = Math.min(job.positions.length - 1, Math.floor((now - job.submittedAt) / job.stepMs));
			return { status: 'IN_QUEUE', position: job.positions[idx] ?? 0, logs: [], cancelled: false, failed: false };
		}
		return { status: 'IN_PROGRESS', logs, cancelled: false, failed: false };
	}

	/** How the job fails once COMPLETED, in fal's order: cancelled, invalid input, scripted failures. */
	private failureOf(job: Job, cancelled: boolean): FailureResponse | undefined {
		if (cancelled) return failureResponse(CANCELLED, job.input);
		if (job.validationErrors && job.validationErrors.length > 0) return validationResponse(job.validationErrors);
		const { reject422, fail, errorMessage } = job.script;
		if (reject422) {
			return validationResponse([{ loc: ['body', reject422.field], msg: reject422.msg, type: reject422.type ?? 'value_error' }]);
		}
		if (fail) return failureResponse(fail, job.input);
		if (job.outcome === 'error') {
			return failureResponse({ type: 'runner_server_error', detail: errorMessage ?? 'Internal error while running the model' }, job.input);
		}
		return undefined;
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
			body.metrics = snap.cancelled ? {} : { inference_time: job.runMs / 1000 };
			const failure = this.failureOf(job, snap.cancelled);
			if (failure?.statusError) Object.assign(body, failure.statusError);
		}
		return body;
	}

	private resultBody(job: Job): unknown {
		if (job.script.result !== undefined) return job.script.result;
		const file = {
			url: `${this.origin}${job.videoPath}`,
			content_type: 'video/mp4',
			file_name: 'output.mp4',
			file_size: job.video.length,
		};
		const model = catalogEntry(job.model);
		// Not catalogued: the SVD shape the project was specified from.
		if (!model) return { image: file, seed: job.seed };
		const body: Record<string, unknown> = { [model.videoKey]: file };
		if (model.hasSeed) body.seed = job.seed;
		if (model.echoesPrompt) {
			const prompt = (job.input as Record<string, unknown> | null)?.prompt;
			body.prompt = typeof prompt === 'string' ? prompt : '';
		}
		return body;
	}

	// ---------------------------------------------------------------- webhooks

	/** The job's timeline is computed, not ticked, so its end gets a timer of its own (release and cancel end it sooner). */
	private scheduleWebhook(job: Job): void {
		if (!job.webhookUrl || job.script.webhook === 'drop' || job.outcome === 'never') return;
		const end = job.submittedAt + job.positions.length * job.stepMs + job.runMs;
		const timer = setTimeout(
			() => {
				this.timers.delete(timer);
				this.sendWebhookIfDone(job);
			},
			Math.max(0, end - Date.now()) + 1,
		);
		this.timers.add(timer);
	}

	/**
	 * Once COMPLETED, the documented body (webhooks.md section 2): OK with the output as `payload`, or
	 * ERROR with "Invalid status code: <the result's status>" and the result's error body. A cancelled
	 * job is delivered as the ERROR its result shows (whether fal calls the webhook then is not documented).
	 */
	private sendWebhookIfDone(job: Job): void {
		if (!job.webhookUrl || job.webhookSent || job.script.webhook === 'drop' || this.jobs.get(job.requestId) !== job) return;
		const snap = this.snapshot(job, Date.now());
		if (snap.status !== 'COMPLETED') return;
		job.webhookSent = true;
		const failure = this.failureOf(job, snap.cancelled);
		const ids = { request_id: job.requestId, gateway_request_id: job.requestId };
		const body = failure
			? { ...ids, status: 'ERROR', error: `Invalid status code: ${failure.status}`, payload: failure.body }
			: { ...ids, status: 'OK', payload: this.resultBody(job), error: null };
		this.webhooks.deliver(job.webhookUrl, job.requestId, body);
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
			if (localPath === '/.well-known/jwks.json') return { kind: 'jwks' };
			return { kind: 'unknown' };
		}
		const host = target.hostname;
		if (host === 'queue.fal.run') {
			const segs = target.pathname.split('/').filter(Boolean);
			const ri = segs.indexOf('requests');
			if (ri >= 2 && segs[ri + 1]) {
				const requestId = segs[ri + 1] as string;
				const tail = segs.slice(ri + 2).join('/');
				// `/response` is the result path in fal's newest docs example; fal-js never uses it.
				if (tail === '' || tail === 'response') return { kind: 'result', requestId };
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
			if (p === '/.well-known/jwks.json') return { kind: 'jwks' };
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
		const reply: Reply = (status, body, headers = {}) => {
			record.status = status;
			record.responseHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
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
				const needsAuth = !isLoopback && kind !== 'file' && kind !== 'jwks';
				if (needsAuth) this.checkAuth(req);
				await this.route(req, res, method, kind, requestId, isLoopback ? target.pathname + target.search : undefined, target, record, reply);
			} else {
				await this.route(req, res, method, kind, requestId, local.pathname + local.search, undefined, record, reply);
			}
		} catch (err) {
			if (err instanceof HttpError) {
				await readBody(req).catch(() => Buffer.alloc(0));
				const headers: Record<string, string> = { ...(requestId ? { 'x-fal-request-id': requestId } : {}), ...err.headers };
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
		reply: Reply,
	): Promise<void> {
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
				const hold = this.holds.shift();
				if (hold?.at === 'before-accept' && (await hold.until(req)) === 'hung-up') return;
				this.submit(
					req,
					model,
					body,
					reply,
					record,
					target?.searchParams.get('fal_webhook') ?? undefined,
					hold?.at === 'after-accept' ? hold : undefined,
				);
				return;
			}
			case 'status':
			case 'result':
			case 'cancel':
			case 'stream': {
				const job = this.lookup(requestId, target);
				this.checkAvailable(job, kind);
				if (kind === 'status') {
					expect('GET');
					const logs = target?.searchParams.get('logs');
					const withLogs = logs === '1' || logs === 'true';
					const snap = this.snapshot(job, Date.now());
					reply(snap.status === 'COMPLETED' ? 200 : 202, this.statusBody(job, snap, withLogs ? snap.logs : null), {
						'x-fal-request-id': job.requestId,
					});
					return;
				}
				if (kind === 'stream') {
					expect('GET');
					const logs = target?.searchParams.get('logs');
					this.stream(req, res, job, logs === '1' || logs === 'true', record);
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
				this.storage.initiate(body, kind === 'upload-initiate-multipart', reply);
				return;
			}
			case 'jwks': {
				// Public, like fal's: the keys only verify.
				expect('GET');
				reply(200, this.webhooks.jwks());
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
				await this.storage.data(req, method, kind, path, reply, record, res);
				return;
			}
			case 'file': {
				expect(['GET', 'HEAD']);
				const path = target && !localPathAndQuery ? target.pathname : new URL(localPathAndQuery ?? '/', this.origin).pathname;
				const file = this.storage.file(path);
				if (!file) throw new HttpError(404, { detail: 'File not found' });
				this.serveFile(res, method, file, record);
				return;
			}
			default:
				throw new HttpError(404, { detail: `Not found: ${method} ${target?.toString() ?? localPathAndQuery ?? ''}` });
		}
	}

	/**
	 * The job a status/result/cancel/stream URL names. The id alone identifies the job (it maps to the
	 * endpoint it was submitted to); the path before `/requests/` must be that endpoint's `owner/alias`
	 * (what @fal-ai/client sends) or its full endpoint id (the OpenAPI form). Anything else is 404.
	 */
	private lookup(requestId: string | undefined, target: URL | undefined): Job {
		const job = requestId ? this.jobs.get(requestId) : undefined;
		if (!job) throw new HttpError(404, { detail: `Request ${requestId ?? ''} not found` });
		const segs = (target?.pathname ?? '').split('/').filter(Boolean);
		const urlBase = segs.slice(0, segs.indexOf('requests')).join('/');
		if (urlBase !== job.base && urlBase !== job.model) {
			throw new HttpError(404, { detail: `Request ${job.requestId} not found for ${urlBase}` });
		}
		return job;
	}

	/** Script `unavailable`: this request of the job answers 5xx (fal unreachable), independent of the job's state. */
	private checkAvailable(job: Job, kind: FalRequestKind): void {
		const spec = job.script.unavailable;
		if (!spec || job.recovered) return;
		const kinds: FalRequestKind[] = spec.kinds ?? ['status', 'stream'];
		if (!kinds.includes(kind)) return;
		if (spec.forMs !== undefined && Date.now() - job.submittedAt >= spec.forMs) return;
		if (spec.requests !== undefined && job.unavailableAnswered >= spec.requests) return;
		job.unavailableAnswered++;
		throw new HttpError(spec.status ?? 503, spec.body ?? { detail: 'Service Unavailable' });
	}

	private submit(
		req: IncomingMessage,
		model: string,
		rawBody: Buffer,
		reply: Reply,
		record: FalRequestRecord,
		webhookUrl: string | undefined,
		heldAfterAccept?: HeldSubmit,
	): void {
		// The queue does not validate the body (queue-errors.md 2): even unparseable JSON is queued and fails at the runner.
		let input: unknown;
		let validationErrors: FieldError[] | undefined;
		try {
			input = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : {};
			validationErrors = validateInput(model, input);
		} catch {
			input = rawBody.toString('utf8');
			validationErrors = [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid', url: 'https://docs.fal.ai/errors/#json_invalid' }];
		}
		const script: JobScript = { ...this.defaultScript, ...(this.scripts.shift() ?? {}) };
		const requestId = randomUUID();
		const seed = seedOf(input) ?? randomInt(0, 2 ** 31 - 1);
		const video = script.resultFile ?? (this.fixtureVideo ??= readFileSync(DEFAULT_VIDEO_PATH));
		const videoPath = `/files/output/${requestId}/output.mp4`;
		this.files.set(videoPath, { bytes: video, contentType: 'video/mp4', ...(script.drip ? { drip: script.drip } : {}) });
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
			validationErrors,
			streams: 0,
			unavailableAnswered: 0,
			recovered: false,
			webhookUrl,
			webhookSent: false,
		};
		this.jobs.set(requestId, job);
		this.scheduleWebhook(job);
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(req.headers)) {
			if (typeof v === 'string') headers[k] = k === 'authorization' ? '<redacted>' : v;
		}
		this.submits.push({ requestId, model, input, at: job.submittedAt, headers });
		record.requestId = requestId;
		const answer = () =>
			reply(200, { status: 'IN_QUEUE', ...this.urlsFor(job), queue_position: positions[0] ?? 0 }, { 'x-fal-request-id': requestId });
		if (!heldAfterAccept) return answer();
		void heldAfterAccept.until(req).then((how) => {
			if (how === 'released') answer();
		});
	}

	private result(job: Job, reply: Reply): void {
		const snap = this.snapshot(job, Date.now());
		const headers = { 'x-fal-request-id': job.requestId };
		if (snap.status !== 'COMPLETED') {
			reply(400, { detail: 'Request is still in progress' }, headers);
			return;
		}
		const failure = this.failureOf(job, snap.cancelled);
		if (failure) {
			reply(failure.status, failure.body, { ...headers, ...failure.headers });
			return;
		}
		reply(200, this.resultBody(job), headers);
	}

	private cancel(job: Job, reply: Reply): void {
		const now = Date.now();
		const snap = this.snapshot(job, now);
		const headers = { 'x-fal-request-id': job.requestId };
		if (snap.status === 'COMPLETED') {
			reply(400, { status: 'ALREADY_COMPLETED' }, headers);
			return;
		}
		if (snap.status === 'IN_QUEUE' || job.script.cancelInProgress !== 'ignore') job.cancelledAt = now;
		reply(202, { status: 'CANCELLATION_REQUESTED' }, headers);
		this.sendWebhookIfDone(job);
	}

	private stream(req: IncomingMessage, res: ServerResponse, job: Job, withLogs: boolean, record: FalRequestRecord): void {
		record.status = 200;
		record.events = 0;
		job.streams++;
		res.writeHead(200, {
			'content-type': 'text/event-stream',
			'cache-control': 'no-cache',
			connection: 'keep-alive',
			'x-fal-request-id': job.requestId,
		});
		res.flushHeaders();
		const silent = job.script.silentStream;
		if (silent === true || (typeof silent === 'number' && job.streams <= silent)) {
			// Headers only; no event and no end, whatever the job does, until the client goes away.
			res.on('close', () => {
				record.closedAt = Date.now();
				record.completed = false;
			});
			return;
		}
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
				record.events = (record.events ?? 0) + 1;
			}
			if (snap.status === 'COMPLETED') {
				stop();
				record.completed = true;
				res.end();
			}
		};
		req.on('close', stop);
		res.on('close', () => {
			stop();
			record.closedAt = Date.now();
			record.completed ??= false;
		});
		tick();
		if (!res.writableEnded) {
			timer = setInterval(tick, STREAM_TICK_MS);
			this.timers.add(timer);
		}
	}

	private serveFile(res: ServerResponse, method: string, file: StoredFile, record: FalRequestRecord): void {
		record.status = 200;
		res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length });
		const spec = file.drip ?? this.fileDrip;
		if (method === 'HEAD' || !spec) {
			record.bytesSent = method === 'HEAD' ? 0 : file.bytes.length;
			res.end(method === 'HEAD' ? undefined : file.bytes, () => {
				record.closedAt = Date.now();
				record.completed = true;
			});
			return;
		}
		drip(
			res,
			file.bytes,
			spec,
			this.timers,
			(sent) => (record.bytesSent = sent),
			(complete) => {
				record.closedAt = Date.now();
				record.completed = complete;
			},
		);
	}
}
