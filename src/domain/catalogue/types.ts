/**
 * The shape of the model catalogue. The entries themselves are generated from fal's published
 * per-endpoint schemas (`models/*.json`) by `npm run catalogue`, so every range, enum, default and
 * required field is fal's own; only the short labels and the option names members type are ours.
 */

/** The /animate options a model may take, by the names members type. `image` is always there. */
export const OPTION_NAMES = [
	'prompt',
	'negative_prompt',
	'duration',
	'resolution',
	'aspect_ratio',
	'end_image',
	'loop',
	'motion',
	'noise',
	'seed',
	'steps',
	'fps',
	'mask',
	'depth_maps',
] as const;
export type OptionName = (typeof OPTION_NAMES)[number];

/** The fal input field behind each /animate option; an option is offered only where the schema has its field. */
export const FIELD_OF_OPTION: Readonly<Record<OptionName, string>> = {
	prompt: 'prompt',
	negative_prompt: 'negative_prompt',
	duration: 'duration',
	resolution: 'resolution',
	aspect_ratio: 'aspect_ratio',
	end_image: 'end_image_url',
	loop: 'loop',
	motion: 'motion_bucket_id',
	noise: 'cond_aug',
	seed: 'seed',
	steps: 'steps',
	fps: 'fps',
	mask: 'mask_image_url',
	depth_maps: 'control_maps_data_url',
};

/** The /animate option behind each fal input field (FIELD_OF_OPTION read backwards). */
export const OPTION_OF_FIELD: ReadonlyMap<string, OptionName> = new Map(OPTION_NAMES.map((option) => [FIELD_OF_OPTION[option], option]));

export const IMAGE_FIELD = 'image_url';

/** One input field of a model, as its schema declares it. */
export type FieldSpec =
	| { readonly kind: 'integer' | 'number'; readonly field: string; readonly min?: number; readonly max?: number; readonly default?: number }
	| { readonly kind: 'text'; readonly field: string; readonly minLength?: number; readonly maxLength?: number; readonly default?: string }
	| { readonly kind: 'choice'; readonly field: string; readonly values: readonly string[]; readonly default?: string }
	| { readonly kind: 'boolean'; readonly field: string; readonly default?: boolean }
	/** A `*_url` field: the bot uploads the member's attachment and passes its fal URL. */
	| { readonly kind: 'file'; readonly field: string };

/**
 * How fal prices a model, from its pricing text. Durations are in seconds; resolutions are the
 * model's own enum values.
 */
export type PriceRule =
	/** fal publishes no price for this endpoint: the estimate falls back (see price.ts). */
	| { readonly kind: 'unknown' }
	| { readonly kind: 'per-video'; readonly usd: number }
	| { readonly kind: 'per-video-by-resolution'; readonly usd: Readonly<Record<string, number>> }
	| { readonly kind: 'per-second-by-resolution'; readonly usd: Readonly<Record<string, number>> }
	/** e.g. Kling: $0.21 for the first 5 s, $0.042 for each second after. */
	| { readonly kind: 'base-plus-per-second'; readonly baseUsd: number; readonly baseSeconds: number; readonly perSecondUsd: number }
	/** e.g. Luma: $0.20 per 5 s, times a multiplier per resolution. */
	| {
			readonly kind: 'per-block-of-seconds';
			readonly usd: number;
			readonly seconds: number;
			readonly resolutionMultiplier: Readonly<Record<string, number>>;
	  };

export interface CatalogueModel {
	/** fal's endpoint id, e.g. `fal-ai/kling-video/v2.5-turbo/standard/image-to-video`. */
	readonly id: string;
	/** Short name shown to members, e.g. "Kling 2.5 Turbo". */
	readonly label: string;
	/** The SVD family (svd, stable-video, fast-svd-lcm) is what a server allows until an admin changes it. */
	readonly family: 'svd' | 'wan' | 'kling' | 'hailuo' | 'luma';
	/** The image's input field (always `image_url` today). */
	readonly imageField: string;
	/** The /animate options this model takes, each with its field's schema. */
	readonly options: Readonly<Partial<Record<OptionName, FieldSpec>>>;
	/** Options the schema requires besides the image. */
	readonly required: readonly OptionName[];
	readonly price: PriceRule;
	/** fal's pricing words, verbatim (empty when fal publishes none). */
	readonly priceText: string;
}
