/**
 * fal's published schema file (fal-models/*.json) → a CatalogueModel. Pure, so the tests run it on
 * in-memory schemas. Everything it cannot express faithfully (a required field /animate cannot
 * fill, an unknown price shape, a schema keyword the catalogue has no room for) throws instead of
 * guessing: a wrong catalogue would let members submit jobs fal then refuses or bills differently.
 */
import { parseSeconds } from '../../src/domain/catalogue/price.js';
import { FIELD_OF_OPTION, IMAGE_FIELD, OPTION_NAMES, OPTION_OF_FIELD } from '../../src/domain/catalogue/types.js';
import type { CatalogueModel, FieldSpec, OptionName, PriceRule } from '../../src/domain/catalogue/types.js';

interface SchemaProperty {
	readonly [keyword: string]: unknown;
}

/** The parts of a fal-models/*.json file the catalogue reads. */
export interface SchemaFile {
	readonly endpoint_id: string;
	readonly input: { readonly properties: Readonly<Record<string, SchemaProperty>>; readonly required?: readonly string[] };
	readonly output: { readonly properties: Readonly<Record<string, unknown>> };
	readonly output_video_key: string;
	readonly price: unknown;
}

/** Ours, not fal's: the names members see, in the order the catalogue lists the models (SVD family first). */
export const LABELS: ReadonlyArray<readonly [id: string, label: string]> = [
	['fal-ai/svd', 'Stable Video Diffusion'],
	['fal-ai/stable-video', 'Stable Video'],
	['fal-ai/fast-svd-lcm', 'Fast SVD (LCM)'],
	['fal-ai/wan/v2.2-a14b/image-to-video/turbo', 'Wan 2.2 Turbo'],
	['fal-ai/kling-video/v2.5-turbo/standard/image-to-video', 'Kling 2.5 Turbo'],
	['fal-ai/kling-video/v2.1/standard/image-to-video', 'Kling 2.1'],
	['fal-ai/minimax/hailuo-02/standard/image-to-video', 'Hailuo 02'],
	['fal-ai/luma-dream-machine/ray-2-flash/image-to-video', 'Luma Ray 2 Flash'],
];

const FAMILIES: ReadonlyArray<readonly [RegExp, CatalogueModel['family']]> = [
	[/^fal-ai\/(svd|stable-video|fast-svd-lcm)$/, 'svd'],
	[/^fal-ai\/wan\//, 'wan'],
	[/^fal-ai\/kling-video\//, 'kling'],
	[/^fal-ai\/minimax\/hailuo-/, 'hailuo'],
	[/^fal-ai\/luma-dream-machine\//, 'luma'],
];

/** Schema keywords a FieldSpec carries, or that carry no constraint (words for people). Any other keyword fails. */
const KNOWN_KEYWORDS = new Set(['type', 'enum', 'default', 'minimum', 'maximum', 'minLength', 'maxLength', 'title', 'description', 'examples']);

export class CatalogueError extends Error {
	constructor(id: string, problem: string) {
		super(`catalogue: ${id}: ${problem}`);
		this.name = 'CatalogueError';
	}
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function numberOr(id: string, what: string, value: unknown): number | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value)) throw new CatalogueError(id, `${what} is ${JSON.stringify(value)}, not a number`);
	return value;
}

/** Copies the defined entries only, so the generated file has no `min: undefined`. */
function defined<T extends object>(spec: T): T {
	return Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined)) as T;
}

function fieldSpec(id: string, field: string, prop: SchemaProperty): FieldSpec {
	const unknown = Object.keys(prop).filter((keyword) => !KNOWN_KEYWORDS.has(keyword));
	if (unknown.length > 0) throw new CatalogueError(id, `${field} uses ${unknown.join(', ')}, which the catalogue cannot express`);
	const what = (keyword: string): string => `${field}.${keyword}`;
	switch (prop.type) {
		case 'integer':
		case 'number':
			return defined({
				kind: prop.type,
				field,
				min: numberOr(id, what('minimum'), prop.minimum),
				max: numberOr(id, what('maximum'), prop.maximum),
				default: numberOr(id, what('default'), prop.default),
			});
		case 'string': {
			if (prop.enum !== undefined) {
				if (!Array.isArray(prop.enum) || !prop.enum.every((v): v is string => typeof v === 'string')) {
					throw new CatalogueError(id, `${field}'s enum is not a list of strings`);
				}
				if (prop.default !== undefined && !prop.enum.includes(prop.default as string)) {
					throw new CatalogueError(id, `${field}'s default ${JSON.stringify(prop.default)} is not one of its values`);
				}
				return defined({ kind: 'choice', field, values: [...prop.enum], default: prop.default as string | undefined });
			}
			if (field.endsWith('_url')) return { kind: 'file', field };
			if (prop.default !== undefined && typeof prop.default !== 'string') throw new CatalogueError(id, `${field}'s default is not a string`);
			return defined({
				kind: 'text',
				field,
				minLength: numberOr(id, what('minLength'), prop.minLength),
				maxLength: numberOr(id, what('maxLength'), prop.maxLength),
				default: prop.default,
			});
		}
		case 'boolean':
			if (prop.default !== undefined && typeof prop.default !== 'boolean') throw new CatalogueError(id, `${field}'s default is not a boolean`);
			return defined({ kind: 'boolean', field, default: prop.default });
		default:
			throw new CatalogueError(id, `${field} has type ${JSON.stringify(prop.type)}, which no /animate option can carry`);
	}
}

