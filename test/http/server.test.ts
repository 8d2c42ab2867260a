import { request } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookVerifier } from '../../src/fal/webhook.js';
import { createMetrics, noopMetrics } from '../../src/http/metrics.js';
import { createHttpServer, type FalWebhookHandler, type HttpServer, type HttpServerOptions } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { FakeFal } from '../../fakes/fal/index.js';

const ID = '5057fca7-2eb3-468f-b95d-cefe92b0b9d4';
const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpzZWNyZXQ';

let fal: FakeFal;
let server: HttpServer | undefined;
let logged: string[];

function capture() {
	logged = [];
	// The bot's own logger, so the test sees what production would write.
	const destination = new Writable({ write: (chunk: Buffer, _e, done) => (logged.push(chunk.toString()), done()) });
	return createLogger({ level: 'debug', secrets: [], destination });
}

async function start(options: Partial<HttpServerOptions> = {}): Promise<HttpServer> {
	server = await createHttpServer({ port: 0, host: '127.0.0.1', log: capture(), ready: () => true, metrics: noopMetrics, ...options });
	return server;
}

/** A POST whose body is written in chunks without a content-length (as a streaming sender would). */
function postChunked(url: string, chunks: Buffer[], keepOpen = false): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const req = request(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
			let text = '';
			res.on('data', (c: Buffer) => (text += c.toString())).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
		});
		req.on('error', reject);
		for (const chunk of chunks) req.write(chunk);
		if (!keepOpen) req.end();
	});
}

beforeAll(async () => {
	fal = await FakeFal.start();
});

afterEach(async () => {
	await server?.close();
	server = undefined;
});

afterAll(async () => {
	await fal.close();
});

describe('health', () => {
	it('answers /livez at once and /readyz 503 until ready, then 200', async () => {
		let ready = false;
		const { url } = await start({ ready: () => ready });
		expect((await fetch(`${url}/livez`)).status).toBe(200);
		expect((await fetch(`${url}/readyz`)).status).toBe(503);
		ready = true;
		expect((await fetch(`${url}/readyz`)).status).toBe(200);
		expect((await fetch(`${url}/readyz?verbose=1`, { method: 'HEAD' })).status).toBe(200);
	});

	it('answers an unknown path 404 without echoing it, and a wrong method 405 with Allow', async () => {
		const { url } = await start();
		const unknown = await fetch(`${url}/webhooks/1/${INTERACTION_TOKEN}`);
		expect(unknown.status).toBe(404);
		expect(await unknown.text()).not.toContain(INTERACTION_TOKEN);
		const wrong = await fetch(`${url}/livez`, { method: 'POST', body: 'x' });
		expect(wrong.status).toBe(405);
		expect(wrong.headers.get('allow')).toBe('GET, HEAD');
		expect((await fetch(`${url}/fal/webhook`)).status).toBe(404);
		expect(logged.join('')).not.toContain(INTERACTION_TOKEN);
	});
});

describe('/metrics', () => {
	it('serves the bot metrics and process metrics, with no ids or tokens in any label', async () => {
		const metrics = createMetrics({ collectJobStates: () => ({ queued: 2, running: 1, 'not-a-state': 9 }), collectQueueDepth: () => 4 });
		metrics.submitted();
		metrics.delivered('follow-up');
		metrics.failed('fal-failed');
		metrics.observeFalWait(3);
		metrics.observeFalRun(20);
		metrics.observeDiscordRest(`/webhooks/1234567890123456789/${INTERACTION_TOKEN}/messages/@original`, 0.2);
		metrics.discordRateLimited('shared');
		const { url } = await start({ metrics });
		const response = await fetch(`${url}/metrics`);
		expect(response.headers.get('content-type')).toContain('text/plain');
		const text = await response.text();
		for (const name of [
			'animate_fal_submits_total 1',
			'animate_jobs{state="queued"} 2',
			'animate_jobs{state="delivered"} 0',
			'animate_deliveries_total{via="follow-up"} 1',
			'animate_failures_total{reason="fal-failed"} 1',
			'animate_fal_wait_seconds_count 1',
			'animate_fal_run_seconds_sum 20',
			'animate_discord_rest_seconds_count{route="/webhooks/:id/:token/messages/@original"} 1',
			'animate_discord_429_total{scope="shared"} 1',
			'animate_queue_depth 4',
			'process_cpu_user_seconds_total',
			'nodejs_eventloop_lag_seconds',
		]) {
			expect(text).toContain(name);
		}
		expect(text).not.toContain('not-a-state');
		expect(text).not.toContain(INTERACTION_TOKEN);
		expect(text).not.toContain('1234567890123456789');
	});
});

