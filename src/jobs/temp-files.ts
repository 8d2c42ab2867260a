import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../logger.js';

/** The bot's own folder under the system's temp dir: nothing else is ever removed. */
const DIR = join(tmpdir(), 'animate-bot');

const isAlive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
};

/** A temp file path for a job's video, named after this process so a later start can tell strays. */
export function tempVideoPath(jobId: string): string {
	mkdirSync(DIR, { recursive: true });
	return join(DIR, `${process.pid}-${jobId}-${randomUUID().slice(0, 8)}.mp4`);
}

/** Removes temp files left by processes that are gone (a crash mid-delivery leaves its video behind). */
export function removeStrayTempFiles(log: Logger): number {
	let removed = 0;
	let names: string[];
	try {
		names = readdirSync(DIR);
	} catch {
		return 0;
	}
	for (const name of names) {
		const pid = Number(/^(\d+)-/.exec(name)?.[1]);
		if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
		rmSync(join(DIR, name), { force: true });
		removed += 1;
	}
	if (removed > 0) log.info({ removed }, 'removed temp files of an earlier run');
	return removed;
}
