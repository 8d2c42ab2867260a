/** Public types of the fake: scripts, records, job state. */
import type { FailureSpec } from './failures.js';
import type { DripSpec } from './http.js';
import type { FieldError } from './schemas.js';
import type { WebhookRetryOptions } from './webhooks.js';

/** 5xx answers to a job's queue requests BEFORE anything is known about it (fal unreachable). */
export interface UnavailableSpec {
	/** HTTP status answered. Default 503. */
	status?: number;
	/** Which of the job's requests fail. Default ['status', 'stream']. */
	kinds?: Array<'status' | 'stream' | 'result' | 'cancel'>;
	/** Fail while less than this many ms passed since submit. */
	forMs?: number;
	/** Fail this many matching requests. (Neither forMs nor requests: until `fal.recover(id)`.) */
	requests?: number;
	/** Response body. Default `{detail: 'Service Unavailable'}`. */
	body?: unknown;
}

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
	 * 'ok' (default) → result 200 (unless `fail` / invalid input); 'error' → shorthand for
	 * `fail: {type: 'runner_server_error', detail: errorMessage}`; 'never' → stays IN_PROGRESS until `release()`.
	 */
	outcome?: 'ok' | 'error' | 'never';
	/** `detail` of outcome 'error'. Default 'Internal error while running the model'. */
	errorMessage?: string;
	/** Runner failure shown once COMPLETED: status `error`/`error_type`, result with fal's status + body. */
	fail?: FailureSpec;
	/** What a cancel while IN_PROGRESS does: 'stop' (default; the app honours the signal) or 'ignore' (runs to the end). */
	cancelInProgress?: 'stop' | 'ignore';
	/** Override the result JSON entirely. */
	result?: unknown;
	/** Bytes served as the generated video instead of the fixture. */
	resultFile?: Buffer;
	/** Serve this job's generated video slowly (see DripSpec; `{}` = 1 byte per second). */
	drip?: DripSpec;
	/** Status streams of this job stay open and silent (headers only, no event, no close) until the client aborts: true = all, n = the first n. */
	silentStream?: boolean | number;
	/** The job's status / stream (by default) answer 5xx for a while: fal unreachable, not a failed job. */
	unavailable?: UnavailableSpec;
	/**
	 * A model error on `field` once COMPLETED (fal's `FieldException`: 422 `{detail:[{loc:['body', field], msg, type}]}`).
	 * Like fal, the submit itself is accepted (200 IN_QUEUE).
	 */
	reject422?: { field: string; msg: string; type?: string };
	/** 'drop': no webhook for this job even when the submit asked for one (fal gave up delivering; test reconciliation). */
	webhook?: 'drop';
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
	| 'jwks'
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
	/** Headers of a JSON answer (e.g. `x-fal-error-type`), lower-case names. */
	responseHeaders?: Record<string, string>;
	/** Status streams: events written. */
	events?: number;
	/** File downloads: body bytes written so far. */
	bytesSent?: number;
	/** Streams and downloads: when the connection closed (by either side). */
	closedAt?: number;
	/** Streams and downloads: whether the fake finished the response (false: the client went away first). */
	completed?: boolean;
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
	/** True once COMPLETED with a failure (invalid input, runner failure, outcome 'error', or cancelled). */
	failed: boolean;
	outcome: 'ok' | 'error' | 'never';
	logs: RequestLog[];
	submittedAt: number;
	completedAt?: number;
	videoUrl: string;
	/** Schema errors of the input (catalogued endpoints); empty when valid, undefined when not validated. */
	validationErrors?: FieldError[];
	/** HTTP status the result answers once COMPLETED (200 when it succeeds). */
	resultStatus: number;
	/** The submit's `?fal_webhook=` (decoded), when it asked for one. */
	webhookUrl?: string;
}

export interface FakeFalOptions {
	/** Expected credentials (the part after `Key `). Default 'fake-fal-key:secret'. */
	key?: string;
	/** Webhook retry pauses and per-attempt timeout (short by default, for tests). */
	webhookRetry?: WebhookRetryOptions;
}