function familyOf(id: string): CatalogueModel['family'] {
	const family = FAMILIES.find(([pattern]) => pattern.test(id))?.[1];
	if (family === undefined) throw new CatalogueError(id, 'no family (svd, wan, kling, hailuo, luma) matches this endpoint id');
	return family;
}

function labelOf(id: string): string {
	const label = LABELS.find(([labelled]) => labelled === id)?.[1];
	if (label === undefined) throw new CatalogueError(id, 'no label: add the endpoint to LABELS in scripts/catalogue/convert.ts');
	return label;
}

/** The schema's required fields besides the image, as options; a field no option fills would make every /animate fail. */
function requiredOptions(id: string, required: readonly string[]): OptionName[] {
	return required
		.filter((field) => field !== IMAGE_FIELD)
		.map((field) => {
			const option = OPTION_OF_FIELD.get(field);
			if (option === undefined) throw new CatalogueError(id, `requires ${field}, which no /animate option fills`);
			return option;
		});
}

// ------------------------------------------------------------------------------------- prices

/** Keys of fal's `price` object that are words about the price, not figures. */
const PRICE_WORDS = new Set(['text', 'unit', 'source', 'example', 'disagreement', 'modifiers']);

/** A price that depends on the duration needs a duration option whose every value reads as seconds, and a default. */
function needsDuration(id: string, options: CatalogueModel['options']): void {
	const spec = options.duration;
	if (spec?.kind !== 'choice' || spec.default === undefined || !spec.values.every((v) => parseSeconds(v) !== undefined)) {
		throw new CatalogueError(id, 'the price is per second, but the schema has no duration choice (with a default) that reads as seconds');
	}
}

/** A per-resolution table must price exactly the model's resolutions (with a default), in the schema's order. */
function resolutionTable(id: string, options: CatalogueModel['options'], table: unknown, fill?: number): Record<string, number> {
	const spec = options.resolution;
	if (spec?.kind !== 'choice' || spec.default === undefined)
		throw new CatalogueError(id, 'the price is by resolution, but the schema has no resolution choice with a default');
	if (!isRecord(table)) throw new CatalogueError(id, 'the price by resolution is not a table');
	const extra = Object.keys(table).filter((resolution) => !spec.values.includes(resolution));
	if (extra.length > 0) throw new CatalogueError(id, `the price names resolutions the schema lacks: ${extra.join(', ')}`);
	return Object.fromEntries(
		spec.values.map((resolution) => {
			const figure = numberOr(id, `price for ${resolution}`, table[resolution]) ?? fill;
			if (figure === undefined) throw new CatalogueError(id, `the price does not say what ${resolution} costs`);
			return [resolution, figure];
		}),
	);
}

/**
 * Resolution multipliers from fal's words, e.g. "720p costs 2x more, 1080p costs 4x more"; the
 * resolutions not named cost the base price. Only "<resolution> costs Nx more" is read: Luma's
 * modifiers also quote its text-to-video sibling's "(9s costs 2x more)", which its image-to-video
 * page does not say, so the price stays proportional to the duration.
 */
function multipliers(id: string, options: CatalogueModel['options'], modifiers: unknown): Record<string, number> {
	if (modifiers === undefined) return {};
	if (typeof modifiers !== 'string') throw new CatalogueError(id, 'price.modifiers is not text');
	const named: Record<string, number> = Object.fromEntries(
		[...modifiers.matchAll(/\b(\d+[pP]) costs (\d+(?:\.\d+)?)x more\b/g)].map((m): [string, number] => [m[1] ?? '', Number(m[2])]),
	);
	if (Object.keys(named).length === 0) throw new CatalogueError(id, `price.modifiers names no "<resolution> costs Nx more": ${modifiers}`);
	return resolutionTable(id, options, named, 1);
}

