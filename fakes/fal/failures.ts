/**
 * How a fal queue request fails AFTER it reached `COMPLETED` (queue-errors.md, sections 2, 2a, 3):
 * the status carries `error` + `error_type`, and `GET …/requests/<id>` answers the failure's HTTP status
 * with one of two body shapes:
 *
 *  - request errors (infrastructure: timeouts, runners, connections) [E-req]:
 *      `{ detail: "<human string>", error_type: "<type>" }` + header `X-Fal-Error-Type: <type>`
 *  - model errors (the runner refused or failed the input) [E-model]:
 *      `{ detail: [{ loc: ['body', field] | ['body'], msg, type, url, ctx?, input? }] }`
 *
 * Status codes are the documented "typical" ones; `FailureSpec.status` overrides them.
 */
import type { FieldError } from './schemas.js';

/** Request error types and their typical HTTP status [E-req]. */
export const REQUEST_ERRORS = {
	request_timeout: { status: 504, detail: 'Request timed out' },
	startup_timeout: { status: 504, detail: 'Runner startup timed out' },
	runner_scheduling_failure: { status: 503, detail: 'Could not schedule a runner for the request' },
	runner_connection_timeout: { status: 503, detail: 'Timed out connecting to the runner' },
	runner_disconnected: { status: 503, detail: 'Runner disconnected' },
	runner_connection_refused: { status: 503, detail: 'Runner refused the connection' },
	runner_connection_error: { status: 503, detail: 'Error connecting to the runner' },
	runner_incomplete_response: { status: 502, detail: 'Runner returned an incomplete response' },
	runner_server_error: { status: 500, detail: 'Runner server error' },
	client_disconnected: { status: 499, detail: 'The client disconnected' },
	client_cancelled: { status: 499, detail: 'The request was cancelled by the client.' },
	bad_request: { status: 400, detail: 'Bad request' },
	internal_error: { status: 500, detail: 'Internal error' },
} as const satisfies Record<string, { status: number; detail: string }>;

/**
 * Model error types, their HTTP status, and the `loc` field / `ctx` the fake uses by default [E-model].
 * `ctx` values are the docs' example numbers; fal publishes no per-model thresholds.
 */
export const MODEL_ERRORS = {
	internal_server_error: { status: 500, msg: 'Internal server error' },
	generation_timeout: { status: 504, msg: 'Generation timed out' },
	downstream_service_error: { status: 400, msg: 'Downstream service error' },
	downstream_service_unavailable: { status: 500, msg: 'Downstream service unavailable' },
	content_policy_violation: { status: 422, msg: 'Content policy violation' },
	no_media_generated: { status: 422, msg: 'No media generated' },
	image_too_small: { status: 422, msg: 'Image too small', field: 'image_url', ctx: { min_height: 512, min_width: 512 } },
	image_too_large: { status: 422, msg: 'Image too large', field: 'image_url', ctx: { max_height: 1024, max_width: 1024 } },
	image_load_error: { status: 422, msg: 'Image load error', field: 'image_url' },
	file_download_error: { status: 422, msg: 'File download error', field: 'image_url' },
	face_detection_error: { status: 422, msg: 'Face detection error', field: 'image_url' },
	file_too_large: { status: 422, msg: 'File too large', field: 'image_url', ctx: { max_size: 10_485_760 } },
	feature_not_supported: { status: 422, msg: 'Feature not supported' },
	invalid_archive: { status: 422, msg: 'Invalid archive', field: 'control_maps_data_url' },
	unsupported_image_format: { status: 422, msg: 'Unsupported image format', field: 'image_url' },
	unsupported_video_format: { status: 422, msg: 'Unsupported video format' },
	unsupported_audio_format: { status: 422, msg: 'Unsupported audio format' },
	/** fal app framework `FieldException` (queue-errors.md 2a). */
	value_error: { status: 422, msg: 'Value error' },
} as const satisfies Record<string, { status: number; msg: string; field?: string; ctx?: Record<string, unknown> }>;

