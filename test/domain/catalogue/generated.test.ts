import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CatalogueError, catalogueFromSchemas, LABELS, modelFromSchema, type SchemaFile } from '../../../scripts/catalogue/convert.js';
import { GENERATED_HEADER, GENERATED_PATH, generate, README_PATH, readSchemaFiles } from '../../../scripts/catalogue/generate.js';
import { readmeSection } from '../../../scripts/catalogue/readme-table.js';
import { GENERATED_MODELS } from '../../../src/domain/catalogue/models.generated.js';

const FILES = readSchemaFiles();
const KLING = 'fal-ai/kling-video/v2.5-turbo/standard/image-to-video';
const LUMA = 'fal-ai/luma-dream-machine/ray-2-flash/image-to-video';
const WAN = 'fal-ai/wan/v2.2-a14b/image-to-video/turbo';

/** A deep copy of one real schema file, to break in memory. */
function schema(
	id: string,
): SchemaFile & { input: { properties: Record<string, Record<string, unknown>>; required: string[] }; price: Record<string, unknown> } {
	const file = FILES.find((f) => f.endpoint_id === id);
	if (file === undefined) throw new Error(`no fal-models file for ${id}`);
	return structuredClone(file) as ReturnType<typeof schema>;
}

describe('the committed catalogue agrees with fal-models/*.json (run `npm run catalogue` when this fails)', () => {
	it('regenerating gives exactly src/domain/catalogue/models.generated.ts', async () => {
		const { modelsModule, models } = await generate(FILES);
		expect(modelsModule.startsWith(`${GENERATED_HEADER}\n`)).toBe(true);
		expect(GENERATED_MODELS).toEqual(models);
		expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(modelsModule);
	});

	it('regenerating gives exactly the README’s model table, and changes nothing else in the README', async () => {
		const committed = readFileSync(README_PATH, 'utf8');
		const { readme } = await generate(FILES, committed);
		expect(readmeSection(committed)).toBe(readmeSection(readme));
		expect(readme).toBe(committed);
	});

	it('notices a schema change: a new fps maximum shows up in the regenerated module', async () => {
		const changed = FILES.map((f) => (f.endpoint_id === 'fal-ai/stable-video' ? schema(f.endpoint_id) : f));
		const stable = changed.find((f) => f.endpoint_id === 'fal-ai/stable-video') as ReturnType<typeof schema>;
		stable.input.properties['fps']!['maximum'] = 60;
		const { modelsModule } = await generate(changed, readFileSync(README_PATH, 'utf8'));
		expect(modelsModule).not.toBe(readFileSync(GENERATED_PATH, 'utf8'));
		expect(modelsModule).toContain("fps: { kind: 'integer', field: 'fps', min: 10, max: 60, default: 25 }");
	});
});

