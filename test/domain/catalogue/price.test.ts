import { describe, expect, it } from 'vitest';
import { CATALOGUE, durationSeconds, estimateUsd, priceBasis, type CatalogueModel } from '../../../src/domain/catalogue/index.js';
import { pricedSibling as pricedSiblingAmong } from '../../../src/domain/catalogue/price.js';

const pricedSibling = (model: CatalogueModel) => pricedSiblingAmong(model, CATALOGUE.values());
import { estimateUsdAmong, parseSeconds } from '../../../src/domain/catalogue/price.js';

const model = (id: string): CatalogueModel => {
	const found = CATALOGUE.get(id);
	if (found === undefined) throw new Error(`${id} is not catalogued`);
	return found;
};

const SVD = model('fal-ai/svd');
const STABLE_VIDEO = model('fal-ai/stable-video');
const LCM = model('fal-ai/fast-svd-lcm');
const WAN = model('fal-ai/wan/v2.2-a14b/image-to-video/turbo');
const KLING = model('fal-ai/kling-video/v2.5-turbo/standard/image-to-video');
const KLING21 = model('fal-ai/kling-video/v2.1/standard/image-to-video');
const HAILUO = model('fal-ai/minimax/hailuo-02/standard/image-to-video');
const LUMA = model('fal-ai/luma-dream-machine/ray-2-flash/image-to-video');

/** A small made-up model for the cases the real catalogue does not reach. */
const fake = (overrides: Partial<CatalogueModel>): CatalogueModel => ({
	id: 'test/model',
	label: 'Test',
	family: 'wan',
	imageField: 'image_url',
	options: {},
	required: [],
	price: { kind: 'unknown' },
	priceText: '',
	...overrides,
});

describe('durationSeconds', () => {
	it('reads the model’s string durations as seconds', () => {
		expect(durationSeconds(KLING, '5')).toBe(5);
		expect(durationSeconds(KLING, '10')).toBe(10);
		expect(durationSeconds(LUMA, '5s')).toBe(5);
		expect(durationSeconds(LUMA, '9s')).toBe(9);
		expect(durationSeconds(HAILUO, '10')).toBe(10);
	});

	it('uses the schema default when no duration was chosen', () => {
		expect(durationSeconds(KLING)).toBe(5);
		expect(durationSeconds(HAILUO)).toBe(6);
		expect(durationSeconds(LUMA)).toBe(5);
	});

	it('is undefined for a model without a duration option, or a value that is no duration', () => {
		for (const m of [SVD, STABLE_VIDEO, LCM, WAN]) expect(durationSeconds(m, '5')).toBeUndefined();
		expect(durationSeconds(KLING, 'long')).toBeUndefined();
		expect(parseSeconds('')).toBeUndefined();
		expect(parseSeconds(' 6 ')).toBe(6);
	});
});

