import { createFalClient, type FalClient } from '@fal-ai/client';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookVerifier, type WebhookVerifier } from '../../src/fal/webhook.js';
import { FakeFal } from '../../fakes/fal/index.js';
import { WebhookReceiver } from '../../fakes/fal/receiver.js';

const MODEL = 'fal-ai/svd';
const INPUT = { image_url: 'https://v3.fal.media/files/panda/abc_source.png', seed: 7 };

let fal: FakeFal;
let client: FalClient;
let receiver: WebhookReceiver;
let verifier: WebhookVerifier;

beforeAll(async () => {
	fal = await FakeFal.start({ webhookRetry: { delaysMs: [20, 40, 80] } });
	client = createFalClient({ credentials: fal.key, proxyUrl: { url: fal.url, when: 'always' } });
	receiver = await WebhookReceiver.start();
});

afterAll(async () => {
	await fal.close();
	await receiver.close();
});

beforeEach(() => {
	fal.reset();
	fal.setWebhookRetry({ delaysMs: [20, 40, 80] });
	receiver.reset();
	verifier = createWebhookVerifier({ jwksUrl: fal.jwksUrl, log: pino({ level: 'silent' }) });
});

const json = (body: Buffer) => JSON.parse(body.toString('utf8')) as Record<string, unknown>;

async function submit(webhookUrl = receiver.url): Promise<string> {
	return (await client.queue.submit(MODEL, { input: INPUT, webhookUrl })).request_id;
}

