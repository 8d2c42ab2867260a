/**
 * What a video costs on fal, from a catalogue model's price rule and the member's duration and
 * resolution. Pure: the catalogue whose priced models stand in for an unpriced one is a parameter
 * here, and index.ts binds it to the generated catalogue (the generator imports this file, so it
 * must not import the generated module it writes).
 */
import type { CatalogueModel, FieldSpec } from './types.js';

/** The choices a price depends on; undefined means the model's schema default. */
export interface PriceChoice {
	readonly duration?: string;
	readonly resolution?: string;
}

/** What a one-line price label needs ("$0.21 / 5 s", "$0.045 / s at 768P"), at the model's defaults. */
export interface PriceBasis {
	readonly usd: number;
	readonly per: 'video' | 'second' | { readonly seconds: number };
	readonly resolution?: string;
}

/** Rounded to 1e-6 so that sums of fal's prices read as cents (0.3, not 0.30000000000000004). */
const round = (usd: number): number => Math.round(usd * 1e6) / 1e6;

/** '5' → 5, '5s' → 5, '10' → 10; anything else → undefined. fal's duration enums are strings. */
export function parseSeconds(value: string | number): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined;
	const match = /^(\d+(?:\.\d+)?)s?$/.exec(value.trim());
	return match ? Number(match[1]) : undefined;
}

function defaultOf(spec: FieldSpec | undefined): string | number | undefined {
	if (spec === undefined) return undefined;
	if (spec.kind === 'choice' || spec.kind === 'integer' || spec.kind === 'number') return spec.default;
	return undefined;
}

/** The model's duration choice in seconds (`value` undefined → the schema default); undefined when the model has no duration. */
export function durationSeconds(model: CatalogueModel, value?: string): number | undefined {
	const spec = model.options.duration;
	if (spec === undefined) return undefined;
	const chosen = value ?? defaultOf(spec);
	return chosen === undefined ? undefined : parseSeconds(chosen);
}

/** The longest duration the model offers: what an unreadable duration is charged at, so a spend cap never undercounts. */
function longestSeconds(model: CatalogueModel): number {
	const spec = model.options.duration;
	if (spec?.kind === 'choice') return Math.max(0, ...spec.values.map((v) => parseSeconds(v) ?? 0));
	if (spec?.kind === 'integer' || spec?.kind === 'number') return spec.max ?? spec.default ?? 0;
	return 0;
}

function resolutionOf(model: CatalogueModel, value: string | undefined): string | undefined {
	const chosen = value ?? defaultOf(model.options.resolution);
	return chosen === undefined ? undefined : String(chosen);
}

/** A per-resolution figure; a resolution the table lacks is charged at the dearest one, for the same reason as longestSeconds. */
function byResolution(table: Readonly<Record<string, number>>, resolution: string | undefined): number {
	const figure = resolution === undefined ? undefined : table[resolution];
	return figure ?? Math.max(0, ...Object.values(table));
}

/** A resolution multiplier; a model without resolutions (an empty table) is charged the block price as is. */
const multiplier = (table: Readonly<Record<string, number>>, resolution: string | undefined): number =>
	Object.keys(table).length === 0 ? 1 : byResolution(table, resolution);

/**
 * The model whose published price stands in for this unpriced one: the first priced model of the
 * same family in `catalogue` (fal-ai/stable-video for fal-ai/svd and fal-ai/fast-svd-lcm).
 */
export function pricedSibling(model: CatalogueModel, catalogue: Iterable<CatalogueModel>): CatalogueModel | undefined {
	if (model.price.kind !== 'unknown') return undefined;
	for (const other of catalogue) {
		if (other.family === model.family && other.price.kind !== 'unknown') return other;
	}
	return undefined;
}

/**
 * Estimated USD for one video with these choices. An unpriced model is estimated at its priced
 * sibling's price with the sibling's defaults (its own choices may not exist on the sibling), or 0
 * when the family has none.
 */
export function estimateUsdAmong(model: CatalogueModel, choice: PriceChoice, catalogue: Iterable<CatalogueModel>): number {
	const rule = model.price;
	const seconds = (): number => durationSeconds(model, choice.duration) ?? longestSeconds(model);
	const resolution = resolutionOf(model, choice.resolution);
	switch (rule.kind) {
		case 'unknown': {
			const sibling = pricedSibling(model, catalogue);
			return sibling === undefined ? 0 : estimateUsdAmong(sibling, {}, []);
		}
		case 'per-video':
			return round(rule.usd);
		case 'per-video-by-resolution':
			return round(byResolution(rule.usd, resolution));
		case 'per-second-by-resolution':
			return round(byResolution(rule.usd, resolution) * seconds());
		case 'base-plus-per-second':
			return round(rule.baseUsd + Math.max(0, seconds() - rule.baseSeconds) * rule.perSecondUsd);
		case 'per-block-of-seconds':
			return round(((rule.usd * seconds()) / rule.seconds) * multiplier(rule.resolutionMultiplier, resolution));
	}
}

/** The published price at the model's default resolution, in the unit fal states it; null when fal publishes none. */
export function priceBasis(model: CatalogueModel): PriceBasis | null {
	const rule = model.price;
	const resolution = resolutionOf(model, undefined);
	const at = resolution === undefined ? {} : { resolution };
	switch (rule.kind) {
		case 'unknown':
			return null;
		case 'per-video':
			return { usd: round(rule.usd), per: 'video' };
		case 'per-video-by-resolution':
			return { usd: round(byResolution(rule.usd, resolution)), per: 'video', ...at };
		case 'per-second-by-resolution':
			return { usd: round(byResolution(rule.usd, resolution)), per: 'second', ...at };
		case 'base-plus-per-second':
			return { usd: round(rule.baseUsd), per: { seconds: rule.baseSeconds } };
		case 'per-block-of-seconds':
			return { usd: round(rule.usd * multiplier(rule.resolutionMultiplier, resolution)), per: { seconds: rule.seconds }, ...at };
	}
}