describe('estimateUsd', () => {
	it('Kling: the 5 s base, plus each second after', () => {
		expect(estimateUsd(KLING, { duration: '5' })).toBe(0.21);
		expect(estimateUsd(KLING, { duration: '10' })).toBe(0.42);
		expect(estimateUsd(KLING)).toBe(0.21);
		expect(estimateUsd(KLING21, { duration: '10' })).toBe(0.56);
		expect(estimateUsd(KLING21, { duration: '5' })).toBe(0.28);
	});

	it('Hailuo: per second at the resolution', () => {
		expect(estimateUsd(HAILUO, { duration: '6', resolution: '768P' })).toBe(0.27);
		expect(estimateUsd(HAILUO, { duration: '10', resolution: '512P' })).toBe(0.17);
		expect(estimateUsd(HAILUO)).toBe(0.27);
	});

	it('Luma: per 5 s block, proportional to the duration, times the resolution multiplier', () => {
		expect(estimateUsd(LUMA, { duration: '5s', resolution: '540p' })).toBe(0.2);
		expect(estimateUsd(LUMA, { duration: '9s', resolution: '720p' })).toBe(0.72);
		expect(estimateUsd(LUMA, { duration: '5s', resolution: '1080p' })).toBe(0.8);
		expect(estimateUsd(LUMA)).toBe(0.2);
	});

	it('Wan: per video by resolution, 720p by default', () => {
		expect(estimateUsd(WAN, { resolution: '480p' })).toBe(0.05);
		expect(estimateUsd(WAN, { resolution: '580p' })).toBe(0.075);
		expect(estimateUsd(WAN)).toBe(0.1);
	});

	it('stable-video per video; svd and fast-svd-lcm, which fal publishes no price for, at stable-video’s', () => {
		expect(estimateUsd(STABLE_VIDEO)).toBe(0.075);
		expect(estimateUsd(SVD)).toBe(0.075);
		expect(estimateUsd(LCM)).toBe(0.075);
		expect(pricedSibling(SVD)).toBe(STABLE_VIDEO);
		expect(pricedSibling(LCM)).toBe(STABLE_VIDEO);
		expect(pricedSibling(STABLE_VIDEO)).toBeUndefined();
	});

	it('takes the fallback from the catalogue it is given, not from a fixed number', () => {
		const sibling = fake({ id: 'test/priced', price: { kind: 'per-video', usd: 0.5 } });
		expect(estimateUsdAmong(fake({}), {}, [sibling])).toBe(0.5);
		expect(estimateUsdAmong(SVD, {}, [fake({ family: 'svd', price: { kind: 'per-video', usd: 0.33 } })])).toBe(0.33);
		expect(estimateUsdAmong(fake({}), {}, [])).toBe(0);
		expect(estimateUsdAmong(fake({}), {}, [fake({ id: 'test/other-family', family: 'kling', price: { kind: 'per-video', usd: 1 } })])).toBe(0);
	});

	it('rounds to 1e-6, so sums of fal’s prices read as cents', () => {
		const tenCents = fake({
			options: { duration: { kind: 'choice', field: 'duration', values: ['3'], default: '3' } },
			price: { kind: 'base-plus-per-second', baseUsd: 0.1, baseSeconds: 1, perSecondUsd: 0.1 },
		});
		expect(0.1 + 2 * 0.1).not.toBe(0.3);
		expect(estimateUsdAmong(tenCents, {}, [])).toBe(0.3);
	});

	it('charges an unknown resolution at the dearest and an unreadable duration at the longest, so a spend cap never undercounts', () => {
		expect(estimateUsd(WAN, { resolution: '4k' })).toBe(0.1);
		expect(estimateUsd(HAILUO, { duration: 'x', resolution: '512P' })).toBe(0.17);
		expect(estimateUsd(LUMA, { resolution: '8k' })).toBe(0.8);
	});
});

describe('priceBasis', () => {
	it('is fal’s published unit at the default resolution', () => {
		expect(priceBasis(KLING)).toEqual({ usd: 0.21, per: { seconds: 5 } });
		expect(priceBasis(KLING21)).toEqual({ usd: 0.28, per: { seconds: 5 } });
		expect(priceBasis(STABLE_VIDEO)).toEqual({ usd: 0.075, per: 'video' });
		expect(priceBasis(HAILUO)).toEqual({ usd: 0.045, per: 'second', resolution: '768P' });
		expect(priceBasis(WAN)).toEqual({ usd: 0.1, per: 'video', resolution: '720p' });
		expect(priceBasis(LUMA)).toEqual({ usd: 0.2, per: { seconds: 5 }, resolution: '540p' });
	});

	it('is null where fal publishes no price', () => {
		expect(priceBasis(SVD)).toBeNull();
		expect(priceBasis(LCM)).toBeNull();
	});

	it('a block price without resolutions is the block price itself', () => {
		const blocks = fake({
			options: { duration: { kind: 'choice', field: 'duration', values: ['5', '10'], default: '5' } },
			price: { kind: 'per-block-of-seconds', usd: 0.3, seconds: 5, resolutionMultiplier: {} },
		});
		expect(priceBasis(blocks)).toEqual({ usd: 0.3, per: { seconds: 5 } });
		expect(estimateUsdAmong(blocks, { duration: '10' }, [])).toBe(0.6);
	});
});
