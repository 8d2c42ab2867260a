import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
// Loaded here first: on glibc Linux libvips must be loaded by the main thread before any worker
// loads it, or a worker's exit can unload it under the others.
import 'sharp';
import { Refused } from '../domain/refusal.js';
import type { CheckedDepthMaps, CheckedImage } from '../jobs/ports.js';
import type { MediaOutcome, MediaTask } from './media-worker.js';

export interface MediaPoolOptions {
	/** Worker threads (1–2): each check is single-threaded, and a core stays with the event loop. */
	readonly threads?: number;
}

/**
 * V8 heap caps per worker. The big buffers (files, pixels, inflated entries) live outside the
 * heap and are bounded by the checks themselves; these stop a runaway in JS (a pathological zip
 * directory, say) from growing without end: the worker dies, its task fails, the bot lives.
 */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 };

/**
 * The worker file next to this module: `media-worker.js` when running the build, and
 * `media-worker.ts` run through tsx when this module is itself TypeScript (tests, `npm run dev`).
 */
function workerFile(): { filename: string; execArgv?: string[] } {
	const here = import.meta.url;
	if (!/\.ts$/.test(new URL(here).pathname)) return { filename: new URL('./media-worker.js', here).href };
	// Resolved from here, so it does not depend on the working directory.
	const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
	return { filename: new URL('./media-worker.ts', here).href, execArgv: ['--import', tsx] };
}

/** The ArrayBuffer to transfer: the bytes' own one, or a copy when they share it (Node's pool). */
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
	const own = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
	return own ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Runs image and depth-map checks in worker threads. One thread starts right away, so the first
 * job does not wait for a worker to boot (and load libvips); a second joins under load.
 */
export class MediaPool {
	private pool: Piscina<MediaTask, MediaOutcome> | undefined;
	private closed = false;

	public constructor(private readonly options: MediaPoolOptions = {}) {
		this.threads();
	}

	/** Checks an image in a worker; the bytes are moved there (unusable here afterwards). */
	public async image(bytes: Uint8Array, label: string, signal: AbortSignal): Promise<CheckedImage> {
		const outcome = await this.run('image', bytes, label, signal);
		if (!('image' in outcome)) throw new Error('media worker answered an image task with something else');
		return { ...outcome.image, bytes: asBuffer(outcome.image.bytes) };
	}

	/** Checks and repacks a depth-map zip in a worker; the bytes are moved there. */
	public async depthMaps(bytes: Uint8Array, label: string, signal: AbortSignal): Promise<CheckedDepthMaps> {
		const outcome = await this.run('depth-maps', bytes, label, signal);
		if (!('depthMaps' in outcome)) throw new Error('media worker answered a depth-map task with something else');
		return { ...outcome.depthMaps, bytes: asBuffer(outcome.depthMaps.bytes) };
	}

	/** Waits for running checks, then ends the threads. */
	public async close(): Promise<void> {
		this.closed = true;
		await this.pool?.close();
	}

	private async run(op: MediaTask['op'], bytes: Uint8Array, label: string, signal: AbortSignal): Promise<MediaOutcome> {
		signal.throwIfAborted();
		const owned = ownBuffer(bytes);
		let outcome: MediaOutcome;
		try {
			// An abort terminates the worker mid-check (piscina replaces it), so Cancel is immediate.
			outcome = await this.threads().run({ op, bytes: owned, label }, { transferList: [owned.buffer], signal });
		} catch (error) {
			if (signal.aborted) throw signal.reason;
			throw error;
		}
		if ('refusal' in outcome) throw new Refused(outcome.refusal);
		return outcome;
	}

	private threads(): Piscina<MediaTask, MediaOutcome> {
		if (this.closed) throw new Error('the media pool is closed');
		if (!this.pool) {
			const threads = Math.min(2, Math.max(1, this.options.threads ?? 1));
			this.pool = new Piscina<MediaTask, MediaOutcome>({
				...workerFile(),
				minThreads: 1,
				maxThreads: threads,
				// The second thread is for bursts; it goes after a quiet minute.
				idleTimeout: 60_000,
				resourceLimits: RESOURCE_LIMITS,
				// Checks can wait a little; the event loop (interaction acks within 3 s) cannot. On a
				// small machine the workers and the main thread share cores, so the workers yield. Only
				// a little (5, not 19): other busy processes on the host must not starve the checks.
				niceIncrement: 10,
				// Piscina's run/wait histograms (hdr-histogram in wasm) cost main-thread time on every
				// task, measurable in a burst; nothing reads them.
				recordTiming: false,
				workerHistogram: false,
			});
			// A worker that dies (out of memory, say) fails its own task; without a listener the
			// pool's 'error' event would be thrown and end the process.
			this.pool.on('error', () => undefined);
		}
		return this.pool;
	}
}
