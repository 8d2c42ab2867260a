import { postgresUnreachable, redisUnreachable } from '../../test/support/services.js';
import { kb, mb } from '../stats.js';
import { inFlight, IN_FLIGHT, RELEASED_PER_SECOND, type InFlightResult, type PerJob, type Reading } from './in-flight.js';
import { ARRIVAL_MS, CLUSTER_JOBS, CLUSTER_MAX_FAL_JOBS, clusterRun, FIXED_JOB_SECONDS, type ClusterRun } from './scale-cluster.js';

export const WORKER_COUNTS = [1, 2, 4] as const;

/**
 * glibc's malloc told to hand freed memory back: blocks from 64 KB up get their own mapping, unmapped
 * when freed, and free memory at the top of the heap goes back past 128 KB. By default the first
 * threshold grows with the largest block freed (up to 32 MB), so in a burst the jobs' transient
 * buffers are carved from the heap, which keeps the memory once they are freed. Measured side by
 * side with the default, to show how much of the figure is the allocator's and not the jobs'.
 */
export const RETURNING_MALLOC = { MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_TRIM_THRESHOLD_: '131072' };

export interface ScaleResult {
	/** Only the memory part was run (`--only scale-memory`): no cluster runs, none skipped. */
	readonly memoryOnly: boolean;
	/** Why the runs on PostgreSQL and Redis were not made, when they were not. */
	readonly clusterSkipped: string | undefined;
	readonly runs: readonly ClusterRun[];
	readonly memory: { readonly stream: InFlightResult; readonly webhook: InFlightResult; readonly webhookReturningMalloc: InFlightResult };
}

export interface ScaleRow {
	readonly figure: string;
	readonly measured: string;
	readonly target: string;
	readonly met: boolean | undefined;
}

/**
 * The figures of running at scale, in one run: jobs delivered per minute with 1, 2 and 4 worker
 * processes behind one gateway process on PostgreSQL and Redis (webhook mode, each run on a fresh
 * database and queue), then memory per in-flight job and fal requests per job in webhook mode,
 * side by side with stream mode, measured as the in-flight scenario measures them, then once more
 * after those jobs finished (what an in-flight job holds). `memoryOnly`: the memory part alone.
 */
