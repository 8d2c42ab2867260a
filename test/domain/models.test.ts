import { describe, expect, it } from 'vitest';
import { FalRejected } from '../../src/domain/errors.js';
import type { AnimateRequest } from '../../src/domain/job.js';
import { CATALOGUE, catalogueModel } from '../../src/domain/catalogue/index.js';
import {
	explainRejection,
	FAL_FIELD,
	falInput,
	givenOptions,
	jobPriceUsd,
	modelSpec,
	optionOfField,
	optionsOf,
	type AnimateOption,
} from '../../src/domain/models.js';
import { jobRow } from '../store/sample-job.js';

const image = { url: 'https://cdn.example/a.png', name: 'a.png' };

describe('modelSpec', () => {
	it('answers the catalogue’s entry for a known model', () => {
		expect(modelSpec('fal-ai/stable-video')).toBe(catalogueModel('fal-ai/stable-video'));
		expect(optionsOf(modelSpec('fal-ai/stable-video')).sort()).toEqual(['fps', 'motion', 'noise', 'seed']);
		expect(optionsOf(modelSpec('fal-ai/kling-video/v2.5-turbo/standard/image-to-video')).sort()).toEqual(['duration', 'negative_prompt', 'prompt']);
	});

	it('assumes the SVD options for a model it does not know, labelled by its id, with no published price', () => {
		const svd = modelSpec('fal-ai/svd');
		const unknown = modelSpec('someone/new-model');
		expect(unknown).toMatchObject({ id: 'someone/new-model', label: 'someone/new-model', price: { kind: 'unknown' } });
		expect(optionsOf(unknown)).toEqual(optionsOf(svd));
		expect(jobPriceUsd(unknown)).toBe(jobPriceUsd(modelSpec('fal-ai/stable-video')));
	});

	it('takes prices from the overrides, for known and unknown models alike, over fal’s rule', () => {
		const prices = { 'fal-ai/svd': 0.11, 'someone/new-model': 0.5, 'fal-ai/kling-video/v2.5-turbo/standard/image-to-video': 0.3 };
		expect(jobPriceUsd(modelSpec('fal-ai/svd', prices))).toBe(0.11);
		expect(jobPriceUsd(modelSpec('someone/new-model', prices))).toBe(0.5);
		expect(jobPriceUsd(modelSpec('fal-ai/kling-video/v2.5-turbo/standard/image-to-video', prices), { duration: '10' })).toBe(0.3);
		expect(jobPriceUsd(modelSpec('fal-ai/stable-video', prices))).toBe(0.075);
		// A price of 0 is a price, not a missing one.
		expect(jobPriceUsd(modelSpec('fal-ai/svd', { 'fal-ai/svd': 0 }))).toBe(0);
		// The catalogue itself is not changed by an override.
		expect(catalogueModel('fal-ai/svd')).not.toHaveProperty('flatPriceUsd');
	});

	it('prices a job by its duration and resolution under fal’s rule', () => {
		expect(jobPriceUsd(modelSpec('fal-ai/kling-video/v2.5-turbo/standard/image-to-video'))).toBe(0.21);
		expect(jobPriceUsd(modelSpec('fal-ai/kling-video/v2.5-turbo/standard/image-to-video'), { duration: '10' })).toBe(0.42);
		expect(jobPriceUsd(modelSpec('fal-ai/minimax/hailuo-02/standard/image-to-video'), { resolution: '512P', duration: '10' })).toBe(0.17);
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

	it('lists the words and switches of newer models, loop: false included', () => {
		const request: AnimateRequest = {
			image,
			endImage: { url: 'https://cdn.example/e.png', name: 'e.png' },
			choices: { loop: false, duration: '5s', prompt: 'waves' },
		};
		expect(givenOptions(request)).toEqual(['prompt', 'duration', 'end_image', 'loop']);
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

	it('sends Kling its prompt and duration, and no seed or SVD fields', () => {
		const kling = jobRow({
			...job,
			model: 'fal-ai/kling-video/v2.5-turbo/standard/image-to-video',
			choices: { prompt: 'waves roll', duration: '10' },
		});
		expect(falInput(kling, modelSpec(kling.model))).toEqual({ image_url: 'https://v3.fal.media/files/a.png', prompt: 'waves roll', duration: '10' });
	});

	it('sends Luma its end frame, loop, resolution and aspect ratio', () => {
		const luma = jobRow({
			...job,
			model: 'fal-ai/luma-dream-machine/ray-2-flash/image-to-video',
			endImageUrl: 'https://v3.fal.media/files/e.png',
			choices: { prompt: 'a slow pan', loop: false, resolution: '720p', aspect_ratio: '9:16' },
		});
		expect(falInput(luma, modelSpec(luma.model))).toEqual({
			image_url: 'https://v3.fal.media/files/a.png',
			end_image_url: 'https://v3.fal.media/files/e.png',
			prompt: 'a slow pan',
			loop: false,
			resolution: '720p',
			aspect_ratio: '9:16',
		});
	});

	it('only ever sends fields of options the model takes', () => {
		const everything = jobRow({
			...job,
			endImageUrl: 'https://v3.fal.media/files/e.png',
			choices: { prompt: 'p', negative_prompt: 'n', duration: '5', resolution: '720p', aspect_ratio: '16:9', loop: true },
		});
		for (const model of CATALOGUE.values()) {
			const allowed = new Set(['image_url', ...optionsOf(model).map((option) => FAL_FIELD[option])]);
			const sent = Object.keys(falInput(everything, model));
			for (const field of sent) expect(allowed).toContain(field);
			expect(sent).toContain('image_url');
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
		expect(optionOfField('cfg_scale')).toBeUndefined();
	});
});
