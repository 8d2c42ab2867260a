import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** One leaf of Discord's nested form-error object: `{ field: { _errors: [{ code, message }] } }`. */
export interface FormError {
	path: string[];
	code: string;
	message: string;
}

/** Discord's nested error object, e.g. `{ embeds: { '0': { title: { _errors: [...] } } } }`. */
export interface DiscordErrorTree {
	_errors?: { code: string; message: string }[];
	[key: string]: DiscordErrorTree | { code: string; message: string }[] | undefined;
}

export function toErrorTree(errors: FormError[]): DiscordErrorTree {
	const root: DiscordErrorTree = {};
	for (const error of errors) {
		let node = root;
		for (const segment of error.path) {
			const next = node[segment];
			if (next && !Array.isArray(next)) {
				node = next;
			} else {
				const created: DiscordErrorTree = {};
				node[segment] = created;
				node = created;
			}
		}
		node._errors ??= [];
		if (!node._errors.some((e) => e.code === error.code && e.message === error.message)) {
			node._errors.push({ code: error.code, message: error.message });
		}
	}
	return root;
}

interface Operation {
	template: string;
	method: string;
	regex: RegExp;
	params: string[];
	literalSegments: number;
	jsonSchemaPointer: string | undefined;
}

interface SpecState {
	ajv: Ajv2020;
	operations: Operation[];
	validators: Map<string, { branches: ValidateFunction[] } | null>;
}

let specState: SpecState | undefined;