describe('POST /fal/webhook', () => {
	it("hands over the exact bytes received, which verify against fal's signature", async () => {
		// Odd spacing and a seed above 2^53: any re-serialisation would break the signature.
		const body = Buffer.from(`{"status": "OK",  "request_id": "${ID}", "payload": {"seed": 17454220438242315174}}\n`);
		const headers = fal.signWebhook(body, ID);
		const verifier = createWebhookVerifier({ jwksUrl: fal.jwksUrl, log: pino({ level: 'silent' }) });
		let got: Buffer | undefined;
		let query: URLSearchParams | undefined;
		const onFalWebhook: FalWebhookHandler = async (raw, h, q) => {
			got = raw;
			query = q;
			const verdict = await verifier.verify(raw, h);
			return { status: verdict.ok ? 200 : 401, body: { ok: verdict.ok } };
		};
		const { url } = await start({ onFalWebhook });
		// The URL's own query (the bot names the job and submit attempt there) reaches the handler, and never the log.
		const response = await fetch(`${url}/fal/webhook?animate_job=j1&animate_attempt=secret-attempt`, { method: 'POST', headers, body });
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ ok: true });
		expect(got?.equals(body)).toBe(true);
		expect(query?.get('animate_job')).toBe('j1');
		expect(query?.get('animate_attempt')).toBe('secret-attempt');
		const log = logged.join('');
		expect(log).toContain(ID);
		expect(log).not.toContain(headers['x-fal-webhook-signature']);
		expect(log).not.toContain(headers['x-fal-webhook-user-id']);
		expect(log).not.toContain('secret-attempt');
	});

	it('refuses a body over the cap with 413, by declared length or as it streams, without calling the handler', async () => {
		let calls = 0;
		const { url } = await start({ maxBodyBytes: 1024, onFalWebhook: async () => (calls++, { status: 200 }) });
		const declared = await fetch(`${url}/fal/webhook`, { method: 'POST', body: Buffer.alloc(2048, 0x20) });
		expect(declared.status).toBe(413);
		const streamed = await postChunked(`${url}/fal/webhook`, [Buffer.alloc(600, 0x20), Buffer.alloc(600, 0x20)], true);
		expect(streamed.status).toBe(413);
		expect(calls).toBe(0);
		expect((await fetch(`${url}/fal/webhook`, { method: 'POST', body: Buffer.alloc(1024, 0x20) })).status).toBe(200);
		expect(calls).toBe(1);
	});

	it('answers 408 when the body does not arrive in time', async () => {
		const { url } = await start({ bodyTimeoutMs: 100, onFalWebhook: async () => ({ status: 200 }) });
		const slow = await postChunked(`${url}/fal/webhook`, [Buffer.from('{"status":')], true);
		expect(slow.status).toBe(408);
	});

	it('answers 500 when the handler throws, and logs no token from the error', async () => {
		const { url } = await start({
			onFalWebhook: () => Promise.reject(new Error(`engine failed on https://discord.com/api/webhooks/1/${INTERACTION_TOKEN}`)),
		});
		const response = await fetch(`${url}/fal/webhook`, { method: 'POST', headers: { 'x-fal-webhook-request-id': ID }, body: '{}' });
		expect(response.status).toBe(500);
		expect(await response.text()).not.toContain('engine failed');
		expect(logged.join('')).toContain('fal webhook handler failed');
		expect(logged.join('')).not.toContain(INTERACTION_TOKEN);
	});
});
