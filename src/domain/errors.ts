import { randomUUID } from 'node:crypto';

/** Short enough to read out loud to an admin, long enough to find in the logs. */
export const newErrorId = (): string => randomUUID().slice(0, 8);

/** fal could not be reached, or answered that it is overloaded or briefly broken: worth waiting out. */
export class FalUnreachable extends Error {
	public constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'FalUnreachable';
	}
}

/** fal refused the model input (its 422), field by field in fal's names. */
export class FalRejected extends Error {
	public constructor(
		message: string,
		public readonly fields: readonly { readonly field: string; readonly message: string }[],
	) {
		super(message);
		this.name = 'FalRejected';
	}
}

/** fal finished the request with an error of its own (the model crashed, the GPU ran out of memory…). */
export class FalJobFailed extends Error {
	public constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'FalJobFailed';
	}
}

/** A connection-level failure (DNS, refused, reset): the other side was not reached at all. */
export function isNetworkError(error: unknown): boolean {
	return (
		error instanceof TypeError || (error instanceof Error && /fetch failed|ECONN|socket|network/i.test(`${error.message} ${String(error.cause)}`))
	);
}