function pointerSegment(segment: string): string {
	return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

/** Loads and indexes the OpenAPI spec once per process; validators are compiled lazily and cached per operation. */
function spec(): SpecState {
	if (specState) return specState;
	const document = JSON.parse(readFileSync(new URL('./discord-openapi.json', import.meta.url), 'utf8')) as {
		paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
	};
	const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
	const addFormats = addFormatsModule as unknown as (a: Ajv2020) => void;
	addFormats(ajv);
	ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
	ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
	ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
	ajv.addFormat('double', { type: 'number', validate: () => true });
	ajv.addFormat('nonce', /^.{0,25}$/s);
	ajv.addSchema(document, 'spec');
	const operations: Operation[] = [];
	for (const [template, item] of Object.entries(document.paths)) {
		const params: string[] = [];
		const segments = template.split('/').filter(Boolean);
		const regex = new RegExp(
			'^/' +
				segments
					.map((segment) => {
						const match = /^\{(\w+)\}$/.exec(segment);
						if (match) {
							params.push(match[1] ?? '');
							return '([^/]+)';
						}
						return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
					})
					.join('/') +
				'$',
		);
		for (const [method, op] of Object.entries(item)) {
			if (method === 'parameters') continue;
			const hasJson = op.requestBody?.content?.['application/json'] !== undefined;
			operations.push({
				template,
				method: method.toUpperCase(),
				regex,
				params,
				literalSegments: segments.filter((s) => !s.startsWith('{')).length,
				jsonSchemaPointer: hasJson
					? `spec#/paths/${pointerSegment(template)}/${method}/requestBody/content/${pointerSegment('application/json')}/schema`
					: undefined,
			});
		}
	}
	// Literal segments beat parameters: /messages/@original before /messages/{message_id}.
	operations.sort((a, b) => b.literalSegments - a.literalSegments);
	specState = { ajv, operations, validators: new Map() };
	return specState;
}

/** Eagerly loads the spec (call once at start so the first request isn't slow). */
export function warmSpec(): void {
	spec();
}

export function findOperation(method: string, path: string): { template: string; params: Record<string, string> } | undefined {
	const state = spec();
	for (const op of state.operations) {
		if (op.method !== method) continue;
		const match = op.regex.exec(path);
		if (!match) continue;
		const params: Record<string, string> = {};
		op.params.forEach((name, i) => {
			params[name] = match[i + 1] ?? '';
		});
		return { template: op.template, params };
	}
	return undefined;
}

function validatorFor(method: string, template: string): { branches: ValidateFunction[] } | null {
	const state = spec();
	const key = `${method} ${template}`;
	const cached = state.validators.get(key);
	if (cached !== undefined) return cached;
	const op = state.operations.find((o) => o.method === method && o.template === template);
	if (!op?.jsonSchemaPointer) {
		state.validators.set(key, null);
		return null;
	}
	const root = state.ajv.getSchema(op.jsonSchemaPointer)?.schema as { anyOf?: unknown[]; oneOf?: unknown[] } | undefined;
	const union = root?.anyOf ?? root?.oneOf;
	// Discord resolves its unions by discriminator; validating each branch separately yields the branch's own errors.
	const branches = union
		? union.map((_, i) => state.ajv.compile({ $ref: `${op.jsonSchemaPointer}/${root?.anyOf ? 'anyOf' : 'oneOf'}/${i}` }))
		: [state.ajv.compile({ $ref: op.jsonSchemaPointer })];
	const entry = { branches };
	state.validators.set(key, entry);
	return entry;
}

function pathOf(error: ErrorObject): string[] {
	const path = error.instancePath
		.split('/')
		.slice(1)
		.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
	if (error.keyword === 'required') path.push(String((error.params as { missingProperty: string }).missingProperty));
	return path;
}

function describe(error: ErrorObject, data: unknown): { code: string; message: string } {
	const p = error.params as Record<string, unknown>;
	switch (error.keyword) {
		case 'maxLength':
		case 'maxItems':
		case 'maxProperties':
			return { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${String(p.limit)} or fewer in length.` };
		case 'minLength':
		case 'minItems':
		case 'minProperties':
			return { code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${String(p.limit)} or more in length.` };
		case 'required':
			return { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' };
		case 'enum':
		case 'const': {
			const values = (p.allowedValues as unknown[] | undefined) ?? [p.allowedValue];
			return { code: 'BASE_TYPE_CHOICES', message: `Value must be one of {${values.map((v) => JSON.stringify(v)).join(', ')}}.` };
		}
		case 'maximum':
		case 'exclusiveMaximum':
			return { code: 'NUMBER_TYPE_MAX', message: `int value should be less than or equal to ${String(p.limit)}.` };
		case 'minimum':
		case 'exclusiveMinimum':
			return { code: 'NUMBER_TYPE_MIN', message: `int value should be greater than or equal to ${String(p.limit)}.` };
		case 'pattern':
			return { code: 'STRING_TYPE_REGEX', message: `String value did not match validation regex.` };
		case 'format':
			if (p.format === 'uri') return { code: 'URL_TYPE_INVALID_URL', message: 'Not a well formed URL.' };
			if (p.format === 'snowflake') return { code: 'NUMBER_TYPE_COERCE', message: `Value "${String(data)}" is not snowflake.` };
			return { code: 'BASE_TYPE_INVALID', message: `Invalid ${String(p.format)}.` };
		case 'type': {
			const types = ([] as string[]).concat(p.type as string | string[]).filter((t) => t !== 'null');
			const t = types[0];
			if (t === 'object') return { code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' };
			if (t === 'array') return { code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' };
			if (t === 'integer' || t === 'number') return { code: 'NUMBER_TYPE_COERCE', message: `Value "${String(data)}" is not int.` };
			if (t === 'boolean') return { code: 'BOOLEAN_TYPE_CONVERT', message: `Value "${String(data)}" is not bool.` };
			return { code: 'STRING_TYPE_CONVERT', message: `Could not interpret "${JSON.stringify(data)}" as string.` };
		}
		case 'additionalProperties':
			return { code: 'BASE_TYPE_INVALID', message: 'Unknown field.' };
		default:
			return { code: 'BASE_TYPE_INVALID', message: error.message ?? 'Invalid value.' };
	}
}

function valueAt(body: unknown, path: string[]): unknown {
	let node = body;
	for (const segment of path) {
		if (node === null || typeof node !== 'object') return undefined;
		node = (node as Record<string, unknown>)[segment];
	}
	return node;
}

/** Turns ajv's raw union-heavy errors into the few Discord would name. */
function simplify(errors: ErrorObject[], body: unknown): FormError[] {
	const candidates = errors.filter((e) => !['oneOf', 'anyOf', 'allOf', 'if', 'not', '$ref'].includes(e.keyword));
	const withPaths = candidates.map((e) => ({ error: e, path: pathOf(e) }));
	const joined = (p: string[]) => '/' + p.join('/');
	const kept = withPaths.filter(({ error, path }) => {
		const here = joined(path);
		// An error whose location has a deeper error under it is a union branch that didn't apply (e.g. "must be null").
		if (withPaths.some((o) => o.path.length > path.length && joined(o.path).startsWith(here === '/' ? '/' : here + '/'))) return false;
		// A discriminator mismatch (`type` not in this branch's enum) is noise when a sibling error explains the failure.
		if ((error.keyword === 'enum' || error.keyword === 'const') && path[path.length - 1] === 'type') {
			const parent = joined(path.slice(0, -1));
			const prefix = parent === '/' ? '/' : parent + '/';
			if (
				withPaths.some(
					(o) =>
						o.error !== error &&
						!(o.path[o.path.length - 1] === 'type' && (o.error.keyword === 'enum' || o.error.keyword === 'const')) &&
						joined(o.path).startsWith(prefix),
				)
			)
				return false;
		}
		return true;
	});
	const list = kept.length > 0 ? kept : withPaths;
	return list.map(({ error, path }) => ({ path, ...describe(error, valueAt(body, error.instancePath.split('/').slice(1))) }));
}

/**
 * Validates a JSON body against the operation's `requestBody` schema of the OpenAPI spec.
 * Returns [] when valid or when the operation has no JSON body schema.
 */
export function validateBody(method: string, template: string, body: unknown): FormError[] {
	const validator = validatorFor(method, template);
	if (!validator) return [];
	// Discord's form parser coerces numeric strings into integers ("8" for a permissions bitfield is accepted);
	// mirror that by coercing exactly the values ajv complains about, then validating again.
	let subject = body;
	for (let round = 0; round < 25; round++) {
		let coerced = false;
		for (const branch of validator.branches) {
			if (branch(subject)) return [];
			for (const error of branch.errors ?? []) {
				if (error.keyword !== 'type') continue;
				const types = ([] as string[]).concat((error.params as { type: string | string[] }).type);
				if (!types.includes('integer') && !types.includes('number')) continue;
				const path = error.instancePath
					.split('/')
					.slice(1)
					.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
				const value = valueAt(subject, path);
				if (typeof value !== 'string' || !/^-?[0-9]+$/.test(value) || path.length === 0) continue;
				if (subject === body) subject = structuredClone(body);
				const parent = valueAt(subject, path.slice(0, -1)) as Record<string, unknown>;
				const n = Number(value);
				// Keep values beyond 2^53 valid for the integer check; bitfields are at most 2^54 - 1, which a double holds as 2^54.
				parent[path[path.length - 1] ?? ''] = Number.isSafeInteger(n) ? n : Math.min(n, 2 ** 54);
				coerced = true;
			}
		}
		if (!coerced) break;
	}
	body = subject;
	let best: { errors: ErrorObject[]; depth: number } | undefined;
	for (const branch of validator.branches) {
		if (branch(body)) return [];
		const errors = branch.errors ?? [];
		const depth = Math.max(0, ...errors.map((e) => e.instancePath.split('/').length + (e.keyword === 'required' ? 1 : 0)));
		// Prefer the branch whose failure lies deepest: that is the branch the discriminator selected.
		if (!best || depth > best.depth || (depth === best.depth && errors.length < best.errors.length)) best = { errors, depth };
	}
	return simplify(best?.errors ?? [], body);
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface CommandLike {
	name?: unknown;
	description?: unknown;
	type?: unknown;
	options?: unknown;
}

function optionErrors(options: unknown, path: string[]): FormError[] {
	if (!Array.isArray(options)) return [];
	const errors: FormError[] = [];
	const seen = new Set<string>();
	let optionalSeen = false;
	options.forEach((o: unknown, i) => {
		const option = o as { name?: unknown; description?: unknown; required?: unknown; type?: unknown; options?: unknown } | null;
		if (!option || typeof option !== 'object') return;
		const at = [...path, String(i)];
		if (typeof option.name === 'string') {
			if (!COMMAND_NAME.test(option.name) || option.name !== option.name.toLowerCase()) {
				errors.push({ path: [...at, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
			}
			if (seen.has(option.name))
				errors.push({ path: [...at, 'name'], code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', message: 'Option names must be unique' });
			seen.add(option.name);
		}
		if (typeof option.description !== 'string' || option.description.length < 1 || option.description.length > 100) {
			errors.push({ path: [...at, 'description'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
		}
		if (option.type === 1 || option.type === 2) {
			errors.push(...optionErrors(option.options, [...at, 'options']));
		} else if (option.required === true && optionalSeen) {
			errors.push({
				path: [...at, 'required'],
				code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
				message: 'Required options must be placed before non-required options',
			});
		} else if (option.required !== true) {
			optionalSeen = true;
		}
	});
	return errors;
}

/** Rules for application commands Discord enforces beyond the OpenAPI schema (name regex, lowercase, description). */
export function commandErrors(command: CommandLike, path: string[] = []): FormError[] {
	const errors: FormError[] = [];
	const type = command.type ?? 1;
	if (typeof command.name === 'string') {
		if (!COMMAND_NAME.test(command.name) && type === 1) {
			errors.push({ path: [...path, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
		} else if (type === 1 && command.name !== command.name.toLowerCase()) {
			errors.push({ path: [...path, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
		}
	}
	if (type === 1) {
		if (typeof command.description !== 'string' || command.description.length < 1 || command.description.length > 100) {
			errors.push({ path: [...path, 'description'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
		}
		errors.push(...optionErrors(command.options, [...path, 'options']));
	}
	return errors;
}