function priceRule(id: string, price: unknown, options: CatalogueModel['options']): PriceRule {
	if (price === null) return { kind: 'unknown' };
	if (!isRecord(price)) throw new CatalogueError(id, 'price is neither null nor an object');
	const figures = Object.keys(price)
		.filter((key) => !PRICE_WORDS.has(key))
		.sort();
	const has = (...keys: string[]): boolean => figures.join() === [...keys].sort().join();
	const usd = (key: string): number => {
		const value = numberOr(id, `price.${key}`, price[key]);
		if (value === undefined || value < 0) throw new CatalogueError(id, `price.${key} is not a price`);
		return value;
	};
	const noModifiers = (): void => {
		if (price.modifiers !== undefined)
			throw new CatalogueError(id, `price.modifiers is not understood for this price shape: ${JSON.stringify(price.modifiers)}`);
	};
	const unit = price.unit;
	const baseKey = figures.find((key) => /^base_\d+s_usd$/.test(key));
	const block = typeof unit === 'string' ? /^(\d+) seconds of video$/.exec(unit) : null;

	if (baseKey !== undefined && has(baseKey, 'per_additional_second_usd')) {
		noModifiers();
		needsDuration(id, options);
		const baseSeconds = Number(/\d+/.exec(baseKey)?.[0]);
		return { kind: 'base-plus-per-second', baseUsd: usd(baseKey), baseSeconds, perSecondUsd: usd('per_additional_second_usd') };
	}
	if (unit === 'video' && has('amount_usd')) {
		noModifiers();
		return { kind: 'per-video', usd: usd('amount_usd') };
	}
	if (unit === 'video' && has('by_resolution_usd')) {
		noModifiers();
		return { kind: 'per-video-by-resolution', usd: resolutionTable(id, options, price.by_resolution_usd) };
	}
	if (unit === 'second' && has('per_second_usd')) {
		noModifiers();
		needsDuration(id, options);
		return { kind: 'per-second-by-resolution', usd: resolutionTable(id, options, price.per_second_usd) };
	}
	if (block !== null && has('amount_usd')) {
		needsDuration(id, options);
		return {
			kind: 'per-block-of-seconds',
			usd: usd('amount_usd'),
			seconds: Number(block[1]),
			resolutionMultiplier: multipliers(id, options, price.modifiers),
		};
	}
	throw new CatalogueError(
		id,
		`unrecognised price shape (unit ${JSON.stringify(unit)}, figures ${figures.join(', ') || 'none'}): teach priceRule to read it`,
	);
}

// -------------------------------------------------------------------------------------- model

export function modelFromSchema(file: SchemaFile): CatalogueModel {
	const id = file.endpoint_id;
	const properties = file.input.properties;
	if (properties[IMAGE_FIELD]?.type !== 'string') throw new CatalogueError(id, `the input has no ${IMAGE_FIELD} string field`);
	const options: Partial<Record<OptionName, FieldSpec>> = {};
	for (const option of OPTION_NAMES) {
		const field = FIELD_OF_OPTION[option];
		const prop = properties[field];
		if (prop !== undefined) options[option] = fieldSpec(id, field, prop);
	}
	const outputKey = file.output_video_key;
	if (!(outputKey in file.output.properties)) throw new CatalogueError(id, `the output has no ${outputKey} (output_video_key)`);
	// The bot reads the video from `image` or `video` (src/fal/gateway.ts, pickVideo), whichever model made it.
	if (outputKey !== 'image' && outputKey !== 'video') throw new CatalogueError(id, `the bot reads the video from image or video, not ${outputKey}`);
	const priceText = isRecord(file.price) && typeof file.price.text === 'string' ? file.price.text : '';
	return {
		id,
		label: labelOf(id),
		family: familyOf(id),
		imageField: IMAGE_FIELD,
		options,
		required: requiredOptions(id, file.input.required ?? []),
		price: priceRule(id, file.price, options),
		priceText,
	};
}

/** Every schema file as a model, in LABELS order; a file without a label, or a label without a file, fails. */
export function catalogueFromSchemas(files: readonly SchemaFile[]): CatalogueModel[] {
	const byId = new Map(files.map((file) => [file.endpoint_id, file]));
	if (byId.size !== files.length) throw new CatalogueError('fal-models', 'two schema files have the same endpoint_id');
	for (const id of byId.keys()) labelOf(id);
	return LABELS.map(([id]) => {
		const file = byId.get(id);
		if (file === undefined) throw new CatalogueError(id, 'labelled in scripts/catalogue/convert.ts but has no fal-models/ file');
		return modelFromSchema(file);
	});
}
