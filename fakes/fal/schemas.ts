/**
 * The fake's model catalogue: one entry per `fal-models/<endpoint id, "/" → "__">.json` at the repository
 * root (fal's published per-endpoint schemas, shipped with the bot because the bot's own catalogue is
 * generated from them too; provenance in fal-models/README.md and each file's `source`/`notes`).
 *
 * Each catalogued endpoint's input is validated against its own `input` JSON Schema (draft-07, Ajv 8,
 * `strict: true`, `formats: { binary: true }` as the fixtures' README prescribes) and Ajv's errors are
 * turned into the pydantic-v2-shaped entries fal's runners answer with (queue-errors.md 2a):
 * `{ loc: ['body', field], msg, type, url, ctx?, input }`.
 *
 * Unknown keys are NOT rejected: the schemas never set `additionalProperties` and pydantic ignores extras.
 * Endpoints not in the catalogue are not validated at all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { fileURLToPath } from 'node:url';

export interface FieldError {
	loc: Array<string | number>;
	msg: string;
	type: string;
	url?: string;
	ctx?: Record<string, unknown>;
	input?: unknown;
}

interface JsonSchemaProperty {
	type?: string;
	default?: unknown;
	[key: string]: unknown;
}

export interface ModelSchemaFile {
	endpoint_id: string;
	input: { properties: Record<string, JsonSchemaProperty>; required?: string[]; [key: string]: unknown };
	output: { properties: Record<string, unknown>; required?: string[]; [key: string]: unknown };
	output_video_key: string;
	[key: string]: unknown;
}

export interface CatalogEntry {
	readonly endpointId: string;
	readonly file: ModelSchemaFile;
	/** Output key holding the video File (`image` for fal-ai/svd, else `video`). */
	readonly videoKey: string;
	/** Whether the output carries `seed` (SVD family, Wan) or not (Kling, Hailuo, Luma). */
	readonly hasSeed: boolean;
	/** Whether the output echoes `prompt` (Wan's output schema has it, default ""). */
	readonly echoesPrompt: boolean;
	readonly validateInput: ValidateFunction;
	readonly validateOutput: ValidateFunction;
}

export const MODELS_DIR = fileURLToPath(new URL('../../fal-models', import.meta.url));
const ERROR_DOCS = 'https://docs.fal.ai/errors/#';

/** One Ajv for all schemas, configured exactly as the fixtures' README says they compile. */
export function createAjv(): Ajv {
	return new Ajv({ strict: true, formats: { binary: true }, allErrors: true });
}

function loadCatalog(): ReadonlyMap<string, CatalogEntry> {
	const ajv = createAjv();
	const entries = new Map<string, CatalogEntry>();
	for (const name of readdirSync(MODELS_DIR)
		.filter((n) => n.endsWith('.json'))
		.sort()) {
		const file = JSON.parse(readFileSync(`${MODELS_DIR}/${name}`, 'utf8')) as ModelSchemaFile;
		if (name !== `${file.endpoint_id.replaceAll('/', '__')}.json`) {
			throw new Error(`fake-fal: ${name} does not match its endpoint_id ${file.endpoint_id}`);
		}
		entries.set(file.endpoint_id, {
			endpointId: file.endpoint_id,
			file,
			videoKey: file.output_video_key,
			hasSeed: 'seed' in file.output.properties,
			echoesPrompt: 'prompt' in file.output.properties,
			validateInput: ajv.compile(file.input),
			validateOutput: ajv.compile(file.output),
		});
	}
	return entries;
}

/** Endpoint id → catalogue entry, loaded once from fal-models/. */
export const CATALOG: ReadonlyMap<string, CatalogEntry> = loadCatalog();

export function catalogEntry(endpointId: string): CatalogEntry | undefined {
	return CATALOG.get(endpointId);
}

// ---------------------------------------------------------------- pydantic lax-mode pre-pass

/**
 * pydantic v2 (lax mode, FastAPI's default) accepts a few JSON values that strict JSON Schema refuses;
 * fal's runners are FastAPI apps, so the fake accepts them too before Ajv runs:
 *  - numeric strings for integer / number fields ("127" → 127; "1.5" stays and fails as int_from_float),
 *  - true/false for integer / number fields,
 *  - "true"/"false"/0/1 etc. for boolean fields,
 *  - `null` for an optional field that has no default (pydantic `Optional[X] = None`).
 * (pydantic does NOT turn numbers into strings, so `5` for a string enum stays a literal_error.)
 */
function laxCoerce(schema: ModelSchemaFile['input'], body: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = { ...body };
	const required = new Set(schema.required ?? []);
	for (const [field, prop] of Object.entries(schema.properties)) {
		if (!(field in out)) continue;
		const value = out[field];
		if (value === null && !required.has(field) && !('default' in prop)) {
			delete out[field];
			continue;
		}
		if (prop.type === 'integer' || prop.type === 'number') {
			if (typeof value === 'boolean') out[field] = value ? 1 : 0;
			else if (typeof value === 'string') {
				const t = value.trim();
				if (prop.type === 'integer' && /^[+-]?\d+$/.test(t)) out[field] = Number(t);
				if (prop.type === 'number' && t !== '' && Number.isFinite(Number(t))) out[field] = Number(t);
			}
		} else if (prop.type === 'boolean') {
			if (value === 0 || value === 1) out[field] = value === 1;
			else if (typeof value === 'string') {
				const t = value.trim().toLowerCase();
				if (['true', 't', 'yes', 'y', 'on', '1'].includes(t)) out[field] = true;
				if (['false', 'f', 'no', 'n', 'off', '0'].includes(t)) out[field] = false;
			}
		}
	}
	return out;
}

