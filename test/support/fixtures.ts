import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where fixtures are looked up by name: test/fixtures, then the files the fakes serve at run time (the fake fal's
 * video, Discord's OpenAPI description), which ship beside the fakes so the playground needs nothing from test/.
 */
const FOLDERS = ['../fixtures/', '../../fakes/fal/', '../../fakes/discord/'];

/** Absolute path of a fixture (copied from the shared fixtures so any clone passes). */
export function fixturePath(name: string): string {
	for (const folder of FOLDERS) {
		const path = fileURLToPath(new URL(`${folder}${name}`, import.meta.url));
		if (existsSync(path)) return path;
	}
	throw new Error(`no fixture named ${name} in test/fixtures, fakes/fal or fakes/discord`);
}

export function readFixture(name: string): Buffer {
	return readFileSync(fixturePath(name));
}