describe('the generator fails loudly rather than guess', () => {
	it('on a price shape it does not know', () => {
		const file = schema(KLING);
		file.price = { text: '$1 per frame', unit: 'frame', per_frame_usd: 0.01 };
		expect(() => modelFromSchema(file)).toThrow(/unrecognised price shape \(unit "frame", figures per_frame_usd\)/);
		const both = schema('fal-ai/stable-video');
		both.price['by_resolution_usd'] = { '720p': 1 };
		expect(() => modelFromSchema(both)).toThrow(CatalogueError);
		const notObject = schema(KLING);
		(notObject as { price: unknown }).price = '$0.21';
		expect(() => modelFromSchema(notObject)).toThrow(/neither null nor an object/);
	});

	it('on an output whose video is not where the bot reads it (image or video)', () => {
		const missing = schema(KLING) as { output_video_key: string };
		missing.output_video_key = 'clip';
		expect(() => modelFromSchema(missing as SchemaFile)).toThrow(/the output has no clip/);
		const elsewhere = schema(KLING) as { output_video_key: string; output: { properties: Record<string, unknown> } };
		elsewhere.output_video_key = 'clip';
		elsewhere.output.properties['clip'] = elsewhere.output.properties['video'];
		expect(() => modelFromSchema(elsewhere as SchemaFile)).toThrow(/image or video, not clip/);
	});

	it('on a price modifier it cannot read, or one on a price shape that has none', () => {
		const luma = schema(LUMA);
		luma.price['modifiers'] = 'Longer videos cost more.';
		expect(() => modelFromSchema(luma)).toThrow(/names no "<resolution> costs Nx more"/);
		const kling = schema(KLING);
		kling.price['modifiers'] = 'Pro costs 2x more';
		expect(() => modelFromSchema(kling)).toThrow(/modifiers is not understood/);
	});

	it('on a price by resolution that does not match the schema’s resolutions', () => {
		const wan = schema(WAN);
		wan.price['by_resolution_usd'] = { '720p': 0.1, '1080p': 0.2 };
		expect(() => modelFromSchema(wan)).toThrow(/resolutions the schema lacks: 1080p/);
		const missing = schema(WAN);
		missing.price['by_resolution_usd'] = { '720p': 0.1 };
		expect(() => modelFromSchema(missing)).toThrow(/does not say what 480p costs/);
	});

	it('on a per-second price for a model without a duration', () => {
		const kling = schema(KLING);
		delete kling.input.properties['duration'];
		expect(() => modelFromSchema(kling)).toThrow(/no duration choice/);
	});

	it('on a required field that no /animate option fills', () => {
		const kling = schema(KLING);
		kling.input.required.push('cfg_scale');
		expect(() => modelFromSchema(kling)).toThrow(/requires cfg_scale, which no \/animate option fills/);
	});

	it('on a schema keyword or type the catalogue cannot express', () => {
		const exclusive = schema('fal-ai/stable-video');
		exclusive.input.properties['fps']!['exclusiveMaximum'] = 100;
		expect(() => modelFromSchema(exclusive)).toThrow(/fps uses exclusiveMaximum/);
		const list = schema(LUMA);
		list.input.properties['aspect_ratio'] = { type: 'array', items: { type: 'string' } };
		expect(() => modelFromSchema(list)).toThrow(/aspect_ratio uses items/);
		const arrayType = schema(LUMA);
		arrayType.input.properties['aspect_ratio'] = { type: 'array' };
		expect(() => modelFromSchema(arrayType)).toThrow(/aspect_ratio has type "array"/);
		const badDefault = schema(KLING);
		badDefault.input.properties['duration']!['default'] = '7';
		expect(() => modelFromSchema(badDefault)).toThrow(/default "7" is not one of its values/);
	});

	it('on an endpoint without a label or family, a label without a file, or an output without its video key', () => {
		const stranger = { ...schema(KLING), endpoint_id: 'fal-ai/kling-video/v9/pro/image-to-video' };
		expect(() => modelFromSchema(stranger)).toThrow(/no label/);
		expect(() => catalogueFromSchemas([...FILES, stranger])).toThrow(/no label/);
		expect(() => catalogueFromSchemas(FILES.filter((f) => f.endpoint_id !== LUMA))).toThrow(/has no fal-models\/ file/);
		const noVideo = schema(KLING);
		(noVideo as { output_video_key: string }).output_video_key = 'clip';
		expect(() => modelFromSchema(noVideo)).toThrow(/output has no clip/);
		expect(LABELS.length).toBe(FILES.length);
	});
});

describe('the price rules are read from fal’s figures and words, not fixed in the generator', () => {
	it('Luma’s resolution multipliers come from the modifiers text', () => {
		const luma = schema(LUMA);
		luma.price['modifiers'] = 'The resolution description says "720p costs 3x more". (9s costs 2x more) is about another endpoint.';
		expect(modelFromSchema(luma).price).toEqual({
			kind: 'per-block-of-seconds',
			usd: 0.2,
			seconds: 5,
			resolutionMultiplier: { '540p': 1, '720p': 3, '1080p': 1 },
		});
	});

	it('Kling’s base seconds come from the figure’s name, the block from the unit', () => {
		const kling = schema(KLING);
		delete kling.price['base_5s_usd'];
		kling.price['base_6s_usd'] = 0.3;
		expect(modelFromSchema(kling).price).toEqual({ kind: 'base-plus-per-second', baseUsd: 0.3, baseSeconds: 6, perSecondUsd: 0.042 });
		const luma = schema(LUMA);
		luma.price['unit'] = '10 seconds of video';
		expect(modelFromSchema(luma).price).toMatchObject({ kind: 'per-block-of-seconds', seconds: 10 });
	});
});
