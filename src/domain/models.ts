import type { FalRejected } from './errors.js';
import type { AnimateRequest, JobRow } from './job.js';
import type { Refusal } from './refusal.js';

/** The /animate options a model may take, by the option names members type. */
export type AnimateOption = 'motion' | 'noise' | 'seed' | 'steps' | 'fps' | 'mask' | 'depth_maps';

export interface ModelSpec {
	readonly id: string;
	readonly label: string;
	readonly options: ReadonlySet<AnimateOption>;
	/** Estimated USD per video; FAL_PRICES overrides it (check fal's pricing page for your account). */
	readonly priceUsd: number;
}

const spec = (id: string, label: string, priceUsd: number, options: AnimateOption[]): ModelSpec => ({
	id,
	label,
	priceUsd,
	options: new Set(options),
});

/** What each supported fal model accepts and costs; the one table every check reads. */
export const MODELS: ReadonlyMap<string, ModelSpec> = new Map(
	[
		spec('fal-ai/svd', 'Stable Video Diffusion', 0.08, ['motion', 'noise', 'seed', 'steps', 'mask', 'depth_maps']),
		spec('fal-ai/stable-video', 'Stable Video', 0.08, ['motion', 'noise', 'seed', 'fps']),
		spec('fal-ai/fast-svd-lcm', 'Fast SVD (LCM)', 0.03, ['motion', 'noise', 'seed', 'steps', 'fps']),
	].map((model) => [model.id, model]),
);

const SVD = MODELS.get('fal-ai/svd')!;

/**
 * A model the table does not know is assumed to take the SVD options (fal's 422 still guards it),
 * at the SVD price unless FAL_PRICES names it.
 */
export function modelSpec(id: string, prices: Readonly<Record<string, number>> = {}): ModelSpec {
	const known = MODELS.get(id) ?? spec(id, id, SVD.priceUsd, [...SVD.options]);
	const price = prices[id];
	return price === undefined ? known : { ...known, priceUsd: price };
}

/** fal's input field for each option, so fal's 422s can be explained in the member's words. */
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

const OPTION_OF_FIELD: ReadonlyMap<string, string> = new Map(Object.entries(FAL_FIELD).map(([option, field]) => [field, option]));

/** The /animate option a fal input field came from, if any. */
export const optionOfField = (field: string): string | undefined => OPTION_OF_FIELD.get(field);

/** The options a request sets explicitly, in the order /animate lists them. */
export function givenOptions(request: AnimateRequest): AnimateOption[] {
	const given: AnimateOption[] = [];
	if (request.motion !== undefined) given.push('motion');
	if (request.noise !== undefined) given.push('noise');
	if (request.seed !== undefined) given.push('seed');
	if (request.steps !== undefined) given.push('steps');
	if (request.fps !== undefined) given.push('fps');
	if (request.mask) given.push('mask');
	if (request.depthMaps) given.push('depth_maps');
	return given;
}

/** The fal input for a job: only the fields its model takes. */
export function falInput(job: JobRow, model: ModelSpec): Record<string, unknown> {
	const input: Record<string, unknown> = { image_url: job.imageUrl, seed: job.seed };
	const take = (option: AnimateOption, value: unknown) => {
		if (value !== null && value !== undefined && model.options.has(option)) input[FAL_FIELD[option]] = value;
	};
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
