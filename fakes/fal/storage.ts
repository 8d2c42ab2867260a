/**
 * fal storage as @fal-ai/client uses it: `POST rest.fal.ai/storage/upload/initiate[-multipart]`, then a
 * raw PUT of the bytes to the returned `upload_url` (our loopback `/upload/<token>`), multipart parts
 * (`/upload/<token>/<n>`) and `complete`. Stored bytes are served at `/files/...` (and `*.fal.media/files/...`).
 */
import { randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, randomId, readBody, sha256, type DripSpec } from './http.js';
import type { FieldError } from './schemas.js';
import type { FalRequestKind, FalRequestRecord, UploadRecord } from './types.js';

const ANIMALS = ['panda', 'koala', 'tiger', 'lion', 'zebra', 'rabbit', 'monkey', 'elephant'];

type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

interface PendingUpload {
	fileUrl: string;
	localPath: string;
	fileName: string;
	contentType: string;
	multipart: boolean;
	parts: Map<number, Buffer>;
}

export interface StoredFile {
	bytes: Buffer;
	contentType: string;
	drip?: DripSpec;
}

export class FakeStorage {
	readonly uploads: UploadRecord[] = [];
	/** local path (/files/...) → bytes + content type (+ drip) */
	readonly files = new Map<string, StoredFile>();
	private readonly pending = new Map<string, PendingUpload>();

	constructor(private readonly origin: () => string) {}

	reset(): void {
		this.uploads.length = 0;
		this.files.clear();
		this.pending.clear();
	}

	file(path: string): StoredFile | undefined {
		return this.files.get(decodeURIComponent(path)) ?? this.files.get(path);
	}

	initiate(rawBody: Buffer, multipart: boolean, reply: Reply): void {
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>;
		} catch {
			throw new HttpError(422, { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] });
		}
		const errors: FieldError[] = [];
		if (typeof body.content_type !== 'string') errors.push({ loc: ['body', 'content_type'], msg: 'Field required', type: 'missing' });
		if (typeof body.file_name !== 'string') errors.push({ loc: ['body', 'file_name'], msg: 'Field required', type: 'missing' });
		if (errors.length) throw new HttpError(422, { detail: errors });
		const contentType = body.content_type as string;
		const fileName = (body.file_name as string).replace(/[^A-Za-z0-9._-]/g, '_') || 'file';
		const animal = ANIMALS[randomInt(ANIMALS.length)] ?? 'panda';
		const localPath = `/files/${animal}/${randomId(21)}_${fileName}`;
		const token = randomId(32);
		this.pending.set(token, {
			fileUrl: `https://v3.fal.media${localPath}`,
			localPath,
			fileName,
			contentType,
			multipart,
			parts: new Map(),
		});
		reply(200, {
			upload_url: `${this.origin()}/upload/${token}?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=fake`,
			file_url: `https://v3.fal.media${localPath}`,
		});
	}

	async data(
		req: IncomingMessage,
		method: string,
		kind: FalRequestKind,
		path: string,
		reply: Reply,
		record: FalRequestRecord,
		res: ServerResponse,
	): Promise<void> {
		const [, , token = '', part = ''] = path.split('/');
		const pending = this.pending.get(token);
		if (!pending) throw new HttpError(404, { detail: 'Upload not found or expired' });
		if (kind === 'upload-put') {
			if (method !== 'PUT') throw new HttpError(405, { detail: 'Method Not Allowed' });
			const bytes = await readBody(req);
			const ct = req.headers['content-type'];
			this.finish(token, pending, bytes, typeof ct === 'string' ? ct : pending.contentType);
			record.status = 200;
			res.writeHead(200, { 'content-length': 0 });
			res.end();
			return;
		}
		if (kind === 'upload-part') {
			if (method !== 'PUT') throw new HttpError(405, { detail: 'Method Not Allowed' });
			const n = Number(part);
			if (!Number.isInteger(n) || n < 1) throw new HttpError(400, { detail: 'Invalid part number' });
			const bytes = await readBody(req);
			pending.parts.set(n, bytes);
			reply(200, { partNumber: n, etag: `"${sha256(bytes).slice(0, 32)}"` });
			return;
		}
		if (method !== 'POST') throw new HttpError(405, { detail: 'Method Not Allowed' });
		const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { parts?: Array<{ partNumber: number }> };
		const numbers = (body.parts ?? []).map((p) => p.partNumber).sort((a, b) => a - b);
		const buffers: Buffer[] = [];
		for (const n of numbers) {
			const b = pending.parts.get(n);
			if (!b) throw new HttpError(400, { detail: `Missing part ${n}` });
			buffers.push(b);
		}
		this.finish(token, pending, Buffer.concat(buffers), pending.contentType);
		reply(200, { file_url: pending.fileUrl });
	}

	private finish(token: string, pending: PendingUpload, bytes: Buffer, contentType: string): void {
		this.pending.delete(token);
		this.files.set(pending.localPath, { bytes, contentType });
		this.uploads.push({
			fileUrl: pending.fileUrl,
			localUrl: `${this.origin()}${pending.localPath}`,
			fileName: pending.fileName,
			contentType,
			size: bytes.length,
			sha256: sha256(bytes),
			bytes,
			multipart: pending.multipart,
		});
	}
}