// ---------------------------------------------------------------- Ajv → pydantic errors

function fieldOf(err: ErrorObject): string | undefined {
	if (err.keyword === 'required') return String((err.params as { missingProperty: string }).missingProperty);
	const seg = err.instancePath.split('/').filter(Boolean)[0];
	return seg === undefined ? undefined : seg.replaceAll('~1', '/').replaceAll('~0', '~');
}

function literal(values: unknown[]): string {
	const parts = values.map((v) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v)));
	return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

function entry(field: string | undefined, type: string, msg: string, input: unknown, ctx?: Record<string, unknown>): FieldError {
	return {
		loc: field === undefined ? ['body'] : ['body', field],
		msg,
		type,
		url: `${ERROR_DOCS}${type}`,
		...(ctx ? { ctx } : {}),
		input,
	};
}

function typeError(field: string | undefined, expected: string, value: unknown): FieldError {
	switch (expected) {
		case 'integer':
			if (typeof value === 'number' && Number.isFinite(value)) {
				return entry(field, 'int_from_float', 'Input should be a valid integer, got a number with a fractional part', value);
			}
			if (typeof value === 'string')
				return entry(field, 'int_parsing', 'Input should be a valid integer, unable to parse string as an integer', value);
			return entry(field, 'int_type', 'Input should be a valid integer', value);
		case 'number':
			if (typeof value === 'string')
				return entry(field, 'float_parsing', 'Input should be a valid number, unable to parse string as a number', value);
			return entry(field, 'float_type', 'Input should be a valid number', value);
		case 'string':
			return entry(field, 'string_type', 'Input should be a valid string', value);
		case 'boolean':
			if (typeof value === 'string') return entry(field, 'bool_parsing', 'Input should be a valid boolean, unable to interpret input', value);
			return entry(field, 'bool_type', 'Input should be a valid boolean', value);
		case 'object':
			return entry(field, 'model_attributes_type', 'Input should be a valid dictionary or object to extract fields from', value);
		case 'array':
			return entry(field, 'list_type', 'Input should be a valid list', value);
		default:
			return entry(field, `${expected}_type`, `Input should be a valid ${expected}`, value);
	}
}

/** One Ajv error → the pydantic v2 entry a FastAPI runner would answer with. */
export function toFieldError(err: ErrorObject, body: Record<string, unknown>, schema?: ModelSchemaFile['input']): FieldError {
	const field = fieldOf(err);
	const value = field === undefined ? body : body[field];
	const p = err.params as Record<string, unknown>;
	const plural = (n: unknown): string => (n === 1 ? '' : 's');
	const allowed = field === undefined ? undefined : schema?.properties[field]?.enum;
	// A Literal[...] field checks membership only: a wrong type is a literal_error too (5 for '5').
	if (err.keyword === 'type' && Array.isArray(allowed)) {
		const expected = literal(allowed);
		return entry(field, 'literal_error', `Input should be ${expected}`, value, { expected });
	}
	switch (err.keyword) {
		case 'required':
			return entry(field, 'missing', 'Field required', body);
		case 'type':
			return typeError(field, String(p.type), value);
		case 'minimum':
			return entry(field, 'greater_than_equal', `Input should be greater than or equal to ${String(p.limit)}`, value, { ge: p.limit });
		case 'maximum':
			return entry(field, 'less_than_equal', `Input should be less than or equal to ${String(p.limit)}`, value, { le: p.limit });
		case 'exclusiveMinimum':
			return entry(field, 'greater_than', `Input should be greater than ${String(p.limit)}`, value, { gt: p.limit });
		case 'exclusiveMaximum':
			return entry(field, 'less_than', `Input should be less than ${String(p.limit)}`, value, { lt: p.limit });
		case 'minLength':
			return entry(field, 'string_too_short', `String should have at least ${String(p.limit)} character${plural(p.limit)}`, value, {
				min_length: p.limit,
			});
		case 'maxLength':
			return entry(field, 'string_too_long', `String should have at most ${String(p.limit)} character${plural(p.limit)}`, value, {
				max_length: p.limit,
			});
		case 'enum': {
			const expected = literal((p.allowedValues as unknown[]) ?? []);
			return entry(field, 'literal_error', `Input should be ${expected}`, value, { expected });
		}
		case 'minItems':
			return entry(field, 'too_short', `List should have at least ${String(p.limit)} item${plural(p.limit)} after validation`, value, {
				min_length: p.limit,
			});
		case 'maxItems':
			return entry(field, 'too_long', `List should have at most ${String(p.limit)} item${plural(p.limit)} after validation`, value, {
				max_length: p.limit,
			});
		default:
			return entry(field, 'value_error', `Value error, ${err.message ?? 'invalid value'}`, value);
	}
}

/**
 * Validates `input` against the endpoint's catalogued input schema.
 * Returns `undefined` when the endpoint is not catalogued (no validation), else the field errors
 * (empty when valid), one per field like pydantic (the first failing rule of each field).
 */
export function validateInput(endpointId: string, input: unknown): FieldError[] | undefined {
	const model = CATALOG.get(endpointId);
	if (!model) return undefined;
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		return [typeError(undefined, 'object', input)];
	}
	const body = laxCoerce(model.file.input, input as Record<string, unknown>);
	if (model.validateInput(body)) return [];
	const seen = new Set<string>();
	const errors: FieldError[] = [];
	for (const err of model.validateInput.errors ?? []) {
		const key = fieldOf(err) ?? '';
		if (seen.has(key)) continue;
		seen.add(key);
		errors.push(toFieldError(err, input as Record<string, unknown>, model.file.input));
	}
	return errors;
}
