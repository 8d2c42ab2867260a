/**
 * The raw fal-models/*.json files, read here without the generator's code, so the catalogue tests
 * check the generated catalogue against fal's schemas rather than against the generator itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FAL_MODELS_DIR = fileURLToPath(new URL('../../../fal-models', import.meta.url));

export interface RawProperty {
	type?: string;
	enum?: unknown[];
	minimum?: number;
	maximum?: number;
	minLength?: number;
	maxLength?: number;
	default?: unknown;
}

export interface RawSchemaFile {
	endpoint_id: string;
	input: { properties: Record<string, RawProperty>; required?: string[] };
	output: { properties: Record<string, unknown>; required?: string[] };
	output_video_key: string;
	price: Record<string, unknown> | null;
	openapi_schema_names?: { input: string; output: string };
}

export const rawFileName = (id: string): string => `${id.replaceAll('/', '__')}.json`;

export function readRawSchemas(): Map<string, RawSchemaFile> {
	const files = readdirSync(FAL_MODELS_DIR).filter((name) => name.endsWith('.json'));
	return new Map(
		files.map((name) => {
			const file = JSON.parse(readFileSync(`${FAL_MODELS_DIR}/${name}`, 'utf8')) as RawSchemaFile;
			return [file.endpoint_id, file];
		}),
	);
}
