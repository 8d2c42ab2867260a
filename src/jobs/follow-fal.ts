import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import { FalJobFailed, FalUnreachable, isNetworkError } from '../domain/errors.js';
import type { JobRow } from '../domain/job.js';
import type { FalGateway, FalStatus } from './ports.js';
import { FalOutage } from './stop-reasons.js';

/** Worth waiting out: fal unreachable, overloaded or briefly broken, as opposed to refusing the job. */
export const isTransient = (error: unknown): boolean => error instanceof FalUnreachable || isNetworkError(error);

/** Growing pauses between tries: 1 s, 2 s, 4 s … up to a minute. */
const pauseFor = (attempt: number) => Math.min(60_000, 1_000 * 2 ** attempt);

const pause = (ms: number, signal: AbortSignal) =>
	sleep(ms, undefined, { signal }).catch(() => {
		throw signal.reason;
	});

export interface FollowDeps {
	readonly fal: FalGateway;
	readonly falOutageMs: number;
	readonly log: Logger;
}

/**
 * Follows the request over fal's status stream until it completes. When fal cannot be reached,
 * waits with growing pauses (telling the member when the next try is), for at most the outage limit.
 */
export async function followAtFal(
	deps: FollowDeps,
	job: JobRow,
	signal: AbortSignal,
	onStatus: (status: FalStatus) => void,
	onOutage: (nextTryAt: number) => void,
): Promise<void> {
	let outageSince: number | undefined;
	let attempt = 0;
	for (;;) {
		try {
			const final = await deps.fal.watch(
				job.model,
				job.requestId!,
				(status) => {
					outageSince = undefined;
					attempt = 0;
					onStatus(status);
				},
				signal,
			);
			if (final.status === 'COMPLETED') {
				// A request that failed at fal also ends COMPLETED, carrying the error instead of a result.
				if (final.error) throw new FalJobFailed(final.error, { errorType: final.error_type });
				return;
			}
			// The stream ended early (a dropped connection): join it again.
		} catch (error) {
			if (signal.aborted) throw signal.reason;
			if (error instanceof FalJobFailed || !isTransient(error)) throw error;
			deps.log.warn({ err: error, jobId: job.id, attempt }, 'fal status stream failed');
		}
		outageSince ??= Date.now();
		if (Date.now() - outageSince > deps.falOutageMs) throw new FalOutage();
		const wait = pauseFor(attempt);
		attempt += 1;
		onOutage(Date.now() + wait);
		await pause(wait, signal);
	}
}

/** Runs a fal call, waiting out transient failures within the outage limit. */
export async function withFalRetry<T>(deps: FollowDeps, call: () => Promise<T>, signal: AbortSignal, job: JobRow): Promise<T> {
	const started = Date.now();
	for (let attempt = 0; ; attempt += 1) {
		try {
			return await call();
		} catch (error) {
			if (!isTransient(error) || Date.now() - started > deps.falOutageMs) throw error;
			deps.log.warn({ err: error, jobId: job.id, attempt }, 'fal call failed, retrying');
			await pause(pauseFor(attempt), signal);
		}
	}
}
