/**
 * POST /fal/webhook in fal's terms: verify, read the outcome, hand it on, answer. Shaped like the
 * HTTP server's `onFalWebhook` without importing it (adapters do not import each other; the
 * composition root joins the two).
 *
 * The answer decides whether fal tries again: 2xx only once the outcome was taken; a failure of
 * ours (keys unreachable, the engine threw) is a 5xx so the delivery is retried; a request that
 * did not verify is refused (4xx). fal may deliver the same request more than once (retries,
 * replays within the 300 s window), so `onOutcome` must be idempotent per request id.
 */
import {
	parseWebhookOutcome,
	type FalWebhookBody,
	type WebhookHeaders,
	type WebhookOutcome,
	type WebhookRejection,
	type WebhookVerifier,
} from './webhook.js';

export interface FalWebhookDelivery {
	readonly requestId: string;
	readonly outcome: WebhookOutcome;
	readonly body: FalWebhookBody;
	/** The webhook URL's own query: what the bot put there when it submitted (not signed: a hint to check). */
	readonly query: URLSearchParams;
}

export interface FalWebhookHandlerOptions {
	readonly verifier: WebhookVerifier;
	readonly log: { info(fields: object, message: string): void; warn(fields: object, message: string): void };
	readonly onOutcome: (delivery: FalWebhookDelivery) => Promise<void> | void;
}

const STATUS: Readonly<Record<WebhookRejection, number>> = {
	'missing-headers': 400,
	stale: 401,
	'bad-signature': 401,
	'bad-body': 400,
	'keys-unavailable': 503,
};

/** fal's request ids are UUIDs; an unverified header is logged only when it looks like one. */
const loggable = (value: unknown): string | undefined => (typeof value === 'string' && /^[\w-]{1,64}$/.test(value) ? value : undefined);

export function createFalWebhookHandler(options: FalWebhookHandlerOptions) {
	const { verifier, log, onOutcome } = options;
	return async (rawBody: Buffer, headers: WebhookHeaders, query = new URLSearchParams()): Promise<{ status: number; body?: unknown }> => {
		const verdict = await verifier.verify(rawBody, headers);
		if (!verdict.ok) {
			log.warn({ requestId: loggable(headers['x-fal-webhook-request-id']), reason: verdict.reason }, 'fal webhook refused');
			return { status: STATUS[verdict.reason], body: { error: verdict.reason } };
		}
		const outcome = parseWebhookOutcome(verdict.body);
		log.info({ requestId: verdict.requestId, outcome: outcome.kind }, 'fal webhook received');
		await onOutcome({ requestId: verdict.requestId, outcome, body: verdict.body, query });
		return { status: 200, body: { received: true } };
	};
}
