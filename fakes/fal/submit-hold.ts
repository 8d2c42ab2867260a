import type { IncomingMessage } from 'node:http';

/**
 * Where a held submit stops, for tests of a process killed in the middle of one:
 * - `before-accept`: the request has arrived but fal's queue has not taken it. A caller that hangs
 *   up now leaves nothing at fal (its request never reached the queue).
 * - `after-accept`: fal has queued the request (it runs, and its webhook comes) but its answer,
 *   the request id, has not been sent. A caller that hangs up now never learns the id.
 */
export type SubmitHoldPoint = 'before-accept' | 'after-accept';

export interface SubmitHold {
	readonly at: SubmitHoldPoint;
	/** Resolves once a submit is held there. */
	readonly reached: Promise<void>;
	/** Lets the held submit go on. */
	release(): void;
	/** Resolves with how the hold ended: released, or its caller hung up first. */
	readonly ended: Promise<'released' | 'hung-up'>;
}

/** The fake's side of a hold: `until` resolves with how the hold ended. */
export interface HeldSubmit extends SubmitHold {
	until(req: IncomingMessage): Promise<'released' | 'hung-up'>;
}

export function createSubmitHold(at: SubmitHoldPoint): HeldSubmit {
	let reachedNow!: () => void;
	const reached = new Promise<void>((resolve) => (reachedNow = resolve));
	let releaseNow!: () => void;
	const released = new Promise<'released'>((resolve) => (releaseNow = () => resolve('released')));
	let endNow!: (how: 'released' | 'hung-up') => void;
	const ended = new Promise<'released' | 'hung-up'>((resolve) => (endNow = resolve));
	return {
		at,
		reached,
		ended,
		release: () => releaseNow(),
		async until(req) {
			reachedNow();
			// A killed caller's socket closes; the held request then ends with nobody to answer.
			const hungUp = new Promise<'hung-up'>((resolve) => req.socket.once('close', () => resolve('hung-up')));
			const how = await Promise.race([released, hungUp]);
			endNow(how);
			return how;
		},
	};
}