export async function scale(log: (text: string) => void, { memoryOnly = false }: { memoryOnly?: boolean } = {}): Promise<ScaleResult> {
	const clusterSkipped = memoryOnly ? undefined : ((await postgresUnreachable()) ?? (await redisUnreachable()));
	const runs: ClusterRun[] = [];
	if (clusterSkipped) log(`  cluster runs skipped: ${clusterSkipped}`);
	else if (!memoryOnly) {
		log(`  throughput: 1 gateway + N workers, ${CLUSTER_JOBS} jobs of ${FIXED_JOB_SECONDS} s at fal, MAX_FAL_JOBS=${CLUSTER_MAX_FAL_JOBS}`);
		for (const workers of WORKER_COUNTS) runs.push(await clusterRun(workers, log));
	}
	log(
		`  memory: ${IN_FLIGHT} jobs queued at fal, then released and finished; stream mode, webhook mode, then webhook mode with glibc returning freed memory`,
	);
	const stream = await inFlight(log, 'stream', {}, { finish: true });
	const webhook = await inFlight(log, 'webhook', {}, { finish: true });
	const webhookReturningMalloc = await inFlight(log, 'webhook', RETURNING_MALLOC, { finish: true });
	return { memoryOnly, clusterSkipped, runs, memory: { stream, webhook, webhookReturningMalloc } };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const percent = (share: number) => `${(share * 100).toFixed(0)} %`;

/**
 * What held the run back, from what was measured: the slower of the two stages around fal's fixed
 * 5 s, with its cause where the figures show one, then MAX_FAL_JOBS and the CPU when they bound.
 */
export function limitOf(run: ClusterRun): string {
	const { toFal, afterFal } = run.stages;
	const reasons: string[] = [];
	if (afterFal.p90 >= toFal.p90) {
		const cause =
			run.discord.rateLimited > 0
				? `${run.discord.rateLimited} × 429 from Discord's global limit: ${run.workers} processes each pacing itself, up to ${run.discord.peakGlobalPerSecond} req/s against 50/s`
				: 'discord.js sends the messages of one channel one at a time in each process';
		reasons.push(`posting the videos (fal done → posted p90 ${seconds(afterFal.p90)}; ${cause})`);
	} else reasons.push(`getting jobs to fal (/animate → submitted p90 ${seconds(toFal.p90)})`);
	if (run.fal.mostAtOnce >= CLUSTER_MAX_FAL_JOBS) reasons.push(`MAX_FAL_JOBS (${run.fal.mostAtOnce} at fal at once)`);
	if (run.cpu.machineBusy >= 0.9) reasons.push(`CPU (the machine ${percent(run.cpu.machineBusy)} busy)`);
	return reasons.join('; ');
}

/** One per-job figure: RSS after a full GC between two readings (or as it is without the inspector), and the V8 heap's share. */
function perJobMeasured(per: PerJob, from: Reading, to: Reading): string {
	const heap = per.heapAfterGc === undefined ? '' : `; V8 heap ${kb(per.heapAfterGc)}`;
	return per.rssAfterGc === undefined
		? `${kb(per.rss)} RSS (no forced GC)${heap}`
		: `${kb(per.rssAfterGc)} (RSS after a full GC, ${mb(from.rssAfterGc!)} → ${mb(to.rssAfterGc!)})${heap}`;
}

/** Against the process before the jobs: idle → in flight. */
const memoryMeasured = (m: InFlightResult) => perJobMeasured(m.perJob, m.idle, m.loaded);

/** What the jobs held: after they finished → in flight. */
const heldMeasured = (m: InFlightResult) => (m.finished ? perJobMeasured(m.finished.held, m.finished.reading, m.loaded) : 'not measured');

/** RSS after a full GC when the inspector could be opened, else RSS as it is. */
const heldBytes = (m: InFlightResult) => (m.finished ? (m.finished.held.rssAfterGc ?? m.finished.held.rss) : Number.POSITIVE_INFINITY);

const mallocLabel = () =>
	Object.entries(RETURNING_MALLOC)
		.map(([k, v]) => `${k}=${v}`)
		.join(' ');

export function scaleRows(r: ScaleResult): ScaleRow[] {
	const rows: ScaleRow[] = r.runs.map((run) => ({
		figure: `jobs delivered per minute, 1 gateway + ${run.workers} worker${run.workers === 1 ? '' : 's'} (${run.jobs} × ${FIXED_JOB_SECONDS}-s jobs)`,
		measured: `${run.perMinute.toFixed(0)}/min (${run.delivered} in ${seconds(run.spanMs)}, at best ${seconds(ARRIVAL_MS + FIXED_JOB_SECONDS * 1000)}), ${run.steadyPerMinute.toFixed(0)}/min steady; limit: ${limitOf(run)}`,
		target: 'report',
		met: undefined,
	}));
	if (r.clusterSkipped)
		rows.push({
			figure: 'jobs delivered per minute, 1, 2 and 4 workers',
			measured: `not measured: ${r.clusterSkipped}`,
			target: 'report',
			met: undefined,
		});
	const { stream, webhook, webhookReturningMalloc } = r.memory;
	const HELD = 'held per in-flight job (in flight − after they finished)';
	const AGAINST_IDLE = 'memory per in-flight job (in flight − before them)';
	for (const [m, mode, goal] of [
		[webhook, 'webhook mode', true],
		[stream, 'stream mode', false],
		// With glibc returning freed memory, what the jobs free natively shows in the difference too (see the README).
		[webhookReturningMalloc, `webhook mode, ${mallocLabel()}`, true],
	] as const)
		rows.push(
			{
				figure: `${HELD}, ${mode} (${m.jobs} queued at fal)`,
				measured: heldMeasured(m),
				target: goal ? '≤ 30 KB' : 'compare',
				met: goal ? heldBytes(m) <= 30 * 1024 : undefined,
			},
			{
				figure: `${AGAINST_IDLE}, ${mode}`,
				measured: memoryMeasured(m),
				target: goal ? 'report (goal on the held figure)' : 'compare',
				met: undefined,
			},
		);
	const f = webhook.falRequests;
	rows.push({
		figure: `fal status requests per queued job, webhook mode (${f.parkedSeconds.min.toFixed(0)}–${f.parkedSeconds.max.toFixed(0)} s at fal)`,
		measured: `max ${f.maxStatusPerJob}, ${((f.kinds['status'] ?? 0) / webhook.jobs).toFixed(1)} on average; no stream: ${f.kinds['stream'] ?? 0} opened`,
		target: `≤ 1 per 15 s (≤ ${f.allowedStatusPerJob})`,
		met: f.maxStatusPerJob <= f.allowedStatusPerJob && (f.kinds['stream'] ?? 0) === 0,
	});
	const complete = r.runs[0];
	if (complete) {
		const { median, max, kinds } = complete.fal.requestsPerJob;
		rows.push({
			figure: `fal HTTP requests per complete ${FIXED_JOB_SECONDS}-s job, webhook mode (webhook to another process)`,
			measured: `${max} (median ${median}: ${Object.entries(kinds)
				.map(([kind, n]) => `${n} ${kind}`)
				.join(', ')})`,
			target: 'report',
			met: undefined,
		});
	}
	return rows;
}

/** The numbers behind the rows: where each run's time and CPU went, and the memory split. */
export function scaleDetails(r: ScaleResult): string[] {
	const out: string[] = [];
	for (const run of r.runs) {
		const { cpu, discord, stages, fal } = run;
		const span = run.spanMs / 1000;
		const share = (s: number) => `${s.toFixed(1)} s (${percent(s / span)} of a core)`;
		out.push(
			`- ${run.workers} worker${run.workers === 1 ? '' : 's'}: p50 / p90 /animate → at fal ${seconds(stages.toFal.p50)} / ${seconds(stages.toFal.p90)}, at fal ${seconds(stages.atFal.p50)}, fal done → posted ${seconds(stages.afterFal.p50)} / ${seconds(stages.afterFal.p90)}; ` +
				`CPU over ${span.toFixed(1)} s: gateway ${share(cpu.gateway)}, workers ${cpu.workers.map((s) => s.toFixed(1)).join(' + ')} s, fakes ${share(cpu.fakes)}, PostgreSQL ${share(cpu.postgres)}, Redis ${share(cpu.redis)}, everything else ${share(cpu.rest)}; machine ${percent(cpu.machineBusy)} busy (${percent(cpu.busyBefore)} just before); ` +
				`Discord ${discord.requests} requests, ${discord.rateLimited} × 429, peak ${discord.peakGlobalPerSecond}/s against the global limit, ${discord.lateAcks} acks over 3 s; at most ${fal.mostAtOnce} jobs at fal at once; ${fal.webhooksToGateway} webhooks taken by the gateway; ${run.statusPolls} status polls`,
		);
	}
	const perJob = r.runs[0]?.discord.perJob;
	if (perJob)
		out.push(
			`- Discord requests per job (1 worker): ${Object.entries(perJob)
				.map(([route, n]) => `${n.toFixed(1)} × ${route}`)
				.join(', ')}`,
		);
	const kbOr = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : kb(bytes));
	const rssOf = (per: PerJob) => per.rssAfterGc ?? per.rss;
	out.push(
		`- memory per in-flight job, side by side (RSS after a full GC; V8 heap): ${[r.memory.webhook, r.memory.stream, r.memory.webhookReturningMalloc]
			.map(
				(m) =>
					`${m === r.memory.webhookReturningMalloc ? 'webhook mode, glibc returning freed memory' : `${m.mode} mode`}: held ${m.finished ? `${kb(rssOf(m.finished.held))}; ${kbOr(m.finished.held.heapAfterGc)}` : 'n/a'}, against the process before them ${kb(rssOf(m.perJob))}; ${kbOr(m.perJob.heapAfterGc)}`,
			)
			.join(' | ')}`,
	);
	for (const m of [r.memory.stream, r.memory.webhook, r.memory.webhookReturningMalloc]) {
		const native =
			m.perJob.rssAfterGc === undefined || m.perJob.heapTotalAfterGc === undefined ? undefined : m.perJob.rssAfterGc - m.perJob.heapTotalAfterGc;
		const label = `${m.mode} mode${m === r.memory.webhookReturningMalloc ? ' (glibc returning freed memory)' : ''}`;
		out.push(
			`- ${label}, per in-flight job against the process before them: RSS ${kb(m.perJob.rss)} as it is, ${m.perJob.rssAfterGc === undefined ? 'n/a' : kb(m.perJob.rssAfterGc)} after a full GC, of which V8 heap ${m.perJob.heapAfterGc === undefined ? 'n/a' : `${kb(m.perJob.heapAfterGc)} live / ${kb(m.perJob.heapTotalAfterGc!)} reserved`} and ${native === undefined ? 'n/a' : kb(native)} outside the V8 heap; ${m.openStreams} status streams open; fal requests of the parked jobs: ${JSON.stringify(m.falRequests.kinds)}`,
		);
		const f = m.finished;
		if (!f) continue;
		const heldNative =
			f.held.rssAfterGc === undefined || f.held.heapTotalAfterGc === undefined ? undefined : f.held.rssAfterGc - f.held.heapTotalAfterGc;
		out.push(
			`- ${label}, after the jobs finished (released ${RELEASED_PER_SECOND}/s at fal, each posted as a link): ${f.delivered} delivered (${f.postedAsLinks} links posted), ${f.failed} failed, in ${seconds(f.durationMs)}; peak RSS while finishing ${mb(f.peakRss)} (while submitting ${mb(m.peakRssDuringRamp)}); ` +
				`RSS after a full GC ${mb(m.idle.rssAfterGc ?? m.idle.rss)} before → ${mb(m.loaded.rssAfterGc ?? m.loaded.rss)} in flight → ${mb(f.reading.rssAfterGc ?? f.reading.rss)} after; ` +
				`held per job: RSS ${kb(f.held.rss)} as it is, ${kbOr(f.held.rssAfterGc)} after a full GC, of which V8 heap ${f.held.heapAfterGc === undefined ? 'n/a' : `${kb(f.held.heapAfterGc)} live / ${kb(f.held.heapTotalAfterGc!)} reserved`} and ${kbOr(heldNative)} outside the V8 heap; ` +
				`left per job once finished (after − before): RSS ${kbOr(f.left.rssAfterGc)} after a full GC, V8 heap ${kbOr(f.left.heapAfterGc)} live; ${f.openStreams} status streams still open`,
		);
	}
	return out;
}
