/**
 * `npm run catalogue`: regenerates src/domain/catalogue/models.generated.ts and the README's model
 * table from fal-models/*.json. Run it after changing a schema file or a label; the agreement test
 * (test/domain/catalogue/generated.test.ts) fails until you do.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { GENERATED_PATH, README_PATH, generate } from './catalogue/generate.js';

function writeIfChanged(path: string, content: string): void {
	let before: string | undefined;
	try {
		before = readFileSync(path, 'utf8');
	} catch {
		before = undefined;
	}
	if (before === content) {
		console.log(`unchanged ${path}`);
		return;
	}
	writeFileSync(path, content);
	console.log(`wrote     ${path}`);
}

const { models, modelsModule, readme } = await generate();
writeIfChanged(GENERATED_PATH, modelsModule);
writeIfChanged(README_PATH, readme);
console.log(`${models.length} models: ${models.map((model) => model.label).join(', ')}`);
