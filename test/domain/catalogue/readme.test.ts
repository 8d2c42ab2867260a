import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README_PATH } from '../../../scripts/catalogue/generate.js';
import { describeOption, describePrice, readmeSection, renderModelTable, withReadmeSection } from '../../../scripts/catalogue/readme-table.js';
import { CATALOGUE, type CatalogueModel } from '../../../src/domain/catalogue/index.js';

const MODELS = [...CATALOGUE.values()];
const model = (id: string): CatalogueModel => MODELS.find((m) => m.id === id)!;
const table = renderModelTable(MODELS);
const rows = table.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| model') && !line.startsWith('| ---'));
const cells = (row: string): string[] =>
	row
		.slice(2, -2)
		.split(/(?<!\\) \| /)
		.map((c) => c.trim());

describe('the README model table', () => {
	it('has one row per model, in catalogue order: label, endpoint, options, what it requires, price', () => {
		expect(rows.map((row) => cells(row)[0])).toEqual(MODELS.map((m) => m.label));
		for (const [i, m] of MODELS.entries()) {
			const [label, endpoint, options, requires, price] = cells(rows[i]!);
			expect(label).toBe(m.label);
			expect(endpoint).toBe(`\`${m.id}\``);
			for (const option of Object.keys(m.options)) expect(options).toContain(`\`${option}\``);
			// Which models require what is spelled out in the next test, not recomputed here.
			expect(requires === '—').toBe(m.required.length === 0);
			expect(price).toBe(m.priceText === '' ? "not published (estimated as Stable Video's $0.075)" : m.priceText);
		}
	});

	it('says which models need a prompt', () => {
		const needPrompt = rows.filter((row) => cells(row)[3] === '`prompt`').map((row) => cells(row)[0]);
		expect(needPrompt).toEqual(['Wan 2.2 Turbo', 'Kling 2.5 Turbo', 'Kling 2.1', 'Hailuo 02', 'Luma Ray 2 Flash']);
	});

	it('describes each kind of option compactly, with fal’s ranges, values and defaults', () => {
		expect(describeOption('fps', model('fal-ai/stable-video').options.fps!)).toBe('`fps` 10–100, default 25');
		expect(describeOption('motion', model('fal-ai/svd').options.motion!)).toBe('`motion` default 127');
		expect(describeOption('seed', model('fal-ai/svd').options.seed!)).toBe('`seed`');
		expect(describeOption('duration', model('fal-ai/luma-dream-machine/ray-2-flash/image-to-video').options.duration!)).toBe(
			'`duration` 5s / 9s, default 5s',
		);
		expect(describeOption('prompt', model('fal-ai/luma-dream-machine/ray-2-flash/image-to-video').options.prompt!)).toBe('`prompt` 3–5000 chars');
		expect(describeOption('negative_prompt', model('fal-ai/kling-video/v2.1/standard/image-to-video').options.negative_prompt!)).toBe(
			'`negative_prompt` ≤ 2500 chars, default "blur, distort, and low quality"',
		);
		expect(describeOption('loop', { kind: 'boolean', field: 'loop', default: false })).toBe('`loop` true / false, default false');
		expect(describeOption('end_image', { kind: 'file', field: 'end_image_url' })).toBe('`end_image` attachment');
		expect(describeOption('steps', { kind: 'integer', field: 'steps', min: 1 })).toBe('`steps` ≥ 1');
	});

	it('names the stand-in price of an unpriced model, or says there is none', () => {
		expect(describePrice(model('fal-ai/fast-svd-lcm'), MODELS)).toBe("not published (estimated as Stable Video's $0.075)");
		expect(describePrice(model('fal-ai/fast-svd-lcm'), [model('fal-ai/fast-svd-lcm')])).toBe('not published (estimated as $0)');
		expect(describePrice(model('fal-ai/stable-video'), MODELS)).toBe('$0.075 per videos');
	});

	it('keeps a pipe inside a cell from splitting the row', () => {
		const piped = { ...model('fal-ai/stable-video'), priceText: '$1 | $2' };
		expect(renderModelTable([piped])).toContain('| $1 \\| $2 |');
	});

	it('is what the README holds between its markers, and replacing it leaves the rest alone', () => {
		const readme = readFileSync(README_PATH, 'utf8');
		expect(readmeSection(readme)).toBe(table);
		const replaced = withReadmeSection(readme, 'new table\n');
		expect(readmeSection(replaced)).toBe('new table\n');
		expect(withReadmeSection(replaced, table)).toBe(readme);
		expect(replaced.split('<!-- models:start -->')[0]).toBe(readme.split('<!-- models:start -->')[0]);
		expect(replaced.split('<!-- models:end -->')[1]).toBe(readme.split('<!-- models:end -->')[1]);
	});

	it('refuses a README without the markers, or with them twice', () => {
		expect(() => withReadmeSection('# no markers\n', table)).toThrow(/models:start/);
		expect(() => readmeSection('<!-- models:end -->\n<!-- models:start -->\n')).toThrow(/models:start/);
		expect(() => readmeSection('<!-- models:start -->\n<!-- models:end -->\n<!-- models:start -->\n<!-- models:end -->')).toThrow(/once/);
	});
});
