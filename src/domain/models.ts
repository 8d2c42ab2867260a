import {
	catalogueModel,
	estimateUsd,
	FIELD_OF_OPTION,
	IMAGE_FIELD,
	OPTION_NAMES,
	OPTION_OF_FIELD,
	type CatalogueModel,
	type OptionName,
} from './catalogue/index.js';
import type { FalRejected } from './errors.js';
import type { AnimateRequest, JobRow, ModelChoices } from './job.js';
import type { Refusal } from './refusal.js';

export type { OptionName as AnimateOption } from './catalogue/index.js';

/** A model as the bot uses it: its catalogue entry, and the price FAL_PRICES may set instead of fal's rule. */
export interface ModelSpec extends CatalogueModel {
	/** FAL_PRICES: USD per video for this model on the bot owner's account; replaces fal's published rule. */
	readonly flatPriceUsd?: number;
}

export const takes = (model: CatalogueModel, option: OptionName): boolean => model.options[option] !== undefined;

/** The options a model takes, in the order /animate lists them. */
export const optionsOf = (model: CatalogueModel): OptionName[] => Object.keys(model.options) as OptionName[];

/**
 * A model id the catalogue does not know (FAL_MODEL may name any fal endpoint) is assumed to take
 * the SVD options, at the SVD family's estimate unless FAL_PRICES names it; fal's 422 still guards it.
 */
export function modelSpec(id: string, prices: Readonly<Record<string, number>> = {}): ModelSpec {
	const known: CatalogueModel = catalogueModel(id) ?? { ...catalogueModel('fal-ai/svd')!, id, label: id, price: { kind: 'unknown' }, priceText: '' };
	const price = prices[id];
	return price === undefined ? known : { ...known, flatPriceUsd: price };
}

/** What one job on this model is estimated to cost, for its duration and resolution. */
export function jobPriceUsd(model: ModelSpec, choices: ModelChoices = {}): number {
	if (model.flatPriceUsd !== undefined) return model.flatPriceUsd;
	return estimateUsd(model, choices);
}

/** fal's input field for each option and the image, so fal's 422s can be explained in the member's words. */
export const FAL_FIELD: Readonly<Record<OptionName | 'image', string>> = { image: IMAGE_FIELD, ...FIELD_OF_OPTION };

/** The /animate option a fal input field came from, if any. */
export const optionOfField = (field: string): string | undefined => (field === IMAGE_FIELD ? 'image' : OPTION_OF_FIELD.get(field));

const CHOICE_OPTIONS = [
	'prompt',
	'negative_prompt',
	'duration',
	'resolution',
	'aspect_ratio',
	'loop',
] as const satisfies readonly (keyof ModelChoices & OptionName)[];

/** What the member typed for an option, or `true` for an attachment; undefined when not given. */
export function givenValue(request: AnimateRequest, option: OptionName): unknown {
	switch (option) {
		case 'end_image':
			return request.endImage ? true : undefined;
		case 'mask':
			return request.mask ? true : undefined;
		case 'depth_maps':
			return request.depthMaps ? true : undefined;
		case 'motion':
		case 'noise':
		case 'seed':
		case 'steps':
		case 'fps':
			return request[option];
		default:
			return request.choices?.[option];
	}
}

/** The options a request sets explicitly, in the order /animate lists them. */
export const givenOptions = (request: AnimateRequest): OptionName[] => OPTION_NAMES.filter((option) => givenValue(request, option) !== undefined);

/** The fal input for a job: only the fields its model takes. */
export function falInput(job: JobRow, model: CatalogueModel): Record<string, unknown> {
	const input: Record<string, unknown> = { [model.imageField]: job.imageUrl };
	const take = (option: OptionName, value: unknown) => {
		const spec = model.options[option];
		if (value !== null && value !== undefined && spec) input[spec.field] = value;
	};
	for (const option of CHOICE_OPTIONS) take(option, job.choices[option]);
	take('end_image', job.endImageUrl);
	take('seed', job.seed);
	take('fps', job.fps);
	take('motion', job.motion);
	take('noise', job.noise);
	take('steps', job.steps);
	take('mask', job.maskUrl);
	take('depth_maps', job.depthMapsUrl);
	return input;
}

/** fal's 422 in the member's terms: each refused field named by the /animate option it came from. */
export function explainRejection(rejection: FalRejected): Refusal {
	const fields = rejection.fields.map(({ field, message }) => {
		const option = optionOfField(field);
		return option ? { field, option, message } : { field, message };
	});
	return { kind: 'fal-invalid', message: rejection.message, fields };
}
