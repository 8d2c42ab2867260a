/**
 * fal's webhooks: verifying a delivery and reading what it says (/work/shared/fal/webhooks.md).
 *
 * @fal-ai/client 1.10.1 has no verification helper: it only puts `webhookUrl` in the submit's query
 * (`?fal_webhook=`) and types the body (`WebHookResponse` in types/common.d.ts); nothing in it
 * checks a signature. So this follows fal's documented steps with node:crypto alone:
 *
 *   message = utf8(requestId + "\n" + userId + "\n" + timestamp + "\n" + hex(sha256(raw body)))
 *
 * verified with Ed25519 against every key of fal's JWKS (no header names a key), the timestamp
 * within ±300 s. Only the raw bytes are hashed: a re-serialised body would not match.
 */
import { createHash, verify as verifySignature, type KeyObject } from 'node:crypto';
import { ApiError, ValidationError } from '@fal-ai/client';
import { FalJobFailed, FalRejected } from '../domain/errors.js';
import type { FalFile } from '../jobs/ports.js';
import { createJwksCache, type JwksCacheOptions } from './jwks.js';
import { classifyFalError } from './errors.js';
import { pickVideo } from './gateway.js';

export const WEBHOOK_HEADERS = {
	requestId: 'x-fal-webhook-request-id',
	userId: 'x-fal-webhook-user-id',
	timestamp: 'x-fal-webhook-timestamp',
	signature: 'x-fal-webhook-signature',
} as const;

/** fal: "Allow a leeway of ±5 minutes (300 seconds)". */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** A webhook body as fal documents it, read tolerantly (webhooks.md sections 2 and 8). */
export interface FalWebhookBody {
	readonly status: 'OK' | 'ERROR';
	readonly request_id: string;
	readonly gateway_request_id?: string;
	/** The model's output (OK) or the runner's error body (ERROR); null when it could not be serialised. */
	readonly payload: unknown;
	/** ERROR: e.g. "Invalid status code: 422"; absent or null on OK. */
	readonly error?: string | null;
	/** Why `payload` is null: the result must then be fetched from the queue. */
	readonly payload_error?: string;
}

export type WebhookRejection = 'missing-headers' | 'stale' | 'bad-signature' | 'bad-body' | 'keys-unavailable';

export type WebhookVerdict =
	{ readonly ok: true; readonly requestId: string; readonly body: FalWebhookBody } | { readonly ok: false; readonly reason: WebhookRejection };

export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface WebhookVerifier {
	verify(rawBody: Buffer, headers: WebhookHeaders): Promise<WebhookVerdict>;
}

export interface WebhookVerifierOptions extends Pick<JwksCacheOptions, 'fetch' | 'now' | 'timeoutMs' | 'maxBytes'> {
	readonly jwksUrl: string;
	/** Any pino-like logger; only reasons and request ids are logged, never a signature. */
	readonly log: { warn(fields: object, message: string): void };
}

/** One value per header: a repeated signature header is not fal's and counts as missing. */
function single(headers: WebhookHeaders, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	const one = Array.isArray(value) ? (value.length === 1 ? (value[0] as string) : undefined) : (value as string | undefined);
	return one === undefined || one.trim() === '' ? undefined : one;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value: unknown): value is string | undefined | null => value === undefined || value === null || typeof value === 'string';

/** The body, or undefined when it is not fal's shape. Unknown keys are kept; `request_id` must match the signed header. */
export function parseWebhookBody(raw: Buffer, requestId: string): FalWebhookBody | undefined {
	let json: unknown;
	try {
		json = JSON.parse(raw.toString('utf8'));
	} catch {
		return undefined;
	}
	if (!isRecord(json) || (json['status'] !== 'OK' && json['status'] !== 'ERROR')) return undefined;
	const bodyId = json['request_id'];
	if (bodyId !== undefined && bodyId !== requestId) return undefined;
	if (!optionalString(json['error']) || !optionalString(json['payload_error']) || !optionalString(json['gateway_request_id'])) return undefined;
	const body: FalWebhookBody = { ...json, status: json['status'], request_id: requestId, payload: json['payload'] ?? null };
	return body;
}

