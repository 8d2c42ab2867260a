/**
 * The worker thread's side of the media pool (see pool.ts): runs the CPU-heavy checks (sharp's
 * decode, fflate's inflate and repack) off the bot's event loop. Refusals come back as data, since
 * an Error thrown across the thread boundary loses its class and its fields.
 */
import * as threads from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { Refused, type Refusal } from '../domain/refusal.js';
import type { CheckedDepthMaps, CheckedImage } from '../jobs/ports.js';
import { checkDepthMaps } from './depth-maps.js';
import { checkImage } from './image.js';

export type MediaTask =
	| { readonly op: 'image'; readonly bytes: Uint8Array; readonly label: string }
	| { readonly op: 'depth-maps'; readonly bytes: Uint8Array; readonly label: string };

export type MediaOutcome = { readonly image: CheckedImage } | { readonly depthMaps: CheckedDepthMaps } | { readonly refusal: Refusal };

/**
 * Node 24 marks memory that a native addon hands over (sharp's output buffers) as untransferable,
 * and listing it in a transfer list throws DataCloneError. Node 20 has neither the mark nor this
 * function (added in 21, so not in @types/node 20), and transfers such buffers.
 */
const isUntransferable: (buffer: ArrayBufferLike) => boolean =
	(threads as { isMarkedAsUntransferable?: (object: object) => boolean }).isMarkedAsUntransferable ?? (() => false);

/**
 * The outcome, with the bytes' ArrayBuffer moved rather than copied back (piscina transfers only
 * what a top-level Transferable lists). Bytes sharing a buffer with others, or in one that cannot
 * be transferred, are copied first.
 */
function transferring(bytes: Uint8Array, outcome: (owned: Buffer) => MediaOutcome): MediaOutcome {
	const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
	const owned = whole && !isUntransferable(bytes.buffer) ? bytes : new Uint8Array(bytes);
	const value = outcome(Buffer.from(owned.buffer, 0, owned.byteLength));
	// move() marks an object carrying these two symbols as "transfer this list, deliver that value".
	const movable = { [transferableSymbol]: [owned.buffer], [valueSymbol]: value };
	return move(movable) as unknown as MediaOutcome;
}

export default async function run(task: MediaTask): Promise<MediaOutcome> {
	const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
	try {
		if (task.op === 'image') {
			const image = await checkImage(bytes, task.label);
			return transferring(image.bytes, (owned) => ({ image: { ...image, bytes: owned } }));
		}
		const depthMaps = checkDepthMaps(bytes, task.label);
		return transferring(depthMaps.bytes, (owned) => ({ depthMaps: { ...depthMaps, bytes: owned } }));
	} catch (error) {
		if (error instanceof Refused) return { refusal: error.refusal };
		throw error;
	}
}
