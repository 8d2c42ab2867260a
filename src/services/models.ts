/** The /animate options a model may take, by the option names users type. */
export type AnimateOption = 'motion' | 'noise' | 'seed' | 'steps' | 'fps' | 'mask' | 'depth_maps';

export interface ModelSpec {
	readonly id: string;
	readonly label: string;
	readonly options: ReadonlySet<AnimateOption>;
	/** Estimated USD per video; FAL_PRICES overrides it (check fal's pricing page for your account). */
	readonly priceUsd: number;
}

const spec = (id: string, label: string, priceUsd: number, options: AnimateOption[]): ModelSpec => ({ id, label, priceUsd, options: new Set(options) });

/** What each supported fal model accepts and costs; the one table every check reads. */
export const MODELS: ReadonlyMap<string, ModelSpec> = new Map(
	[
		spec('fal-ai/svd', 'Stable Video Diffusion', 0.08, ['motion', 'noise', 'seed', 'steps', 'mask', 'depth_maps']),
		spec('fal-ai/stable-video', 'Stable Video', 0.08, ['motion', 'noise', 'seed', 'fps']),
		spec('fal-ai/fast-svd-lcm', 'Fast SVD (LCM)', 0.03, ['motion', 'noise', 'seed', 'steps', 'fps']),
	].map((model) => [model.id, model]),
);

/**
 * A model the table does not know is assumed to take the SVD options (fal's 422 still guards it),
 * at the SVD price unless FAL_PRICES names it.
 */
export function modelSpec(id: string, prices: Readonly<Record<string, number>> = {}): ModelSpec {
	const known = MODELS.get(id) ?? spec(id, id, MODELS.get('fal-ai/svd')!.priceUsd, [...MODELS.get('fal-ai/svd')!.options]);
	const price = prices[id];
	return price === undefined ? known : { ...known, priceUsd: price };
}

/** fal's input field for each option, so fal's 422s can be explained in the user's words. */
export const FAL_FIELD: Record<AnimateOption | 'image', string> = {
	image: 'image_url',
	motion: 'motion_bucket_id',
	noise: 'cond_aug',
	seed: 'seed',
	steps: 'steps',
	fps: 'fps',
	mask: 'mask_image_url',
	depth_maps: 'control_maps_data_url',
};
