import type { Logger } from '../logger.js';
import { FalJobFailed, FalUnreachable } from '../domain/errors.js';
import type { JobPatch, JobRow } from '../domain/job.js';
import { followAtFal } from './follow-fal.js';
import type { FalGateway, FalStatus } from './ports.js';
import { JobTimedOut } from './stop-reasons.js';

/** setTimeout's ceiling (2³¹−1 ms, about 24.8 days): past it Node fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** How often the time watched at fal is written down while a job waits there. */
const SAVE_WATCH_EVERY_MS = 10_000;

export interface WatchContext {
	readonly fal: FalGateway;
	readonly jobTimeoutMs: number;
	readonly falOutageMs: number;
	readonly log: Logger;
	readonly job: () => JobRow;
	readonly set: (patch: JobPatch) => Promise<JobRow>;
	readonly onStatus: (status: FalStatus) => void;
	readonly onOutage: (nextTryAt: number) => void;
}

/** A COMPLETED status that carries fal's own failure. */
const failureOf = (status: FalStatus) =>
	status.status === 'COMPLETED' && status.error ? new FalJobFailed(status.error, { errorType: status.error_type }) : undefined;

/** One status request; undefined when fal cannot be reached (the stream then waits the outage out). */
async function statusNow(ctx: WatchContext): Promise<FalStatus | undefined> {
	const { model, requestId } = ctx.job();
	try {
		return await ctx.fal.status(model, requestId!);
	} catch (error) {
		if (error instanceof FalUnreachable) return undefined;
		throw error;
	}
}

/**
 * Waits until fal has finished the job's request. A resumed job first asks fal where it is, so a
 * video made while the bot was down is taken at once. JOB_TIMEOUT_MINUTES counts only the time a
 * process spent watching (written down as it goes), and when it runs out fal is asked once more:
 * a video fal finished is delivered, never thrown away.
 */
export async function waitForFal(ctx: WatchContext, signal: AbortSignal, resumed: boolean): Promise<void> {
	if (resumed) {
		const now = await statusNow(ctx);
		if (now?.status === 'COMPLETED') {
			const failure = failureOf(now);
			if (failure) throw failure;
			return;
		}
	}
	const watch = new AbortController();
	const forward = () => watch.abort(signal.reason);
	signal.addEventListener('abort', forward, { once: true });
	let since = Date.now();
	const saveWatch = async () => {
		const now = Date.now();
		const watched = now - since;
		since = now;
		await ctx.set({ falWatchMs: ctx.job().falWatchMs + watched });
	};
	const remaining = Math.max(0, ctx.jobTimeoutMs - ctx.job().falWatchMs);
	const timer = setTimeout(() => watch.abort(new JobTimedOut()), Math.min(remaining, MAX_TIMER_MS));
	try {
		await followAtFal(
			{ fal: ctx.fal, falOutageMs: ctx.falOutageMs, log: ctx.log },
			ctx.job(),
			watch.signal,
			(status) => {
				if (Date.now() - since >= SAVE_WATCH_EVERY_MS)
					void saveWatch().catch((error: unknown) => ctx.log.warn({ err: error }, 'could not record watched time'));
				ctx.onStatus(status);
			},
			ctx.onOutage,
		);
	} catch (error) {
		if (!(error instanceof JobTimedOut) || signal.aborted) throw error;
		// Time is up; one last look before giving up.
		const last = await statusNow(ctx);
		ctx.log.info({ status: last?.status }, 'job timeout reached; asked fal once more');
		if (last?.status !== 'COMPLETED') throw error;
		const failure = failureOf(last);
		if (failure) throw failure;
	} finally {
		clearTimeout(timer);
		signal.removeEventListener('abort', forward);
		await saveWatch();
	}
}
