/**
 * Input validation that mimics the FastAPI/pydantic-v2 validation of fal's `fal-ai/svd` endpoint.
 *
 * Field names and limits come from fal's model page (https://fal.ai/models/fal-ai/svd/llms.txt):
 *   image_url              string, required
 *   mask_image_url         string, optional
 *   control_maps_data_url  string, optional (archive of depth maps, one per frame)
 *   motion_bucket_id       integer, optional, default 127, range 1..255
 *   cond_aug               float, optional, default 0.02 (range 0..10 on the sibling fal-ai/fast-svd-lcm page)
 *   seed                   integer, optional
 *   steps                  integer, optional (bounds not visible in the stored page; 1..100 assumed here)
 *   fps                    integer, optional (bounds not visible; 1..100 assumed here)
 *
 * Error objects are shaped like pydantic v2's, which is what fal's FastAPI apps emit:
 *   { loc: ['body', field], msg, type, input?, ctx? }
 */

export interface FieldError {
	loc: Array<string | number>;
	msg: string;
	type: string;
	input?: unknown;
	ctx?: Record<string, unknown>;
}

type Kind = 'string' | 'integer' | 'number';

interface FieldSpec {
	kind: Kind;
	required?: boolean;
	ge?: number;
	le?: number;
}

export const SVD_INPUT_SCHEMA: Readonly<Record<string, FieldSpec>> = {
	image_url: { kind: 'string', required: true },
	mask_image_url: { kind: 'string' },
	control_maps_data_url: { kind: 'string' },
	motion_bucket_id: { kind: 'integer', ge: 1, le: 255 },
	cond_aug: { kind: 'number', ge: 0, le: 10 },
	seed: { kind: 'integer' },
	steps: { kind: 'integer', ge: 1, le: 100 },
	fps: { kind: 'integer', ge: 1, le: 100 },
};

export const SVD_DEFAULTS = {
	motion_bucket_id: 127,
	cond_aug: 0.02,
} as const;

/** Models that get the SVD input validation. Sub-paths (e.g. `fal-ai/svd/foo`) are validated too. */
export function isSvdModel(model: string): boolean {
	return model === 'fal-ai/svd' || model.startsWith('fal-ai/svd/');
}

/** pydantic v2 lax-mode coercion of one value; returns the coerced value or an error. */
function coerce(kind: Kind, value: unknown): { ok: true; value: unknown } | { ok: false; type: string; msg: string } {
	switch (kind) {
		case 'string':
			if (typeof value === 'string') return { ok: true, value };
			return { ok: false, type: 'string_type', msg: 'Input should be a valid string' };
		case 'integer': {
			if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
			if (typeof value === 'number') {
				if (!Number.isFinite(value)) return { ok: false, type: 'finite_number', msg: 'Input should be a finite number' };
				if (!Number.isInteger(value)) {
					return {
						ok: false,
						type: 'int_from_float',
						msg: 'Input should be a valid integer, got a number with a fractional part',
					};
				}
				return { ok: true, value };
			}
			if (typeof value === 'string') {
				const trimmed = value.trim();
				if (/^[+-]?\d+$/.test(trimmed)) return { ok: true, value: Number(trimmed) };
				if (/^[+-]?\d+\.\d+$/.test(trimmed)) {
					return {
						ok: false,
						type: 'int_from_float',
						msg: 'Input should be a valid integer, got a number with a fractional part',
					};
				}
				return {
					ok: false,
					type: 'int_parsing',
					msg: 'Input should be a valid integer, unable to parse string as an integer',
				};
			}
			return { ok: false, type: 'int_type', msg: 'Input should be a valid integer' };
		}
		case 'number': {
			if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
			if (typeof value === 'number') {
				if (!Number.isFinite(value)) return { ok: false, type: 'finite_number', msg: 'Input should be a finite number' };
				return { ok: true, value };
			}
			if (typeof value === 'string') {
				const n = Number(value.trim());
				if (value.trim() !== '' && Number.isFinite(n)) return { ok: true, value: n };
				return {
					ok: false,
					type: 'float_parsing',
					msg: 'Input should be a valid number, unable to parse string as a number',
				};
			}
			return { ok: false, type: 'float_type', msg: 'Input should be a valid number' };
		}
	}
}

/** Validates an SVD request body. Returns the list of field errors (empty when valid). */
export function validateSvdInput(body: unknown): FieldError[] {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return [{ loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', type: 'model_attributes_type', input: body }];
	}
	const input = body as Record<string, unknown>;
	const errors: FieldError[] = [];
	for (const [field, spec] of Object.entries(SVD_INPUT_SCHEMA)) {
		const value = input[field];
		if (value === undefined || value === null) {
			// pydantic: Optional fields accept null; required ones report `missing`.
			if (spec.required) errors.push({ loc: ['body', field], msg: 'Field required', type: 'missing', input });
			continue;
		}
		const res = coerce(spec.kind, value);
		if (!res.ok) {
			errors.push({ loc: ['body', field], msg: res.msg, type: res.type, input: value });
			continue;
		}
		const n = res.value;
		if (typeof n === 'number') {
			if (spec.ge !== undefined && n < spec.ge) {
				errors.push({
					loc: ['body', field],
					msg: `Input should be greater than or equal to ${spec.ge}`,
					type: 'greater_than_equal',
					input: value,
					ctx: { ge: spec.ge },
				});
			} else if (spec.le !== undefined && n > spec.le) {
				errors.push({
					loc: ['body', field],
					msg: `Input should be less than or equal to ${spec.le}`,
					type: 'less_than_equal',
					input: value,
					ctx: { le: spec.le },
				});
			}
		}
	}
	return errors;
}
