import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { BadRequest, type Session } from './session.js';

const PUBLIC = new URL('./public/', import.meta.url);
/** Images the page offers to try without one of your own, among them the broken ones the bot refuses. */
const SAMPLES = new URL('../test/fixtures/', import.meta.url);
export const SAMPLE_FILES = ['source-1024x576.png', 'square-768.jpg', 'small-640x360.webp', 'truncated.png', 'not-an-image.png'];

const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.webp': 'image/webp',
};
const MAX_UPLOAD = 25 * 1024 * 1024;
const MAX_JSON = 64 * 1024;

/** Serves the page (plain files from playground/public, no build step), the samples, and the session's API on 127.0.0.1. */
export async function serve(session: Session, port: number): Promise<Server> {
	const files = new Set(readdirSync(PUBLIC));
	const server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (res.headersSent) return void res.destroy();
			const status = error instanceof BadRequest ? 400 : 500;
			json(res, status, { error: error instanceof Error ? error.message : String(error) });
		});
	});

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		// Only this machine's browser, by name: a page elsewhere cannot reach the API through DNS rebinding.
		const { port: own } = server.address() as AddressInfo;
		if (![`127.0.0.1:${own}`, `localhost:${own}`].includes(req.headers.host ?? ''))
			return void json(res, 403, { error: 'open the playground at 127.0.0.1' });
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = url.pathname;
		if (req.method === 'GET') {
			if (path === '/api/events') return session.openStream(res);
			if (path === '/api/state') return json(res, 200, session.state());
			const name = path === '/' ? 'index.html' : path.slice(1);
			if (files.has(name)) return file(res, new URL(name, PUBLIC));
			const sample = path.startsWith('/samples/') ? path.slice('/samples/'.length) : '';
			if (SAMPLE_FILES.includes(sample)) return file(res, new URL(sample, SAMPLES));
			return json(res, 404, { error: 'not found' });
		}
		if (req.method !== 'POST') return json(res, 405, { error: 'GET or POST' });
		if (path === '/api/attachments') {
			const filename = url.searchParams.get('filename') ?? '';
			const channelId = url.searchParams.get('channel') ?? '';
			return json(res, 200, session.upload(await body(req, MAX_UPLOAD), filename, url.searchParams.get('post') === '1', channelId));
		}
		const input = JSON.parse((await body(req, MAX_JSON)).toString('utf8') || 'null') as unknown;
		if (path === '/api/messages') return json(res, 200, session.post(input));
		if (path === '/api/interactions') return json(res, 200, await session.interact(input));
		if (path === '/api/autocomplete') return json(res, 200, await session.autocomplete(input));
		if (path === '/api/fal') return json(res, 200, (session.setScript(input), { ok: true }));
		return json(res, 404, { error: 'not found' });
	}

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	return server;
}

async function body(req: IncomingMessage, limit: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > limit) throw new BadRequest(`more than ${limit} bytes`);
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, data: unknown): void {
	res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(data));
}

function file(res: ServerResponse, url: URL): void {
	res
		.writeHead(200, { 'content-type': TYPES[extname(url.pathname)] ?? 'application/octet-stream', 'cache-control': 'no-store' })
		.end(readFileSync(url));
}
