import type { Logger } from '../logger.js';
import { FalJobFailed, FalUnreachable } from '../domain/errors.js';
import type { JobPatch, JobRow } from '../domain/job.js';
import { followAtFal } from './follow-fal.js';
import type { FalInbox } from './fal-inbox.js';
import type { FalCompletion, FalGateway, FalStatus, FalVideoResult } from './ports.js';
import { FalOutage, JobTimedOut } from './stop-reasons.js';

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
	/** Webhook mode: completions arrive here, and fal is asked for the status only every `pollMs`. */
	readonly inbox?: FalInbox | undefined;
	readonly pollMs?: number;
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
export async function waitForFal(ctx: WatchContext, signal: AbortSignal, resumed: boolean): Promise<FalVideoResult | undefined> {
	if (resumed) {
		const now = await statusNow(ctx);
		if (now?.status === 'COMPLETED') {
			const failure = failureOf(now);
			if (failure) throw failure;
			return undefined;
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
	const onStatus = (status: FalStatus) => {
		if (Date.now() - since >= SAVE_WATCH_EVERY_MS)
			void saveWatch().catch((error: unknown) => ctx.log.warn({ err: error }, 'could not record watched time'));
		ctx.onStatus(status);
	};
	try {
		if (ctx.inbox) return await pollUntilDone(ctx, ctx.inbox, watch.signal, onStatus);
		await followAtFal({ fal: ctx.fal, falOutageMs: ctx.falOutageMs, log: ctx.log }, ctx.job(), watch.signal, onStatus, ctx.onOutage);
		return undefined;
	} catch (error) {
		if (!(error instanceof JobTimedOut) || signal.aborted) throw error;
		// Time is up; one last look before giving up.
		const last = await statusNow(ctx);
		ctx.log.info({ status: last?.status }, 'job timeout reached; asked fal once more');
		if (last?.status !== 'COMPLETED') throw error;
		const failure = failureOf(last);
		if (failure) throw failure;
		return undefined;
	} finally {
		clearTimeout(timer);
		signal.removeEventListener('abort', forward);
		await saveWatch();
	}
}

/** Webhook mode's default: one status request per job per 15 s, for the card and for missed webhooks. */
export const WEBHOOK_POLL_MS = 15_000;

/**
 * Webhook mode: no stream is held. The job waits for fal's webhook, and asks for the status every
 * poll interval meanwhile, which keeps the card's queue position fresh and finds a completion
 * whose webhook never came. fal unreachable is waited out within the outage limit, as with streams.
 */
async function pollUntilDone(
	ctx: WatchContext,
	inbox: FalInbox,
	signal: AbortSignal,
	onStatus: (status: FalStatus) => void,
): Promise<FalVideoResult | undefined> {
	const { requestId } = ctx.job();
	const pollMs = ctx.pollMs ?? WEBHOOK_POLL_MS;
	// One waiter for the whole wait, withdrawn when it ends however it ends; each round races it with a timer.
	const done = new AbortController();
	const forward = () => done.abort(signal.reason);
	signal.addEventListener('abort', forward, { once: true });
	const arrived = inbox.wait(requestId!, done.signal);
	arrived.catch(() => undefined);
	try {
		return await pollRounds(ctx, arrived, pollMs, onStatus);
	} finally {
		signal.removeEventListener('abort', forward);
		done.abort(signal.aborted ? signal.reason : new Error('no longer waiting'));
	}
}

async function pollRounds(
	ctx: WatchContext,
	arrived: Promise<FalCompletion>,
	pollMs: number,
	onStatus: (status: FalStatus) => void,
): Promise<FalVideoResult | undefined> {
	let outageSince: number | undefined;
	for (;;) {
		const completion = await withinMs(arrived, pollMs);
		if (completion?.kind === 'ok') return { video: completion.video, seed: completion.seed };
		if (completion?.kind === 'failed') throw completion.error;
		if (completion?.kind === 'ask-queue') return undefined;
		const status = await statusNow(ctx);
		if (!status) {
			outageSince ??= Date.now();
			if (Date.now() - outageSince > ctx.falOutageMs) throw new FalOutage();
			ctx.onOutage(Date.now() + pollMs);
			continue;
		}
		outageSince = undefined;
		if (status.status === 'COMPLETED') {
			const failure = failureOf(status);
			if (failure) throw failure;
			return undefined;
		}
		onStatus(status);
	}
}

/** What `waiting` settles to if it does so within `ms`; undefined after `ms` (it keeps waiting). */
async function withinMs<T>(waiting: Promise<T>, ms: number): Promise<T | undefined> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([waiting, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
	} finally {
		clearTimeout(timer);
	}
}