export function createWebhookVerifier(options: WebhookVerifierOptions): WebhookVerifier {
	const now = options.now ?? Date.now;
	const jwks = createJwksCache({ ...options, url: options.jwksUrl, now });

	const verifiedBy = (keys: readonly KeyObject[], message: Buffer, signature: Buffer): boolean =>
		keys.some((key) => {
			try {
				return verifySignature(null, message, key, signature);
			} catch {
				return false;
			}
		});

	return {
		async verify(rawBody, headers) {
			const requestId = single(headers, WEBHOOK_HEADERS.requestId);
			const userId = single(headers, WEBHOOK_HEADERS.userId);
			const timestamp = single(headers, WEBHOOK_HEADERS.timestamp);
			const signatureHex = single(headers, WEBHOOK_HEADERS.signature);
			if (!requestId || !userId || !timestamp || !signatureHex) return { ok: false, reason: 'missing-headers' };
			// Unix seconds as digits; anything else cannot be placed in the window, so it is as good as stale.
			// Whole seconds on both sides, as fal's own examples compare them.
			if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Math.floor(now() / 1000) - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS) {
				return { ok: false, reason: 'stale' };
			}
			// An Ed25519 signature is 64 bytes.
			if (!/^[0-9a-f]{128}$/i.test(signatureHex)) return { ok: false, reason: 'bad-signature' };
			const digest = createHash('sha256').update(rawBody).digest('hex');
			const message = Buffer.from(`${requestId}\n${userId}\n${timestamp}\n${digest}`, 'utf8');
			const signature = Buffer.from(signatureHex, 'hex');

			const cached = await jwks.current();
			let verified = cached !== undefined && verifiedBy(cached, message, signature);
			if (!verified) {
				// Perhaps fal rotated its key: fetch once more (rate-limited inside the cache).
				const fresh = await jwks.refresh();
				verified = fresh !== undefined && verifiedBy(fresh, message, signature);
				if (!verified && cached === undefined && fresh === undefined) {
					options.log.warn({ requestId: requestId.slice(0, 64) }, 'fal webhook keys unavailable');
					return { ok: false, reason: 'keys-unavailable' };
				}
			}
			if (!verified) return { ok: false, reason: 'bad-signature' };
			const body = parseWebhookBody(rawBody, requestId);
			return body ? { ok: true, requestId, body } : { ok: false, reason: 'bad-body' };
		},
	};
}

export type WebhookOutcome =
	| { readonly kind: 'ok'; readonly video: FalFile; readonly seed: number | undefined }
	| {
			readonly kind: 'failed';
			readonly errorType?: string;
			readonly message: string;
			/** Set when fal refused the input (FalRejected's fields, in fal's names). */
			readonly rejection?: readonly { readonly field: string; readonly message: string }[];
			/** The same failure as the gateway would raise it, for the engine's existing handling. */
			readonly error: FalRejected | FalJobFailed;
	  }
	/** fal could not put the output in the webhook (`payload_error`): ask the queue for the result. */
	| { readonly kind: 'ask-queue'; readonly message: string };

const STATUS_IN_ERROR = /\b([1-5]\d\d)\b/;

/**
 * What a verified delivery means for the job. An ERROR payload is the body the runner answered the
 * result request with, so it is classified exactly as the gateway classifies that answer
 * (classifyFalError on the client's own error types): a 422 about the input → rejected fields; a
 * named `error_type` → that failure. The webhook is fal's last word, so a failure fal does not
 * name is still a failure here, never "unreachable".
 */
export function parseWebhookOutcome(body: FalWebhookBody): WebhookOutcome {
	if (body.status === 'OK') {
		if (body.payload === null || body.payload === undefined) {
			return { kind: 'ask-queue', message: body.payload_error ?? 'the webhook carried no payload' };
		}
		try {
			const { video, seed } = pickVideo(body.payload);
			return { kind: 'ok', video, seed };
		} catch (error) {
			const failed = error as FalJobFailed;
			return { kind: 'failed', errorType: failed.errorType, message: failed.message, error: failed };
		}
	}
	if (body.payload === null && body.payload_error) return { kind: 'ask-queue', message: body.payload_error };
	const message = body.error ?? 'fal reported the request failed';
	const status = Number(STATUS_IN_ERROR.exec(message)?.[1] ?? 500);
	const ErrorType = status === 422 ? ValidationError : ApiError;
	const payload = isRecord(body.payload) ? body.payload : {};
	const classified = classifyFalError(new ErrorType({ message, status, body: payload, requestId: body.request_id }));
	if (classified instanceof FalRejected) {
		return { kind: 'failed', message: classified.message, rejection: classified.fields, error: classified };
	}
	const failed = classified instanceof FalJobFailed ? classified : new FalJobFailed(message, { cause: classified });
	const detail = typeof payload['detail'] === 'string' ? payload['detail'] : undefined;
	return { kind: 'failed', ...(failed.errorType ? { errorType: failed.errorType } : {}), message: detail ?? message, error: failed };
}
