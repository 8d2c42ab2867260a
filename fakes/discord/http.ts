import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { toErrorTree, type FormError } from './validation.js';

/** A Discord API error response: thrown by route handlers, turned into `{ message, code, errors? }`. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: number,
		message: string,
		readonly errors?: unknown,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}

	body(): Record<string, unknown> {
		return { message: this.message, code: this.code, ...(this.errors === undefined ? {} : { errors: this.errors }) };
	}
}

export const Errors = {
	unauthorized: () => new ApiError(401, 0, '401: Unauthorized'),
	notFound: () => new ApiError(404, 0, '404: Not Found'),
	methodNotAllowed: () => new ApiError(405, 0, '405: Method Not Allowed'),
	invalidJson: () => new ApiError(400, 50109, 'The request body contains invalid JSON.'),
	formBody: (errors: FormError[]) => new ApiError(400, 50035, 'Invalid Form Body', toErrorTree(errors)),
	emptyMessage: () => new ApiError(400, 50006, 'Cannot send an empty message'),
	unknownChannel: () => new ApiError(404, 10003, 'Unknown Channel'),
	unknownGuild: () => new ApiError(404, 10004, 'Unknown Guild'),
	unknownMessage: () => new ApiError(404, 10008, 'Unknown Message'),
	unknownUser: () => new ApiError(404, 10013, 'Unknown User'),
	invalidRecipients: () => new ApiError(400, 50033, 'Invalid Recipient(s)'),
	cannotSendToUser: () => new ApiError(403, 50007, 'Cannot send messages to this user'),
	unknownMember: () => new ApiError(404, 10007, 'Unknown Member'),
	unknownEmoji: () => new ApiError(400, 10014, 'Unknown Emoji'),
	unknownWebhook: () => new ApiError(404, 10015, 'Unknown Webhook'),
	unknownCommand: () => new ApiError(404, 10063, 'Unknown application command'),
	unknownInteraction: () => new ApiError(404, 10062, 'Unknown interaction'),
	alreadyAcknowledged: () => new ApiError(400, 40060, 'Interaction has already been acknowledged.'),
	invalidWebhookToken: () => new ApiError(401, 50027, 'Invalid Webhook Token'),
	tooLarge: () => new ApiError(413, 40005, 'Request entity too large'),
	missingAccess: () => new ApiError(403, 50001, 'Missing Access'),
	missingPermissions: () => new ApiError(403, 50013, 'Missing Permissions'),
	otherAuthor: () => new ApiError(403, 50005, 'Cannot edit a message authored by another user'),
} as const;

export interface UploadedFile {
	field: string;
	/** n of `files[n]`, or undefined for another field name. */
	index: string | undefined;
	filename: string;
	contentType: string;
	bytes: Buffer;
	size: number;
	sha256: string;
}

export interface ParsedBody {
	body: unknown;
	files: UploadedFile[];
	multipart: boolean;
}

/** Parses a JSON or multipart/form-data (`payload_json` + `files[n]`) request body. */
export async function parseBody(raw: Buffer, headers: IncomingHttpHeaders): Promise<ParsedBody> {
	const contentType = headers['content-type'] ?? '';
	if (raw.length === 0) return { body: undefined, files: [], multipart: false };
	if (contentType.startsWith('multipart/form-data')) {
		let form: FormData;
		try {
			form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
		} catch {
			throw new ApiError(400, 50035, 'Invalid Form Body', { _errors: [{ code: 'BASE_TYPE_INVALID', message: 'Malformed multipart body.' }] });
		}
		let body: unknown = undefined;
		const files: UploadedFile[] = [];
		for (const [field, value] of form.entries()) {
			if (typeof value === 'string') {
				if (field === 'payload_json') {
					try {
						body = JSON.parse(value);
					} catch {
						throw Errors.invalidJson();
					}
				} else {
					// Discord also accepts plain form fields; treat them as top-level JSON values.
					body = { ...(body ?? {}), [field]: value };
				}
				continue;
			}
			const bytes = Buffer.from(await value.arrayBuffer());
			files.push({
				field,
				index: /^files\[(\d+)\]$/.exec(field)?.[1],
				filename: value.name,
				contentType: value.type,
				bytes,
				size: bytes.length,
				sha256: createHash('sha256').update(bytes).digest('hex'),
			});
		}
		return { body, files, multipart: true };
	}
	const text = raw.toString('utf8');
	try {
		return { body: JSON.parse(text), files: [], multipart: false };
	} catch {
		throw Errors.invalidJson();
	}
}
