import type { FileKind } from './media.js';

interface Size {
	readonly width: number;
	readonly height: number;
}

/**
 * Every reason the bot says no, as data. Thrown wrapped in `Refused`, caught by the one
 * interaction dispatcher (or the job runner) and worded by the views layer, privately where it is
 * the member's own doing.
 */
export type Refusal =
	// Admission of a new job.
	| { readonly kind: 'channel-not-allowed'; readonly allowed: readonly string[] }
	| { readonly kind: 'opted-out'; readonly posterId: string }
	| { readonly kind: 'options-not-taken'; readonly model: string; readonly options: readonly string[] }
	// The model's own options, checked against its published schema before anything is submitted.
	| { readonly kind: 'unknown-model'; readonly model: string }
	| { readonly kind: 'model-not-allowed'; readonly model: string; readonly allowed: readonly string[] }
	| { readonly kind: 'option-required'; readonly model: string; readonly option: string }
	| { readonly kind: 'option-out-of-range'; readonly model: string; readonly option: string; readonly min?: number; readonly max?: number }
	| {
			readonly kind: 'option-length';
			readonly model: string;
			readonly option: string;
			readonly min?: number;
			readonly max?: number;
			readonly length: number;
	  }
	| { readonly kind: 'option-not-a-choice'; readonly model: string; readonly option: string; readonly values: readonly string[] }
	| { readonly kind: 'too-many-jobs'; readonly active: number; readonly limit: number }
	| { readonly kind: 'cooldown'; readonly until: number }
	| { readonly kind: 'daily-limit'; readonly limit: number; readonly resetsAt: number }
	| { readonly kind: 'spend-cap'; readonly capUsd: number; readonly usedUsd: number; readonly resetsAt: number }
	// Buttons and commands.
	| { readonly kind: 'follow-up-unavailable' }
	| { readonly kind: 'retry-not-yours' }
	| { readonly kind: 'cancel-not-yours' }
	| { readonly kind: 'cancel-finished' }
	| { readonly kind: 'cancel-too-late' }
	| { readonly kind: 'delete-not-allowed' }
	| { readonly kind: 'no-image' }
	| { readonly kind: 'not-text-channel' }
	| { readonly kind: 'invalid-emoji'; readonly text: string }
	| { readonly kind: 'forbid-default'; readonly model: string }
	| { readonly kind: 'restarting' }
	/** Used where the bot has no server it was added to: a DM, a group DM, or a server it does not know yet. */
	| { readonly kind: 'not-available-here' }
	// The member's files.
	| { readonly kind: 'file-too-large'; readonly file: string; readonly size: number; readonly limit: number }
	/** Discord (its CDN or media proxy) would not hand the file over, or took too long. */
	| { readonly kind: 'source-unavailable'; readonly file: string }
	/** The file is not on a host the bot downloads from (Discord's CDN and media proxy). */
	| { readonly kind: 'source-not-allowed'; readonly file: string }
	| { readonly kind: 'not-an-image'; readonly file: string; readonly actual: FileKind }
	| { readonly kind: 'image-damaged'; readonly file: string; readonly actual: FileKind }
	| ({ readonly kind: 'image-too-small'; readonly file: string; readonly min: number } & Size)
	| ({ readonly kind: 'image-too-large'; readonly file: string; readonly max: number } & Size)
	| { readonly kind: 'mask-shape'; readonly mask: Size; readonly image: Size }
	| { readonly kind: 'not-a-zip'; readonly file: string; readonly actual: FileKind }
	| { readonly kind: 'zip-too-many-files'; readonly file: string; readonly max: number }
	| { readonly kind: 'zip-entry-damaged'; readonly file: string; readonly entry: string }
	| { readonly kind: 'zip-damaged'; readonly file: string }
	| { readonly kind: 'zip-too-big'; readonly file: string; readonly max: number }
	| { readonly kind: 'zip-bomb'; readonly file: string; readonly entry: string; readonly ratio: number }
	| { readonly kind: 'zip-no-images'; readonly file: string }
	// fal.
	| { readonly kind: 'fal-invalid'; readonly message: string; readonly fields: readonly FalFieldProblem[] }
	| { readonly kind: 'fal-down' };

/** One field fal refused, with the /animate option it came from when there is one. */
export interface FalFieldProblem {
	readonly field: string;
	readonly option?: string;
	readonly message: string;
}

export type RefusalKind = Refusal['kind'];

/** The one way to refuse: throw this; whoever answers the member words it. */
export class Refused extends Error {
	public constructor(public readonly refusal: Refusal) {
		super(`refused: ${refusal.kind}`);
		this.name = 'Refused';
	}
}

export function refuse(refusal: Refusal): never {
	throw new Refused(refusal);
}
