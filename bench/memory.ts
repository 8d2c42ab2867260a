import { readFileSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const PAGE = 4096;

/** Resident set size of a process, in bytes (/proc/<pid>/statm, the same figure as VmRSS). */
export function rss(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
	return Number(fields[1]) * PAGE;
}

/** Peak resident set size since the process started or since resetPeak(), in bytes (VmHWM). */
export function peakRss(pid: number): number | undefined {
	const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) * 1024 : undefined;
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0); false where the kernel or permissions refuse. */
export function resetPeak(pid: number): boolean {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

export interface Sample {
	readonly at: number;
	readonly rss: number;
}

// A worker thread has its own event loop, so the samples keep their pace while the main thread
// (which also runs the fake Discord and the fake fal) is busy parsing a 9 MB upload.
const SAMPLER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const path = '/proc/' + workerData.pid + '/statm';
const samples = [];
const take = () => {
	try {
		samples.push(Date.now(), Number(readFileSync(path, 'utf8').split(' ')[1]) * ${PAGE});
	} catch {}
};
take();
const timer = setInterval(take, workerData.intervalMs);
parentPort.on('message', () => {
	clearInterval(timer);
	take();
	parentPort.postMessage(samples);
});
`;

/** Samples a process's RSS every `intervalMs` until stop(). */
export class RssSampler {
	private readonly worker: Worker;

	public constructor(pid: number, intervalMs = 5) {
		this.worker = new Worker(SAMPLER, { eval: true, workerData: { pid, intervalMs } });
	}

	public async stop(): Promise<Sample[]> {
		const flat = await new Promise<number[]>((resolve, reject) => {
			this.worker.once('message', resolve);
			this.worker.once('error', reject);
			this.worker.postMessage('stop');
		});
		await this.worker.terminate();
		const samples: Sample[] = [];
		for (let i = 0; i + 1 < flat.length; i += 2) samples.push({ at: flat[i]!, rss: flat[i + 1]! });
		return samples;
	}
}

/** Median RSS over `durationMs`, sampled every `everyMs`: a settled figure, not one lucky reading. */
export async function settledRss(pid: number, durationMs = 2_000, everyMs = 50): Promise<number> {
	const values: number[] = [];
	const end = Date.now() + durationMs;
	while (Date.now() < end) {
		values.push(rss(pid));
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
	values.sort((a, b) => a - b);
	return values[Math.floor(values.length / 2)]!;
}
