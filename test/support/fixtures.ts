import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where fixtures are looked up by name: test/fixtures, then beside the fake fal (the video it serves as a result). */
const FOLDERS = ['../fixtures/', '../../fakes/fal/'];

/** Absolute path of a fixture (copied from the shared fixtures so any clone passes). */
export function fixturePath(name: string): string {
	for (const folder of FOLDERS) {
		const path = fileURLToPath(new URL(`${folder}${name}`, import.meta.url));
		if (existsSync(path)) return path;
	}
	throw new Error(`no fixture named ${name} in test/fixtures or fakes/fal`);
}

export function readFixture(name: string): Buffer {
	return readFileSync(fixturePath(name));
}