describe('FakeFal webhooks', () => {
	it('posts a signed OK delivery for a job submitted with webhookUrl through the real client', async () => {
		// A query in the webhook URL proves the percent-encoded fal_webhook is decoded exactly once.
		const url = `${receiver.url}?job=a%2Fb&x=1`;
		const id = await submit(url);
		expect(fal.requests.find((r) => r.kind === 'submit')?.targetUrl).toContain(`fal_webhook=${encodeURIComponent(url)}`);
		expect(fal.job(id)?.webhookUrl).toBe(url);

		const [delivery] = await receiver.waitFor(1);
		expect(delivery?.path).toBe('/fal/webhook?job=a%2Fb&x=1');
		expect(delivery?.headers['x-fal-webhook-request-id']).toBe(id);
		expect(delivery?.headers['x-fal-webhook-user-id']).toBe(fal.webhookUserId);
		expect(delivery?.headers['x-fal-webhook-timestamp']).toMatch(/^\d{10}$/);
		expect(delivery?.headers['x-fal-webhook-signature']).toMatch(/^[0-9a-f]{128}$/);
		const result = await client.queue.result(MODEL, { requestId: id });
		const payload: unknown = result.data;
		expect(json(delivery!.body)).toEqual({ request_id: id, gateway_request_id: id, status: 'OK', payload, error: null });

		const verdict = await verifier.verify(delivery!.body, delivery!.headers);
		expect(verdict).toMatchObject({ ok: true, requestId: id });
		await fal.webhooksSettled();
		expect(fal.webhookDeliveries).toEqual([expect.objectContaining({ url, requestId: id, attempt: 1, status: 200, kind: 'delivery' })]);
	});

	it('posts ERROR with the result status and the error body as payload', async () => {
		fal.script({ fail: { type: 'image_too_small' } });
		const id = await submit();
		const [delivery] = await receiver.waitFor(1);
		const body = json(delivery!.body);
		expect(body).toMatchObject({ request_id: id, status: 'ERROR', error: 'Invalid status code: 422' });
		expect(body['payload']).toMatchObject({ detail: [{ loc: ['body', 'image_url'], type: 'image_too_small' }] });
		expect(await verifier.verify(delivery!.body, delivery!.headers)).toMatchObject({ ok: true });
	});

	it('posts ERROR for a request error, with the flat detail and error_type', async () => {
		fal.script({ fail: { type: 'request_timeout' } });
		const id = await submit();
		const [delivery] = await receiver.waitFor(1);
		expect(json(delivery!.body)).toMatchObject({
			request_id: id,
			status: 'ERROR',
			error: 'Invalid status code: 504',
			payload: { detail: 'Request timed out', error_type: 'request_timeout' },
		});
	});

	it('retries on a 500 and on no answer, then stops once answered 2xx', async () => {
		receiver.answerNext(500, 0);
		const id = await submit();
		const received = await receiver.waitFor(3);
		await fal.webhooksSettled();
		expect(fal.webhookDeliveries.map((d) => [d.attempt, d.status])).toEqual([
			[1, 500],
			[2, 0],
			[3, 200],
		]);
		// The same signed bytes each time, so each attempt verifies on its own.
		expect(new Set(received.map((r) => r.body.toString('hex'))).size).toBe(1);
		expect(received.every((r) => r.headers['x-fal-webhook-request-id'] === id)).toBe(true);
	});

	it('gives up after the configured retries', async () => {
		fal.setWebhookRetry({ delaysMs: [10, 10] });
		receiver.answerNext(503, 503, 503, 503);
		await submit();
		await receiver.waitFor(3);
		await fal.webhooksSettled();
		expect(fal.webhookDeliveries.map((d) => d.status)).toEqual([503, 503, 503]);
		expect(receiver.received).toHaveLength(3);
	});

	it('never follows a redirect, nor retries one', async () => {
		const elsewhere = await WebhookReceiver.start();
		try {
			receiver.answerNext({ redirect: elsewhere.url });
			await submit();
			await receiver.waitFor(1);
			await fal.webhooksSettled();
			expect(fal.webhookDeliveries.map((d) => d.status)).toEqual([302]);
			expect(elsewhere.received).toHaveLength(0);
		} finally {
			await elsewhere.close();
		}
	});

	it('replays the same signed delivery byte for byte', async () => {
		const id = await submit();
		const [first] = await receiver.waitFor(1);
		fal.replayWebhook(id);
		const [, again] = await receiver.waitFor(2);
		expect(again!.body.equals(first!.body)).toBe(true);
		expect(again!.headers['x-fal-webhook-signature']).toBe(first!.headers['x-fal-webhook-signature']);
		expect(again!.headers['x-fal-webhook-timestamp']).toBe(first!.headers['x-fal-webhook-timestamp']);
		await fal.webhooksSettled();
		expect(fal.webhookDeliveries.map((d) => d.kind)).toEqual(['delivery', 'replay']);
	});

	it('sends forged (another key) and stale (old timestamp) deliveries the verifier refuses', async () => {
		const id = await submit();
		await receiver.waitFor(1);
		fal.sendForgedWebhook(receiver.url, id);
		fal.sendStaleWebhook(receiver.url, id, 301);
		const [genuine, ...others] = await receiver.waitFor(3);
		const forged = others.find((r) => r.headers['x-fal-webhook-timestamp'] === genuine!.headers['x-fal-webhook-timestamp']) ?? others[0];
		const stale = others.find((r) => r !== forged);
		expect(forged!.body.equals(genuine!.body)).toBe(true);
		expect(await verifier.verify(forged!.body, forged!.headers)).toEqual({ ok: false, reason: 'bad-signature' });
		expect(Number(stale!.headers['x-fal-webhook-timestamp'])).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) - 301);
		expect(await verifier.verify(stale!.body, stale!.headers)).toEqual({ ok: false, reason: 'stale' });
	});

	it("sends nothing for a job scripted webhook: 'drop'", async () => {
		fal.script({ webhook: 'drop', runMs: 10 });
		fal.script({ runMs: 200 });
		const dropped = await submit();
		const delivered = await submit();
		await receiver.waitFor(1);
		await fal.webhooksSettled();
		expect(fal.job(dropped)?.status).toBe('COMPLETED');
		expect(fal.webhookDeliveries.map((d) => d.requestId)).toEqual([delivered]);
	});

	it('delivers a released job at once, and a cancelled one as its ERROR', async () => {
		fal.script({ outcome: 'never' });
		fal.script({ queuePositions: [5, 4, 3], queueStepMs: 10_000 });
		const held = await submit();
		const queued = await submit();
		fal.release(held);
		await client.queue.cancel(MODEL, { requestId: queued });
		const received = await receiver.waitFor(2);
		const byId = new Map(received.map((r) => [r.headers['x-fal-webhook-request-id'], json(r.body)]));
		expect(byId.get(held)).toMatchObject({ status: 'OK' });
		expect(byId.get(queued)).toMatchObject({ status: 'ERROR', error: 'Invalid status code: 499', payload: { error_type: 'client_cancelled' } });
	});

	it('serves its public key as a JWKS, directly and as rest.fal.ai through the proxy, and rotates it', async () => {
		const direct = (await (await fetch(fal.jwksUrl)).json()) as { keys: { kty: string; crv: string; x: string }[] };
		expect(direct.keys).toHaveLength(1);
		expect(direct.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
		expect(direct.keys[0]?.x).toMatch(/^[\w-]{43}$/);
		const proxied = await fetch(fal.url, { headers: { 'x-fal-target-url': 'https://rest.fal.ai/.well-known/jwks.json' } });
		expect(proxied.status).toBe(200);
		expect(await proxied.json()).toEqual(direct);
		fal.rotateWebhookKey();
		const rotated = (await (await fetch(fal.jwksUrl)).json()) as typeof direct;
		expect(rotated.keys).toHaveLength(1);
		expect(rotated.keys[0]?.x).not.toBe(direct.keys[0]?.x);
	});
});
