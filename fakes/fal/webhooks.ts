/**
 * fal's webhook deliveries, as /work/shared/fal/webhooks.md describes them: the documented body,
 * the four X-Fal-Webhook-* headers, an Ed25519 signature over
 * `requestId \n userId \n timestamp \n hex(sha256(body))` made with the fake's own key (served as a
 * JWKS), retries on a non-2xx answer or none, and no redirect ever followed.
 *
 * One deliberate difference: real fal drops private, internal and loopback targets; the fake posts
 * to any URL, since the bot under test listens on loopback.
 */
import { createHash, generateKeyPairSync, randomUUID, sign, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface WebhookDeliveryRecord {
	url: string;
	requestId: string;
	/** 1 for the first try of a delivery, then 2, 3… for its retries. */
	attempt: number;
	/** HTTP status answered; 0 when there was no answer (refused, reset, timed out). */
	status: number;
	at: number;
	/** `delivery` (the job finished), or a knob: `replay`, `forged`, `stale`. */
	kind: 'delivery' | 'replay' | 'forged' | 'stale';
}

export interface WebhookRetryOptions {
	/** Pause before each retry; its length is the number of retries. Default [50, 100, 200] (fal: 10 over 2 h). */
	delaysMs?: number[];
	/** Time allowed per attempt. Default 2 s (fal: 15 s). */
	timeoutMs?: number;
}

export interface SignedWebhook {
	url: string;
	requestId: string;
	body: Buffer;
	headers: Record<string, string>;
}

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export class FakeWebhooks {
	readonly deliveries: WebhookDeliveryRecord[] = [];
	/** The X-Fal-Webhook-User-Id of every delivery (fal: the account's user id). */
	readonly userId = `fake-user-${randomUUID()}`;
	private privateKey!: KeyObject;
	private publicJwk!: JsonWebKey;
	private kid = 0;
	private retry: Required<WebhookRetryOptions> = { delaysMs: [50, 100, 200], timeoutMs: 2_000 };
	/** The last signed delivery per request id, for replays. */
	private readonly sent = new Map<string, SignedWebhook>();
	private readonly pending = new Set<Promise<void>>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private abort = new AbortController();

	constructor() {
		this.rotateKey();
	}

	/** What GET /.well-known/jwks.json answers: the current public key only. */
	jwks(): { keys: JsonWebKey[] } {
		return { keys: [{ ...this.publicJwk, kid: `fake-${this.kid}`, use: 'sig', alg: 'EdDSA' }] };
	}

	/** A new signing key; the JWKS then lists only it, as after a rotation the old one is gone. */
	rotateKey(): void {
		const { privateKey, publicKey } = generateKeyPairSync('ed25519');
		this.privateKey = privateKey;
		this.publicJwk = publicKey.export({ format: 'jwk' });
		this.kid++;
	}

	setRetry(options: WebhookRetryOptions): void {
		this.retry = { ...this.retry, ...options };
	}

	/** Headers fal would send for these exact bytes. `key` signs instead of the fake's key (forgeries). */
	sign(body: Buffer, requestId: string, options: { timestamp?: number; key?: KeyObject } = {}): Record<string, string> {
		const timestamp = String(Math.floor((options.timestamp ?? Date.now()) / 1000));
		const message = Buffer.from([requestId, this.userId, timestamp, sha256Hex(body)].join('\n'), 'utf8');
		return {
			'content-type': 'application/json',
			'x-fal-webhook-request-id': requestId,
			'x-fal-webhook-user-id': this.userId,
			'x-fal-webhook-timestamp': timestamp,
			'x-fal-webhook-signature': sign(null, message, options.key ?? this.privateKey).toString('hex'),
		};
	}

	/** Signs and posts a finished job's body to `url`, retrying like fal. */
	deliver(url: string, requestId: string, body: unknown): void {
		const bytes = Buffer.from(JSON.stringify(body));
		const signed = { url, requestId, body: bytes, headers: this.sign(bytes, requestId) };
		this.sent.set(requestId, signed);
		this.track(this.post(signed, 'delivery', 1));
	}

	/** Sends the last signed delivery of `requestId` again, byte for byte (same timestamp and signature). */
	replay(requestId: string): void {
		const signed = this.sent.get(requestId);
		if (!signed) throw new Error(`fake-fal: no webhook was sent for ${requestId}`);
		this.track(this.post(signed, 'replay', 1, false));
	}

	/** The request's body (or a plain OK one) signed with a key the JWKS does not hold. */
	forge(url: string, requestId: string): void {
		const body = this.sent.get(requestId)?.body ?? Buffer.from(JSON.stringify({ request_id: requestId, status: 'OK', payload: {} }));
		const key = generateKeyPairSync('ed25519').privateKey;
		this.track(this.post({ url, requestId, body, headers: this.sign(body, requestId, { key }) }, 'forged', 1, false));
	}

	/** Validly signed, but `ageSeconds` old. */
	stale(url: string, requestId: string, ageSeconds: number): void {
		const body = this.sent.get(requestId)?.body ?? Buffer.from(JSON.stringify({ request_id: requestId, status: 'OK', payload: {} }));
		const headers = this.sign(body, requestId, { timestamp: Date.now() - ageSeconds * 1000 });
		this.track(this.post({ url, requestId, body, headers }, 'stale', 1, false));
	}

	/** Resolves once every delivery under way (retries included) has finished. */
	async settled(): Promise<void> {
		while (this.pending.size > 0) await Promise.all([...this.pending]);
	}

	reset(): void {
		this.abort.abort();
		this.abort = new AbortController();
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		this.deliveries.length = 0;
		this.sent.clear();
	}

	private track(promise: Promise<void>): void {
		this.pending.add(promise);
		void promise.finally(() => this.pending.delete(promise));
	}

	private async post(signed: SignedWebhook, kind: WebhookDeliveryRecord['kind'], attempt: number, retry = true): Promise<void> {
		// reset() and close() abort this controller; a later reset makes a new one, which must not revive this chain.
		const stop = this.abort.signal;
		const record: WebhookDeliveryRecord = { url: signed.url, requestId: signed.requestId, attempt, status: 0, at: Date.now(), kind };
		this.deliveries.push(record);
		const signal = AbortSignal.any([stop, AbortSignal.timeout(this.retry.timeoutMs)]);
		try {
			// fal does not follow redirects; a 3xx counts as a permanent failure (webhooks.md section 7).
			const response = await fetch(signed.url, { method: 'POST', headers: signed.headers, body: signed.body, redirect: 'manual', signal });
			record.status = response.status;
			await response.body?.cancel();
		} catch {
			record.status = 0;
		}
		const failed = record.status === 0 || record.status >= 400;
		const delay = this.retry.delaysMs[attempt - 1];
		if (!retry || !failed || delay === undefined || stop.aborted) return;
		await new Promise<void>((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, delay);
			this.timers.add(timer);
			stop.addEventListener('abort', () => resolve(), { once: true });
		});
		if (stop.aborted) return;
		await this.post(signed, kind, attempt + 1, retry);
	}
}
