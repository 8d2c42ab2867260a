/**
 * The model catalogue: every fal endpoint the bot can run, with the /animate options each takes and
 * its price rule, generated from fal's published schemas (fal-models/*.json, `npm run catalogue`).
 */
import { GENERATED_MODELS } from './models.generated.js';
import { estimateUsdAmong, type PriceChoice } from './price.js';
import type { CatalogueModel } from './types.js';

export type { CatalogueModel, FieldSpec, OptionName, PriceRule } from './types.js';
export { FIELD_OF_OPTION, IMAGE_FIELD, OPTION_NAMES, OPTION_OF_FIELD } from './types.js';
export { durationSeconds, priceBasis, type PriceBasis, type PriceChoice } from './price.js';

/** Endpoint id → model, in catalogue order (the generator's): the SVD family first, then Wan, Kling, Hailuo, Luma. */
export const CATALOGUE: ReadonlyMap<string, CatalogueModel> = new Map(GENERATED_MODELS.map((model) => [model.id, model]));

export function catalogueModel(id: string): CatalogueModel | undefined {
	return CATALOGUE.get(id);
}

/** The SVD family's ids: the models a server allows until an admin picks others. */
export const SVD_FAMILY: readonly string[] = GENERATED_MODELS.filter((model) => model.family === 'svd').map((model) => model.id);

/**
 * Estimated USD for one video of `model` with these choices (undefined → the schema default). A
 * model fal publishes no price for is estimated at its family's priced model's price (fal-ai/svd and
 * fal-ai/fast-svd-lcm at fal-ai/stable-video's), or 0 when there is none.
 */
export function estimateUsd(model: CatalogueModel, choice: PriceChoice = {}): number {
	return estimateUsdAmong(model, choice, CATALOGUE.values());
}
