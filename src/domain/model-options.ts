import type { FieldSpec, OptionName } from './catalogue/index.js';
import type { AnimateRequest } from './job.js';
import { givenOptions, givenValue, takes, type ModelSpec } from './models.js';
import { refuse } from './refusal.js';
import { DEFAULT_PARAMS } from './settings.js';

/** Folds case, spaces and a unit ("9" for "9s", "768p" for "768P", "10 s" for "10"). */
const fold = (value: string) =>
	value
		.toLowerCase()
		.replace(/\s+/g, '')
		.replace(/(seconds|second|secs|sec|s|p)$/, '');

/** The model's own spelling of a typed choice, if exactly one of its values matches. */
export function matchChoice(values: readonly string[], typed: string): string | undefined {
	if (values.includes(typed)) return typed;
	const matches = values.filter((value) => fold(value) === fold(typed));
	return matches.length === 1 ? matches[0] : undefined;
}

/** Checks one given value against its field's schema; returns it in the model's spelling. */
function checkValue(model: ModelSpec, option: OptionName, spec: FieldSpec, value: unknown): unknown {
	const name = model.label;
	switch (spec.kind) {
		case 'integer':
		case 'number': {
			const n = value as number;
			if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
				refuse({
					kind: 'option-out-of-range',
					model: name,
					option,
					...(spec.min !== undefined ? { min: spec.min } : {}),
					...(spec.max !== undefined ? { max: spec.max } : {}),
				});
			}
			return n;
		}
		case 'text': {
			const text = (value as string).trim();
			if (text.length === 0) refuse({ kind: 'option-required', model: name, option });
			// Code points, as fal's validators count them, not UTF-16 units.
			const length = [...text].length;
			if ((spec.minLength !== undefined && length < spec.minLength) || (spec.maxLength !== undefined && length > spec.maxLength)) {
				refuse({
					kind: 'option-length',
					model: name,
					option,
					length,
					...(spec.minLength !== undefined ? { min: spec.minLength } : {}),
					...(spec.maxLength !== undefined ? { max: spec.maxLength } : {}),
				});
			}
			return text;
		}
		case 'choice': {
			const matched = matchChoice(spec.values, String(value));
			if (matched === undefined) refuse({ kind: 'option-not-a-choice', model: name, option, values: spec.values });
			return matched;
		}
		default:
			return value;
	}
}

/**
 * A request checked against its model's published schema before anything is submitted, so fal
 * never has to refuse it: options the model does not take, required ones missing, values out of
 * range or not among the model's choices are each refused by the option's name. Returns the
 * request with choices in the model's own spelling.
 */
export function checkRequest(model: ModelSpec, request: AnimateRequest): AnimateRequest {
	const unsupported = givenOptions(request).filter((option) => !takes(model, option));
	if (unsupported.length > 0) refuse({ kind: 'options-not-taken', model: model.label, options: unsupported });
	for (const option of model.required) {
		if (givenValue(request, option) === undefined) refuse({ kind: 'option-required', model: model.label, option });
	}
	const choices: Record<string, unknown> = {};
	for (const [option, spec] of Object.entries(model.options) as [OptionName, FieldSpec][]) {
		const value = givenValue(request, option);
		if (value === undefined || spec.kind === 'file') continue;
		const checked = checkValue(model, option, spec, value);
		if (option in (request.choices ?? {})) choices[option] = checked;
	}
	return Object.keys(choices).length > 0 ? { ...request, choices } : request;
}

type Param = 'motion' | 'noise' | 'steps';

/**
 * The value a numeric option has in a job: the member's, else the server's default when the model
 * accepts it, else the model's published default. Models without the option get a placeholder
 * that is stored but never sent.
 */
export function effectiveParam(model: ModelSpec, option: Param, given: number | undefined, serverDefault: number | undefined): number {
	if (given !== undefined) return given;
	const spec = model.options[option];
	if (spec?.kind !== 'integer' && spec?.kind !== 'number') return DEFAULT_PARAMS[option];
	const fits = (n: number) => (spec.min === undefined || n >= spec.min) && (spec.max === undefined || n <= spec.max);
	if (serverDefault !== undefined && fits(serverDefault)) return serverDefault;
	return spec.default ?? DEFAULT_PARAMS[option];
}

/** The range ➕/➖ keep motion in: the model's, else SVD's 1–255. */
export function motionRange(model: ModelSpec): { min: number; max: number } {
	const spec = model.options.motion;
	return spec?.kind === 'integer' || spec?.kind === 'number' ? { min: spec.min ?? 1, max: spec.max ?? 255 } : { min: 1, max: 255 };
}
