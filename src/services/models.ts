/** The /animate options a model may take, by the option names users type. */
export type AnimateOption = 'motion' | 'noise' | 'seed' | 'steps' | 'mask' | 'depth_maps';

export interface ModelSpec {
	readonly id: string;
	readonly label: string;
	readonly options: ReadonlySet<AnimateOption>;
}

const ALL: readonly AnimateOption[] = ['motion', 'noise', 'seed', 'steps', 'mask', 'depth_maps'];

/** What each supported fal model accepts; the one table every check reads. */
export const MODELS: ReadonlyMap<string, ModelSpec> = new Map(
	[
		{ id: 'fal-ai/svd', label: 'Stable Video Diffusion', options: new Set(ALL) },
		{ id: 'fal-ai/stable-video', label: 'Stable Video', options: new Set<AnimateOption>(['motion', 'noise', 'seed']) },
		{ id: 'fal-ai/fast-svd-lcm', label: 'Fast SVD (LCM)', options: new Set<AnimateOption>(['motion', 'noise', 'seed', 'steps']) },
	].map((spec) => [spec.id, spec]),
);

/** A model the table does not know is assumed to take everything: fal's 422 still guards it. */
export function modelSpec(id: string): ModelSpec {
	return MODELS.get(id) ?? { id, label: id, options: new Set(ALL) };
}

/** fal's input field for each option, so fal's 422s can be explained in the user's words. */
export const FAL_FIELD: Record<AnimateOption | 'image', string> = {
	image: 'image_url',
	motion: 'motion_bucket_id',
	noise: 'cond_aug',
	seed: 'seed',
	steps: 'steps',
	mask: 'mask_image_url',
	depth_maps: 'control_maps_data_url',
};