export type RequestErrorType = keyof typeof REQUEST_ERRORS;
export type ModelErrorType = keyof typeof MODEL_ERRORS;
export type FalErrorType = RequestErrorType | ModelErrorType;

/** A runner failure the job shows once COMPLETED (script `fail`, `outcome: 'error'`, `release(id, 'error')`). */
export interface FailureSpec {
	/** A documented request error type (flat body + X-Fal-Error-Type) or model error type (`detail[]`). */
	type: FalErrorType;
	/** Request errors: the `detail` string. Model errors: the entry's `msg`. Default: the table's text. */
	detail?: string;
	/** Model errors: `loc: ['body', field]`; `null` → `loc: ['body']`. Default: the table's field, else ['body']. */
	field?: string | null;
	/** Model errors: `ctx`. Default: the table's. */
	ctx?: Record<string, unknown>;
	/** Model errors: `input`. Default: the job input's value for `field` (omitted when there is none). */
	input?: unknown;
	/** HTTP status of the result instead of the documented typical one. */
	status?: number;
	/** Adds `X-Fal-Retryable: true|false` to the result [E-model]. */
	retryable?: boolean;
	/** Whether the COMPLETED status carries `error` + `error_type`. Default true. */
	statusError?: boolean;
}

export function isRequestErrorType(type: string): type is RequestErrorType {
	return Object.hasOwn(REQUEST_ERRORS, type);
}

export function isModelErrorType(type: string): type is ModelErrorType {
	return Object.hasOwn(MODEL_ERRORS, type);
}

export interface FailureResponse {
	status: number;
	body: unknown;
	headers: Record<string, string>;
	/** `error` / `error_type` for the COMPLETED status (undefined: none). */
	statusError?: { error: string; error_type: string };
}

/** The result answer (and status extras) for a failed job. */
export function failureResponse(spec: FailureSpec, jobInput: unknown): FailureResponse {
	const headers: Record<string, string> = {};
	if (spec.retryable !== undefined) headers['x-fal-retryable'] = String(spec.retryable);
	if (isRequestErrorType(spec.type)) {
		const known = REQUEST_ERRORS[spec.type];
		const detail = spec.detail ?? known.detail;
		headers['x-fal-error-type'] = spec.type;
		return {
			status: spec.status ?? known.status,
			body: { detail, error_type: spec.type },
			headers,
			...(spec.statusError === false ? {} : { statusError: { error: detail, error_type: spec.type } }),
		};
	}
	if (!isModelErrorType(spec.type)) throw new Error(`fake-fal: undocumented error type ${String(spec.type)}`);
	const known: { status: number; msg: string; field?: string; ctx?: Record<string, unknown> } = MODEL_ERRORS[spec.type];
	const field = spec.field === undefined ? known.field : (spec.field ?? undefined);
	const msg = spec.detail ?? known.msg;
	const ctx = spec.ctx ?? known.ctx;
	const inputs = (jobInput ?? {}) as Record<string, unknown>;
	const input = 'input' in spec ? spec.input : field !== undefined ? inputs[field] : undefined;
	const entry: FieldError = {
		loc: field === undefined ? ['body'] : ['body', field],
		msg,
		type: spec.type,
		url: `https://docs.fal.ai/errors/#${spec.type}`,
		...(ctx ? { ctx } : {}),
		...(input !== undefined ? { input } : {}),
	};
	return {
		status: spec.status ?? known.status,
		body: { detail: [entry] },
		headers,
		...(spec.statusError === false ? {} : { statusError: { error: msg, error_type: spec.type } }),
	};
}

/** A schema-validation failure: 422 with every field's entry; the status carries no `error` (not documented). */
export function validationResponse(errors: FieldError[]): FailureResponse {
	return { status: 422, body: { detail: errors }, headers: { 'x-fal-billable-units': '0' } };
}
