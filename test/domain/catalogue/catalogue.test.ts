import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, catalogueModel, SVD_FAMILY, type CatalogueModel, type FieldSpec, type OptionName } from '../../../src/domain/catalogue/index.js';
import { FAL_MODELS_DIR, rawFileName, readRawSchemas, type RawProperty } from './schema-files.js';

const RAW = readRawSchemas();

// Written out again here rather than imported from the generator: the spot checks must not share its mistakes.
const FIELD: Record<OptionName, string> = {
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

const SVD = 'fal-ai/svd';
const STABLE_VIDEO = 'fal-ai/stable-video';
const LCM = 'fal-ai/fast-svd-lcm';
const WAN = 'fal-ai/wan/v2.2-a14b/image-to-video/turbo';
const KLING = 'fal-ai/kling-video/v2.5-turbo/standard/image-to-video';
const KLING21 = 'fal-ai/kling-video/v2.1/standard/image-to-video';
const HAILUO = 'fal-ai/minimax/hailuo-02/standard/image-to-video';
const LUMA = 'fal-ai/luma-dream-machine/ray-2-flash/image-to-video';

const model = (id: string): CatalogueModel => {
	const found = catalogueModel(id);
	if (found === undefined) throw new Error(`${id} is not catalogued`);
	return found;
};

/** What the spec must say, read straight off the schema property. */
function expectSpecMatches(spec: FieldSpec, field: string, prop: RawProperty): void {
	expect(spec.field).toBe(field);
	if (prop.type === 'integer' || prop.type === 'number') {
		expect(spec).toEqual({ kind: prop.type, field, min: prop.minimum, max: prop.maximum, default: prop.default });
	} else if (prop.type === 'string' && prop.enum !== undefined) {
		expect(spec).toEqual({ kind: 'choice', field, values: prop.enum, default: prop.default });
	} else if (prop.type === 'string' && field.endsWith('_url')) {
		expect(spec).toEqual({ kind: 'file', field });
	} else if (prop.type === 'string') {
		expect(spec).toEqual({ kind: 'text', field, minLength: prop.minLength, maxLength: prop.maxLength, default: prop.default });
	} else {
		expect(prop.type).toBe('boolean');
		expect(spec).toEqual({ kind: 'boolean', field, default: prop.default });
	}
}

describe('CATALOGUE against the raw fal-models/*.json', () => {
	it('holds exactly the endpoints of fal-models/, SVD family first, then Wan, Kling, Hailuo, Luma', () => {
		expect(new Set(CATALOGUE.keys())).toEqual(new Set(RAW.keys()));
		expect([...CATALOGUE.keys()]).toEqual([SVD, STABLE_VIDEO, LCM, WAN, KLING, KLING21, HAILUO, LUMA]);
		const families = [...CATALOGUE.values()].map((m) => m.family);
		expect([...new Set(families)]).toEqual(['svd', 'wan', 'kling', 'hailuo', 'luma']);
	});

	it('labels each model with our short name', () => {
		expect(Object.fromEntries([...CATALOGUE.values()].map((m) => [m.id, m.label]))).toEqual({
			[SVD]: 'Stable Video Diffusion',
			[STABLE_VIDEO]: 'Stable Video',
			[LCM]: 'Fast SVD (LCM)',
			[WAN]: 'Wan 2.2 Turbo',
			[KLING]: 'Kling 2.5 Turbo',
			[KLING21]: 'Kling 2.1',
			[HAILUO]: 'Hailuo 02',
			[LUMA]: 'Luma Ray 2 Flash',
		});
	});

	describe.each([...RAW.values()].map((raw) => [raw.endpoint_id, raw] as const))('%s', (id, raw) => {
		const m = model(id);
		const properties = raw.input.properties;

		it('offers an option exactly where the schema has its field, with the field’s type, range, enum and default', () => {
			for (const [option, field] of Object.entries(FIELD) as Array<[OptionName, string]>) {
				const prop = properties[field];
				const spec = m.options[option];
				if (prop === undefined) {
					expect(spec, `${option} (${field} is not in the schema)`).toBeUndefined();
				} else {
					expect(spec, `${option} (${field} is in the schema)`).toBeDefined();
					expectSpecMatches(spec!, field, prop);
				}
			}
			expect(m.imageField).toBe('image_url');
			expect(properties['image_url']?.type).toBe('string');
		});

		it('requires what the schema requires besides the image', () => {
			const required = (raw.input.required ?? []).filter((field) => field !== 'image_url');
			expect(m.required.map((option) => FIELD[option]).sort()).toEqual([...required].sort());
		});

		it('quotes fal’s price words verbatim', () => {
			expect(m.priceText).toBe(typeof raw.price?.text === 'string' ? raw.price.text : '');
			expect(m.price.kind === 'unknown').toBe(raw.price === null);
		});
	});

	// The facts the issue names, spelled out: a catalogue that drifted from them is wrong whatever the generator says.
	it('has the facts the issue calls out', () => {
		expect(model(STABLE_VIDEO).options.fps).toEqual({ kind: 'integer', field: 'fps', min: 10, max: 100, default: 25 });
		expect(model(STABLE_VIDEO).options.noise).toEqual({ kind: 'number', field: 'cond_aug', min: 0, max: 10, default: 0.02 });
		expect(model(LCM).options.fps).toEqual({ kind: 'integer', field: 'fps', min: 1, max: 25, default: 10 });
		expect(model(LCM).options.steps).toEqual({ kind: 'integer', field: 'steps', min: 1, max: 20, default: 4 });
		for (const id of [STABLE_VIDEO, LCM]) expect(Object.keys(model(id).options)).not.toContain('mask');
		expect(Object.keys(model(SVD).options)).toEqual(['motion', 'noise', 'seed', 'steps', 'mask', 'depth_maps']);
		expect(model(KLING).options.duration).toEqual({ kind: 'choice', field: 'duration', values: ['5', '10'], default: '5' });
		expect(model(HAILUO).options.resolution).toEqual({ kind: 'choice', field: 'resolution', values: ['512P', '768P'], default: '768P' });
		expect(model(LUMA).options.loop).toEqual({ kind: 'boolean', field: 'loop', default: false });
		expect(model(LUMA).options.end_image).toEqual({ kind: 'file', field: 'end_image_url' });
		expect(model(LUMA).required).toEqual(['prompt']);
		for (const id of [WAN, KLING, KLING21, HAILUO]) expect(model(id).required).toEqual(['prompt']);
		for (const id of [SVD, STABLE_VIDEO, LCM]) expect(model(id).required).toEqual([]);
	});

	it('SVD_FAMILY is the three SVD endpoints, the default set a server allows', () => {
		expect(SVD_FAMILY).toEqual([SVD, STABLE_VIDEO, LCM]);
	});

	it('catalogueModel answers undefined for an endpoint it does not know', () => {
		expect(catalogueModel('someone/new-model')).toBeUndefined();
		expect(catalogueModel(KLING)?.id).toBe(KLING);
	});
});

describe('fal-models/*.json against fal’s untouched OpenAPI documents in fal-models/openapi', () => {
	it.each([...RAW.values()].filter((raw) => raw.openapi_schema_names !== undefined))(
		'$endpoint_id: same input properties and required fields',
		(raw) => {
			const original = JSON.parse(
				readFileSync(`${FAL_MODELS_DIR}/openapi/${rawFileName(raw.endpoint_id).replace(/\.json$/, '.openapi.json')}`, 'utf8'),
			) as {
				openapi: { components: { schemas: Record<string, { properties: unknown; required?: unknown }> } };
			};
			const input = original.openapi.components.schemas[raw.openapi_schema_names!.input]!;
			expect(isDeepStrictEqual(input.properties, raw.input.properties)).toBe(true);
			expect(input.required).toEqual(raw.input.required);
			const output = original.openapi.components.schemas[raw.openapi_schema_names!.output]!;
			expect(Object.keys(output.properties as object).sort()).toEqual(Object.keys(raw.output.properties).sort());
		},
	);

	it('every endpoint but the private fal-ai/svd has its original', () => {
		expect([...RAW.values()].filter((raw) => raw.openapi_schema_names === undefined).map((raw) => raw.endpoint_id)).toEqual([SVD]);
	});
});
