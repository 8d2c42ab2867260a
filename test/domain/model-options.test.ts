import { describe, expect, it } from 'vitest';
import type { AnimateRequest } from '../../src/domain/job.js';
import { checkRequest, effectiveParam, matchChoice, motionRange } from '../../src/domain/model-options.js';
import { modelSpec } from '../../src/domain/models.js';
import { Refused, type Refusal } from '../../src/domain/refusal.js';

const image = { url: 'https://cdn.example/a.png', name: 'a.png' };
const KLING = modelSpec('fal-ai/kling-video/v2.5-turbo/standard/image-to-video');
const LUMA = modelSpec('fal-ai/luma-dream-machine/ray-2-flash/image-to-video');
const HAILUO = modelSpec('fal-ai/minimax/hailuo-02/standard/image-to-video');
const STABLE = modelSpec('fal-ai/stable-video');
const FAST = modelSpec('fal-ai/fast-svd-lcm');
const SVD = modelSpec('fal-ai/svd');

function refusalOf(run: () => unknown): Refusal {
	try {
		run();
	} catch (error) {
		if (error instanceof Refused) return error.refusal;
		throw error;
	}
	throw new Error('expected a refusal');
}

describe('checkRequest', () => {
	it('refuses options the model does not take, by name', () => {
		expect(refusalOf(() => checkRequest(KLING, { image, motion: 10, choices: { prompt: 'go' } }))).toEqual({
			kind: 'options-not-taken',
			model: 'Kling 2.5 Turbo',
			options: ['motion'],
		});
		expect(refusalOf(() => checkRequest(STABLE, { image, choices: { prompt: 'go' }, mask: image }))).toMatchObject({ options: ['prompt', 'mask'] });
	});

	it('asks for a required option that is missing or blank', () => {
		expect(refusalOf(() => checkRequest(KLING, { image }))).toEqual({ kind: 'option-required', model: 'Kling 2.5 Turbo', option: 'prompt' });
		expect(refusalOf(() => checkRequest(KLING, { image, choices: { prompt: '   ' } }))).toMatchObject({ kind: 'option-required', option: 'prompt' });
	});

	it('checks numbers against the model’s own range', () => {
		// Discord lets fps through from 1 to 100: Stable Video takes 10–100, Fast SVD 1–25.
		expect(refusalOf(() => checkRequest(STABLE, { image, fps: 8 }))).toEqual({
			kind: 'option-out-of-range',
			model: 'Stable Video',
			option: 'fps',
			min: 10,
			max: 100,
		});
		expect(checkRequest(STABLE, { image, fps: 10 })).toEqual({ image, fps: 10 });
		expect(refusalOf(() => checkRequest(FAST, { image, fps: 30 }))).toMatchObject({ option: 'fps', max: 25 });
		expect(refusalOf(() => checkRequest(FAST, { image, steps: 21 }))).toMatchObject({ option: 'steps', max: 20 });
		// fal publishes no range for SVD's steps: nothing to refuse.
		expect(checkRequest(SVD, { image, steps: 100 })).toEqual({ image, steps: 100 });
	});

	it('checks text length in characters, as fal counts them', () => {
		expect(refusalOf(() => checkRequest(LUMA, { image, choices: { prompt: 'hi' } }))).toEqual({
			kind: 'option-length',
			model: 'Luma Ray 2 Flash',
			option: 'prompt',
			length: 2,
			min: 3,
			max: 5000,
		});
		const emoji = '🌊'.repeat(2000);
		// 2,000 waves are 4,000 UTF-16 units but 2,000 characters: within Hailuo's 2,000.
		expect(checkRequest(HAILUO, { image, choices: { prompt: emoji } }).choices?.prompt).toBe(emoji);
		expect(refusalOf(() => checkRequest(HAILUO, { image, choices: { prompt: `${emoji}!` } }))).toMatchObject({ option: 'prompt', max: 2000 });
	});

	it('takes a choice in the member’s spelling and stores the model’s', () => {
		const request: AnimateRequest = { image, choices: { prompt: 'waves', duration: '9', resolution: '720P', aspect_ratio: '9:16' } };
		expect(checkRequest(LUMA, request).choices).toEqual({ prompt: 'waves', duration: '9s', resolution: '720p', aspect_ratio: '9:16' });
		expect(checkRequest(HAILUO, { image, choices: { prompt: 'w', resolution: '768p', duration: '10 s' } }).choices).toEqual({
			prompt: 'w',
			resolution: '768P',
			duration: '10',
		});
		expect(refusalOf(() => checkRequest(KLING, { image, choices: { prompt: 'w', duration: '7' } }))).toEqual({
			kind: 'option-not-a-choice',
			model: 'Kling 2.5 Turbo',
			option: 'duration',
			values: ['5', '10'],
		});
	});
});

describe('matchChoice', () => {
	it('matches exactly, then ignoring case, spaces and a unit, and only when one value fits', () => {
		expect(matchChoice(['5s', '9s'], '5s')).toBe('5s');
		expect(matchChoice(['5s', '9s'], '9 S')).toBe('9s');
		expect(matchChoice(['540p', '720p'], '720')).toBe('720p');
		expect(matchChoice(['16:9', '9:16'], '9:16')).toBe('9:16');
		expect(matchChoice(['5', '10'], '15')).toBeUndefined();
		expect(matchChoice(['5', '5s'], '5 sec')).toBeUndefined();
	});
});

describe('effectiveParam', () => {
	it('prefers the member’s value, then the server’s within the model’s range, then the model’s default', () => {
		expect(effectiveParam(FAST, 'steps', 8, 30)).toBe(8);
		// A server default of 30 steps does not fit Fast SVD (1–20): its own default (4) is used.
		expect(effectiveParam(FAST, 'steps', undefined, 30)).toBe(4);
		expect(effectiveParam(FAST, 'steps', undefined, 12)).toBe(12);
		expect(effectiveParam(SVD, 'steps', undefined, undefined)).toBe(20);
		expect(effectiveParam(STABLE, 'motion', undefined, 200)).toBe(200);
	});

	it('stores a placeholder for a model without the option', () => {
		expect(effectiveParam(KLING, 'motion', undefined, 200)).toBe(127);
	});
});

describe('motionRange', () => {
	it('is the model’s motion range, or SVD’s where fal publishes none', () => {
		expect(motionRange(STABLE)).toEqual({ min: 1, max: 255 });
		expect(motionRange(SVD)).toEqual({ min: 1, max: 255 });
		// A range of its own is read from the model, not assumed.
		const narrow = { ...STABLE, options: { ...STABLE.options, motion: { kind: 'integer', field: 'motion_bucket_id', min: 2, max: 200 } } } as const;
		expect(motionRange(narrow)).toEqual({ min: 2, max: 200 });
		expect(motionRange(KLING)).toEqual({ min: 1, max: 255 });
	});
});
