import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookVerifier, type WebhookVerifier } from '../../src/fal/webhook.js';
import { FakeFal } from '../../fakes/fal/index.js';

const ID = '5057fca7-2eb3-468f-b95d-cefe92b0b9d4';
// Python's spacing and a seed above 2^53, as a real delivery looked: only the raw bytes verify.
const BODY = Buffer.from(
	`{"error": null, "gateway_request_id": "${ID}", "payload": {"image": {"url": "https://v3.fal.media/files/lion/o.mp4"}, "seed": 17454220438242315174}, "request_id": "${ID}", "status": "OK"}`,
);
const MINUTE = 60_000;

let fal: FakeFal;
let clock: number;
let verifier: WebhookVerifier;

const jwksFetches = () => fal.requests.filter((r) => r.kind === 'jwks').length;
const signed = (body = BODY, at = clock) => fal.signWebhook(body, ID, { timestamp: at });
const fresh = () => createWebhookVerifier({ jwksUrl: fal.jwksUrl, log: pino({ level: 'silent' }), now: () => clock });

beforeAll(async () => {
	fal = await FakeFal.start();
});

afterAll(async () => {
	await fal.close();
});

beforeEach(() => {
	fal.reset();
	clock = Date.now();
	verifier = fresh();
});

describe('createWebhookVerifier', () => {
	it('accepts a delivery signed by a key of the JWKS and parses its body tolerantly', async () => {
		const verdict = await verifier.verify(BODY, signed());
		expect(verdict).toMatchObject({ ok: true, requestId: ID, body: { status: 'OK', request_id: ID, gateway_request_id: ID, error: null } });
		expect(jwksFetches()).toBe(1);
	});

	it('refuses a delivery signed by another key', async () => {
		const other = await FakeFal.start();
		try {
			const forged = other.signWebhook(BODY, ID, { timestamp: clock });
			expect(await verifier.verify(BODY, forged)).toEqual({ ok: false, reason: 'bad-signature' });
		} finally {
			await other.close();
		}
	});

	it('refuses a body changed by one byte', async () => {
		const headers = signed();
		const changed = Buffer.from(BODY);
		changed[changed.length - 3] = 'X'.charCodeAt(0);
		expect(await verifier.verify(changed, headers)).toEqual({ ok: false, reason: 'bad-signature' });
	});

	it('refuses a timestamp more than 300 s away, either side, and takes one 300 s away', async () => {
		expect(await verifier.verify(BODY, signed(BODY, clock - 301_000))).toEqual({ ok: false, reason: 'stale' });
		expect(await verifier.verify(BODY, signed(BODY, clock + 301_000))).toEqual({ ok: false, reason: 'stale' });
		expect(await verifier.verify(BODY, signed(BODY, clock - 300_000))).toMatchObject({ ok: true });
		expect(await verifier.verify(BODY, { ...signed(), 'x-fal-webhook-timestamp': 'yesterday' })).toEqual({ ok: false, reason: 'stale' });
	});

	it('refuses a delivery missing any of the four headers, without fetching keys', async () => {
		for (const name of ['x-fal-webhook-request-id', 'x-fal-webhook-user-id', 'x-fal-webhook-timestamp', 'x-fal-webhook-signature']) {
			const headers: Record<string, string | undefined> = { ...signed() };
			delete headers[name];
			expect(await verifier.verify(BODY, headers)).toEqual({ ok: false, reason: 'missing-headers' });
			expect(await verifier.verify(BODY, { ...headers, [name]: '' })).toEqual({ ok: false, reason: 'missing-headers' });
		}
		expect(jwksFetches()).toBe(0);
	});

	it('refuses a validly signed body that is not a fal webhook, or names another request', async () => {
		const notJson = Buffer.from('status=OK');
		expect(await verifier.verify(notJson, fal.signWebhook(notJson, ID, { timestamp: clock }))).toEqual({ ok: false, reason: 'bad-body' });
		const otherId = Buffer.from(JSON.stringify({ request_id: 'another', status: 'OK', payload: {} }));
		expect(await verifier.verify(otherId, fal.signWebhook(otherId, ID, { timestamp: clock }))).toEqual({ ok: false, reason: 'bad-body' });
	});

	it('fetches the JWKS again once when fal rotated its key, then verifies from the cache', async () => {
		expect(await verifier.verify(BODY, signed())).toMatchObject({ ok: true });
		fal.rotateWebhookKey();
		clock += MINUTE;
		expect(await verifier.verify(BODY, signed())).toMatchObject({ ok: true });
		expect(await verifier.verify(BODY, signed())).toMatchObject({ ok: true });
		expect(jwksFetches()).toBe(2);
	});

	it('fetches the JWKS at most once a minute under a flood of forged deliveries', async () => {
		expect(await verifier.verify(BODY, signed())).toMatchObject({ ok: true });
		const forger = await FakeFal.start();
		try {
			const forged = () => forger.signWebhook(BODY, ID, { timestamp: clock });
			const flood = await Promise.all(Array.from({ length: 50 }, () => verifier.verify(BODY, forged())));
			expect(flood.every((v) => !v.ok && v.reason === 'bad-signature')).toBe(true);
			expect(jwksFetches()).toBe(1);
			clock += MINUTE - 1;
			await Promise.all(Array.from({ length: 20 }, () => verifier.verify(BODY, forged())));
			expect(jwksFetches()).toBe(1);
			clock += 1;
			await Promise.all(Array.from({ length: 20 }, () => verifier.verify(BODY, forged())));
			expect(jwksFetches()).toBe(2);
		} finally {
			await forger.close();
		}
	});

	it('uses fetched keys for at most 24 hours', async () => {
		expect(await verifier.verify(BODY, signed())).toMatchObject({ ok: true });
		clock += 24 * 60 * MINUTE - 1;
		expect(await verifier.verify(BODY, signed())).toMatchObject({ ok: true });
		expect(jwksFetches()).toBe(1);
		clock += 1;
		expect(await verifier.verify(BODY, signed())).toMatchObject({ ok: true });
		expect(jwksFetches()).toBe(2);
	});

	it('says keys-unavailable (so fal retries) when the JWKS cannot be fetched', async () => {
		const broken = createWebhookVerifier({ jwksUrl: `${fal.origin}/nothing-here`, log: pino({ level: 'silent' }), now: () => clock });
		expect(await broken.verify(BODY, signed())).toEqual({ ok: false, reason: 'keys-unavailable' });
		const refused = createWebhookVerifier({
			jwksUrl: fal.jwksUrl,
			log: pino({ level: 'silent' }),
			fetch: () => Promise.reject(new TypeError('fetch failed')),
		});
		expect(await refused.verify(BODY, signed(BODY, Date.now()))).toEqual({ ok: false, reason: 'keys-unavailable' });
	});

	it('refuses a JWKS larger than its cap', async () => {
		const capped = createWebhookVerifier({ jwksUrl: fal.jwksUrl, log: pino({ level: 'silent' }), now: () => clock, maxBytes: 16 });
		expect(await capped.verify(BODY, signed())).toEqual({ ok: false, reason: 'keys-unavailable' });
	});
});
