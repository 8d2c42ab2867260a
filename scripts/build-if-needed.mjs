// `npm start` runs the compiled bot; this builds it first when dist/ is missing or older than src/,
// so `npm install && npm start` works on a fresh clone without a separate build step.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir) {
	let newest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
	}
	return newest;
}

const built = 'dist/index.js';
const stale = !existsSync(built) || statSync(built).mtimeMs < Math.max(newestMtime('src'), statSync('tsconfig.build.json').mtimeMs);
if (stale) {
	console.error('building animate-bot (dist/ is missing or older than src/)…');
	execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
