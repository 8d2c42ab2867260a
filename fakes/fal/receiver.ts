/** A loopback webhook endpoint for tests: records every POST (raw bytes and headers) and answers as told. */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http.js';

export interface ReceivedWebhook {
	path: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
	at: number;
}

/** An answer: an HTTP status, 0 to drop the connection without one, or a redirect. */
export type ReceiverAnswer = number | { redirect: string };

export class WebhookReceiver {
	readonly received: ReceivedWebhook[] = [];
	private readonly answers: ReceiverAnswer[] = [];
	private readonly events = new EventEmitter();
	private port = 0;

	private constructor(private readonly server: Server) {}

	static async start(): Promise<WebhookReceiver> {
		const receiver: WebhookReceiver = new WebhookReceiver(
			createServer((req, res) => {
				void readBody(req).then((body) => {
					receiver.received.push({ path: req.url ?? '/', headers: req.headers, body, at: Date.now() });
					const answer = receiver.answers.shift() ?? 200;
					if (answer === 0) req.socket.destroy();
					else if (typeof answer === 'object') res.writeHead(302, { location: answer.redirect }).end();
					else res.writeHead(answer, { 'content-type': 'application/json' }).end('{}');
					receiver.events.emit('received');
				});
			}),
		);
		await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
		receiver.port = (receiver.server.address() as AddressInfo).port;
		return receiver;
	}

	/** Where to point fal: `http://127.0.0.1:PORT/fal/webhook`. */
	get url(): string {
		return `http://127.0.0.1:${this.port}/fal/webhook`;
	}

	/** The next POSTs are answered with these, in order; then 200 again. */
	answerNext(...answers: ReceiverAnswer[]): void {
		this.answers.push(...answers);
	}

	/** Resolves once `count` POSTs have arrived in total. */
	async waitFor(count: number, timeoutMs = 5_000): Promise<ReceivedWebhook[]> {
		if (this.received.length >= count) return this.received.slice(0, count);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.events.off('received', check);
				reject(new Error(`receiver: expected ${count} webhook(s), got ${this.received.length} after ${timeoutMs} ms`));
			}, timeoutMs);
			const check = () => {
				if (this.received.length < count) return;
				clearTimeout(timer);
				this.events.off('received', check);
				resolve(this.received.slice(0, count));
			};
			this.events.on('received', check);
		});
	}

	reset(): void {
		this.received.length = 0;
		this.answers.length = 0;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
