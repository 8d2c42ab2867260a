import { describe, expect, it } from 'vitest';
import { FalRejected } from '../../src/domain/errors.js';
import type { AnimateRequest } from '../../src/domain/job.js';
import {
	explainRejection,
	FAL_FIELD,
	falInput,
	givenOptions,
	MODELS,
	modelSpec,
	optionOfField,
	type AnimateOption,
} from '../../src/domain/models.js';
import { jobRow } from '../store/sample-job.js';

const image = { url: 'https://cdn.example/a.png', name: 'a.png' };

describe('modelSpec', () => {
	it('answers the table’s entry for a known model', () => {
		expect(modelSpec('fal-ai/stable-video')).toBe(MODELS.get('fal-ai/stable-video'));
		expect([...modelSpec('fal-ai/stable-video').options].sort()).toEqual(['fps', 'motion', 'noise', 'seed']);
		expect(modelSpec('fal-ai/fast-svd-lcm').priceUsd).toBe(0.03);
	});

	it('assumes the SVD options and price for a model it does not know, labelled by its id', () => {
		const svd = modelSpec('fal-ai/svd');
		const unknown = modelSpec('someone/new-model');
		expect(unknown).toMatchObject({ id: 'someone/new-model', label: 'someone/new-model', priceUsd: svd.priceUsd });
		expect([...unknown.options]).toEqual([...svd.options]);
		// Its own set: the table's entry is not shared.
		expect(unknown.options).not.toBe(svd.options);
	});

	it('takes prices from the overrides, for known and unknown models alike', () => {
		const prices = { 'fal-ai/svd': 0.11, 'someone/new-model': 0.5 };
		expect(modelSpec('fal-ai/svd', prices)).toMatchObject({ id: 'fal-ai/svd', label: 'Stable Video Diffusion', priceUsd: 0.11 });
		expect(modelSpec('someone/new-model', prices).priceUsd).toBe(0.5);
		expect(modelSpec('fal-ai/stable-video', prices).priceUsd).toBe(0.08);
		// A price of 0 is a price, not a missing one.
		expect(modelSpec('fal-ai/svd', { 'fal-ai/svd': 0 }).priceUsd).toBe(0);
		// The table itself is not changed by an override.
		expect(MODELS.get('fal-ai/svd')!.priceUsd).toBe(0.08);
	});
});

describe('givenOptions', () => {
	it('lists nothing for a bare image', () => {
		expect(givenOptions({ image })).toEqual([]);
	});

	it('lists what was set, zeros included, in /animate’s order', () => {
		const request: AnimateRequest = {
			image,
			depthMaps: { url: 'https://cdn.example/d.zip', name: 'd.zip' },
			fps: 6,
			seed: 0,
			mask: { url: 'https://cdn.example/m.png', name: 'm.png' },
			noise: 0,
			motion: 1,
			steps: 25,
		};
		expect(givenOptions(request)).toEqual(['motion', 'noise', 'seed', 'steps', 'fps', 'mask', 'depth_maps']);
		expect(givenOptions({ image, seed: 0, fps: 0 })).toEqual(['seed', 'fps']);
	});
});

describe('falInput', () => {
	const job = jobRow({
		imageUrl: 'https://v3.fal.media/files/a.png',
		maskUrl: 'https://v3.fal.media/files/m.png',
		depthMapsUrl: 'https://v3.fal.media/files/d.zip',
		motion: 90,
		noise: 0.1,
		seed: 1234,
		steps: 30,
		fps: 8,
	});

	it('sends SVD everything it takes but fps', () => {
		expect(falInput(job, modelSpec('fal-ai/svd'))).toEqual({
			image_url: 'https://v3.fal.media/files/a.png',
			seed: 1234,
			motion_bucket_id: 90,
			cond_aug: 0.1,
			steps: 30,
			mask_image_url: 'https://v3.fal.media/files/m.png',
			control_maps_data_url: 'https://v3.fal.media/files/d.zip',
		});
	});

	it('sends Stable Video no steps, mask or depth maps', () => {
		expect(falInput(job, modelSpec('fal-ai/stable-video'))).toEqual({
			image_url: 'https://v3.fal.media/files/a.png',
			seed: 1234,
			motion_bucket_id: 90,
			cond_aug: 0.1,
			fps: 8,
		});
	});

	it('leaves out options the job has no value for', () => {
		const bare = jobRow({ imageUrl: 'https://v3.fal.media/files/a.png', fps: null, maskUrl: null, depthMapsUrl: null, seed: 0 });
		expect(falInput(bare, modelSpec('fal-ai/fast-svd-lcm'))).toEqual({
			image_url: 'https://v3.fal.media/files/a.png',
			seed: 0,
			motion_bucket_id: bare.motion,
			cond_aug: bare.noise,
			steps: bare.steps,
		});
	});

	it('only ever sends fields of options the model takes', () => {
		for (const model of MODELS.values()) {
			const allowed = new Set(['image_url', 'seed', ...[...model.options].map((option) => FAL_FIELD[option])]);
			for (const field of Object.keys(falInput(job, model))) expect(allowed).toContain(field);
		}
	});
});

describe('explainRejection', () => {
	it('names each refused fal field by the /animate option it came from', () => {
		const refusal = explainRejection(
			new FalRejected('Unprocessable Entity', [
				{ field: 'motion_bucket_id', message: 'Input should be less than or equal to 255' },
				{ field: 'cond_aug', message: 'Input should be a valid number' },
				{ field: 'mask_image_url', message: 'bad mask' },
				{ field: 'control_maps_data_url', message: 'bad zip' },
				{ field: 'image_url', message: 'image too small' },
				{ field: 'body', message: 'Field required' },
			]),
		);
		expect(refusal).toEqual({
			kind: 'fal-invalid',
			message: 'Unprocessable Entity',
			fields: [
				{ field: 'motion_bucket_id', option: 'motion', message: 'Input should be less than or equal to 255' },
				{ field: 'cond_aug', option: 'noise', message: 'Input should be a valid number' },
				{ field: 'mask_image_url', option: 'mask', message: 'bad mask' },
				{ field: 'control_maps_data_url', option: 'depth_maps', message: 'bad zip' },
				{ field: 'image_url', option: 'image', message: 'image too small' },
				{ field: 'body', message: 'Field required' },
			],
		});
	});

	it('keeps the message when fal named no field', () => {
		expect(explainRejection(new FalRejected('Invalid input', []))).toEqual({ kind: 'fal-invalid', message: 'Invalid input', fields: [] });
	});

	it('has one fal field per option, each mapping back to it', () => {
		const options = Object.keys(FAL_FIELD) as (AnimateOption | 'image')[];
		expect(new Set(Object.values(FAL_FIELD)).size).toBe(options.length);
		for (const option of options) expect(optionOfField(FAL_FIELD[option])).toBe(option);
		expect(optionOfField('prompt')).toBeUndefined();
	});
});
