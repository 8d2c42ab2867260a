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

/** fal finished the request with an error of its own (the model crashed, a content filter, a timeout…). */
export class FalJobFailed extends Error {
	/** fal's machine-readable reason (`request_timeout`, `content_policy_violation`…), when it gave one. */
	public readonly errorType: string | undefined;

	public constructor(message: string, options?: ErrorOptions & { errorType?: string | undefined }) {
		super(message, options);
		this.name = 'FalJobFailed';
		this.errorType = options?.errorType;
	}
}

const NETWORK_CODE = /^(ECONN(REFUSED|RESET|ABORTED)|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|UND_ERR_\w+)$/;

/**
 * A connection-level failure (DNS, refused, reset, a socket closed early): the other side was not
 * reached, or stopped answering. Node's fetch reports these as `TypeError('fetch failed')` with
 * the system error as its cause; any other TypeError is a bug in our code, not a network problem.
 */
export function isNetworkError(error: unknown): boolean {
	if (!(error instanceof Error)) return false;
	const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
	if (typeof code === 'string' && NETWORK_CODE.test(code)) return true;
	return error instanceof TypeError && error.message === 'fetch failed';
}
