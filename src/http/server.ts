/**
 * The bot's small HTTP side: health for the orchestrator, metrics for Prometheus, and the door fal's
 * webhooks come in by. node:http alone: four routes do not need a framework.
 *
 *   GET  /livez        200 while the process runs
 *   GET  /readyz       503 until ready() is true (logged in, database open), then 200
 *   GET  /metrics      Prometheus text
 *   POST /fal/webhook  the raw body, capped and timed, handed to onFalWebhook (404 when not given)
 *
 * Nothing a caller sends is echoed back or logged except a webhook's request id (shape-checked): a
 * path, header or body may hold a token, a key or a signature.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';

export interface WebhookAnswer {
	readonly status: number;
	readonly body?: unknown;
}

/** `query`: the webhook URL's own parameters (the bot puts them there when it submits). */
export type FalWebhookHandler = (rawBody: Buffer, headers: IncomingHttpHeaders, query: URLSearchParams) => Promise<WebhookAnswer>;

export interface HttpServerOptions {
	/** 0 picks a free port (tests). */
	readonly port: number;
	/** Interface to listen on; default every interface (the orchestrator and Prometheus call from outside). */
	readonly host?: string;
	readonly log: Logger;
	readonly ready: () => boolean;
	readonly metrics: Pick<Metrics, 'contentType' | 'render'>;
	readonly onFalWebhook?: FalWebhookHandler;
	/** Largest webhook body accepted; fal's results are small JSON (a file URL and a seed). Default 1 MiB. */
	readonly maxBodyBytes?: number;
	/** Time allowed to receive a whole webhook body; a stalled sender must not hold a socket. Default 10 s. */
	readonly bodyTimeoutMs?: number;
}

export interface HttpServer {
	/** `http://127.0.0.1:PORT` (or the given host): where a local caller reaches the server. */
	readonly url: string;
	readonly port: number;
	/** Stops accepting connections and ends open ones; resolves once the server is closed. */
	close(): Promise<void>;
}

const MIB = 1024 * 1024;
const ROUTES: Readonly<Record<string, readonly string[]>> = {
	'/livez': ['GET', 'HEAD'],
	'/readyz': ['GET', 'HEAD'],
	'/metrics': ['GET', 'HEAD'],
	'/fal/webhook': ['POST'],
};
/** fal's request ids are UUIDs; anything else is logged as its length only. */
const REQUEST_ID = /^[\w-]{1,64}$/;

class BodyError extends Error {
	/** 0: the sender went away before the body was complete (nobody to answer). */
	public constructor(public readonly status: 0 | 408 | 413) {
		super(status === 413 ? 'body too large' : status === 408 ? 'body too slow' : 'sender went away');
	}
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = typeof body === 'string' ? body : JSON.stringify(body ?? {});
	const contentType = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
	res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
	res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** Reads the exact bytes sent, refusing past `maxBytes` (declared or actual) or after `timeoutMs`. */
function readRawBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const declared = Number(req.headers['content-length']);
		if (Number.isFinite(declared) && declared > maxBytes) return reject(new BodyError(413));
		const chunks: Buffer[] = [];
		let size = 0;
		const timer = setTimeout(() => fail(new BodyError(408)), timeoutMs);
		const done = () => {
			clearTimeout(timer);
			req.off('data', onData).off('end', onEnd).off('error', fail).off('aborted', onAborted);
		};
		function fail(error: Error) {
			done();
			reject(error);
		}
		function onData(chunk: Buffer) {
			size += chunk.length;
			if (size > maxBytes) return fail(new BodyError(413));
			chunks.push(chunk);
		}
		function onEnd() {
			done();
			resolve(Buffer.concat(chunks, size));
		}
		const onAborted = () => fail(new BodyError(0));
		req.on('data', onData).on('end', onEnd).on('error', fail).on('aborted', onAborted);
	});
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	return typeof value === 'string' ? value : undefined;
}

export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
	const { log, ready, metrics, onFalWebhook } = options;
	const maxBodyBytes = options.maxBodyBytes ?? MIB;
	const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000;

	async function falWebhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const started = Date.now();
		const header = headerValue(req.headers, 'x-fal-webhook-request-id');
		const requestId = header === undefined ? undefined : REQUEST_ID.test(header) ? header : `<${header.length} chars>`;
		let status: number;
		let body: unknown;
		try {
			const raw = await readRawBody(req, maxBodyBytes, bodyTimeoutMs);
			({ status, body } = await onFalWebhook!(raw, req.headers, new URL(req.url ?? '/', 'http://localhost').searchParams));
		} catch (error) {
			if (error instanceof BodyError) {
				status = error.status;
				body = { error: error.status === 413 ? `body over ${maxBodyBytes} bytes` : 'body not received in time' };
				// The rest of the body is not read: close the connection rather than drain it.
				res.setHeader('connection', 'close');
				res.once('finish', () => req.destroy());
			} else {
				status = 500;
				body = { error: 'internal error' };
				log.error({ err: error, requestId }, 'fal webhook handler failed');
			}
		}
		if (status !== 0 && !res.destroyed) send(res, status, body ?? {});
		log.info({ requestId, status, ms: Date.now() - started }, 'fal webhook answered');
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const method = req.method ?? 'GET';
		// The path alone routes; a query string is ignored and never echoed.
		const path = (req.url ?? '/').split('?')[0] ?? '/';
		const allowed = ROUTES[path];
		if (!allowed || (path === '/fal/webhook' && !onFalWebhook)) return send(res, 404, { error: 'not found' });
		if (!allowed.includes(method)) return send(res, 405, { error: 'method not allowed' }, { allow: allowed.join(', ') });
		switch (path) {
			case '/livez':
				return send(res, 200, 'ok\n');
			case '/readyz':
				return ready() ? send(res, 200, 'ready\n') : send(res, 503, 'not ready\n');
			case '/metrics': {
				const text = await metrics.render();
				res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
				res.end(method === 'HEAD' ? undefined : text);
				return;
			}
			default:
				return falWebhook(req, res);
		}
	}

	const server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			log.error({ err: error }, 'http request failed');
			if (!res.headersSent) send(res, 500, { error: 'internal error' });
			else res.destroy();
		});
	});
	// Backstops beside the body timer: slow headers and whole requests are cut too.
	server.headersTimeout = 10_000;
	server.requestTimeout = bodyTimeoutMs + 20_000;

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	const host = !options.host || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
	log.info({ port }, 'http server listening');

	return {
		url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
		port,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				// Keep-alive sockets (Prometheus, load balancers) would hold close() open forever.
				server.closeIdleConnections();
				setTimeout(() => server.closeAllConnections(), 2_000).unref();
			}),
	};
}
