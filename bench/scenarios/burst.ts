import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createFalClient } from '@fal-ai/client';
import type { FakeFal, JobScript } from '../../fakes/fal/index.js';
import { callKind, discordCallsFor, dispatchAnimates, members, startRig, tally } from '../harness.js';
import { max, median, percentile, quiet, until } from '../stats.js';

const steps = (n: number) => Array.from({ length: n }, (_, i) => `Step ${i + 1}/${n}`);

/** 60 s at fal: six queue positions 2 s apart, then 48 s of generation logging each of 20 steps. */
export const JOB_60S: JobScript = { queuePositions: [5, 4, 3, 2, 1, 0], queueStepMs: 2_000, runMs: 48_000, logs: steps(20) };
/** 10 s at fal: three queue positions 1 s apart, then 7 s of generation logging 20 steps. */
export const JOB_10S: JobScript = { queuePositions: [2, 1, 0], queueStepMs: 1_000, runMs: 7_000, logs: steps(20) };
const falSeconds = (script: JobScript) => ((script.queuePositions?.length ?? 1) * (script.queueStepMs ?? 50) + (script.runMs ?? 100)) / 1000;

export const BURST_SIZE = 100;
const SHORT_JOBS = 10;

export interface BurstResult {
	readonly settings: Record<string, string>;
	readonly scripts: { readonly long: JobScript; readonly short: JobScript };
	readonly ack: {
		readonly count: number;
		readonly dispatchSpanMs: number;
		readonly p50: number;
		readonly p99: number;
		readonly max: number;
		readonly samplesMs: number[];
		readonly failedCallbacks: number;
		/** Where the time went, from the bot's own log timestamps (p50 / p99, ms). */
		readonly breakdown: Record<string, { readonly p50: number; readonly p99: number }>;
		/** Event-loop delay of this process (the fakes) during the burst second, ms. */
		readonly harnessLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
	};
	readonly fal: {
		readonly perJob: {
			readonly seconds: number;
			readonly jobs: number;
			readonly median: number;
			readonly max: number;
			readonly kinds: Record<string, number>;
		}[];
		readonly baseline: { readonly seconds: number; readonly requests: number; readonly kinds: Record<string, number> }[];
		readonly storageRequestsPerJob: number;
	};
	readonly discord: {
		readonly perJob: {
			readonly seconds: number;
			readonly jobs: number;
			readonly median: number;
			readonly max: number;
			readonly typical: Record<string, number>;
		}[];
		readonly total: number;
		readonly cdnDownloadsPerJob: number;
		readonly unattributed: Record<string, number>;
		readonly rateLimited: number;
		readonly non2xx: Record<string, number>;
	};
	readonly videos: number;
	readonly durationMs: number;
}

function kinds(fal: FakeFal, requestId: string): Record<string, number> {
	return tally(fal.requestsFor(requestId).map((r) => r.kind));
}

/**
 * 100 /animate from 100 members within one second, each a 60-s job with changing queue positions
 * and step logs, then 10 jobs of 10 s; meanwhile a plain `fal.subscribe` follows a 60-s and a
 * 10-s request on the same fake fal, as the seed did.
 */
export async function burst(log: (text: string) => void): Promise<BurstResult> {
	const started = Date.now();
	// Every job of the burst goes to fal at once (the default cap of 20 would make this 5 minutes of waiting).
	const settings = { MAX_FAL_JOBS: '200', MAX_JOBS_PER_USER: '2', USER_COOLDOWN_SECONDS: '0', GUILD_JOBS_PER_DAY: '1000' };
	const rig = await startRig(settings);
	const { discord, fal, bot } = rig;
	try {
		const image = discord.addAttachment('source-1024x576.png');
		const crowd = members(BURST_SIZE + SHORT_JOBS, 'member');

		// One complete job first, so neither the bot nor the fakes meet a code path for the first
		// time inside the measured second (the fakes compile a request validator per route).
		log('  warm-up: one complete job');
		fal.script({ queuePositions: [1, 0], queueStepMs: 200, runMs: 600, logs: ['Step 10/20', 'Step 20/20'] });
		await dispatchAnimates(discord, image, members(1, 'warm'), 0);
		await until(() => bot.count((line) => line.msg === 'job delivered') >= 1, 30_000, 'the warm-up delivery');
		await quiet(() => discord.requests.length + fal.requests.length, 1_000, 10_000);
		const warmUpIds = new Set(fal.submits.map((s) => s.requestId));
		const first = discord.requests.length;
		const firstFal = fal.requests.length;
		const delivered = bot.count((line) => line.msg === 'job delivered');

		fal.setDefaultScript(JOB_60S);

		log(`  dispatching ${BURST_SIZE} /animate within 1 s (60-s jobs)`);
		const loop = monitorEventLoopDelay({ resolution: 1 });
		loop.enable();
		const long = await dispatchAnimates(discord, image, crowd.slice(0, BURST_SIZE), 1_000 / BURST_SIZE);
		// Every interaction answered (or refused: a late defer is a result too, counted as missing).
		await until(() => long.every(({ id }) => (discord.interaction(id)?.callbacks.length ?? 0) > 0), 10_000, 'every defer', 5);
		loop.disable();
		const harnessLoopDelayMs = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
		await until(() => fal.submits.length >= warmUpIds.size + BURST_SIZE, 60_000, `${BURST_SIZE} submits at fal`);

		// The seed's way: plain fal.subscribe (polling every 500 ms), for the same job scripts.
		// Nothing else submits meanwhile, so each call takes the script queued for it.
		const client = createFalClient({ credentials: fal.key, proxyUrl: { url: fal.url, when: 'always' } });
		const imageUrl = fal.uploads.at(-1)!.fileUrl;
		const baselineIds: { seconds: number; requestId: string }[] = [];
		const subscribe = async (script: JobScript) => {
			const before = fal.submits.length;
			fal.script(script);
			const done = client.subscribe('fal-ai/svd', {
				input: { image_url: imageUrl },
				logs: true,
				onEnqueue: (requestId) => baselineIds.push({ seconds: falSeconds(script), requestId }),
			});
			await until(() => fal.submits.length > before, 10_000, 'the baseline submit');
			// Wrapped: returning the promise itself from an async function would wait for the whole job.
			return { done };
		};
		log('  baseline: plain fal.subscribe for a 60-s and a 10-s request');
		const baselines = [await subscribe(JOB_60S), await subscribe(JOB_10S)];

		const beforeShort = fal.submits.length;
		for (let i = 0; i < SHORT_JOBS; i += 1) fal.script(JOB_10S);
		log(`  dispatching ${SHORT_JOBS} /animate (10-s jobs)`);
		const short = await dispatchAnimates(discord, image, crowd.slice(BURST_SIZE), 20);
		await until(() => fal.submits.length >= beforeShort + SHORT_JOBS, 30_000, 'the 10-s jobs at fal');

		const total = BURST_SIZE + SHORT_JOBS;
		log(`  waiting for ${total} videos (about a minute)`);
		await until(() => bot.count((line) => line.msg === 'job delivered') >= delivered + total, 180_000, `${total} deliveries`, 250);
		await Promise.all(baselines.map((baseline) => baseline.done));
		// The card's last edit ("Video ready") follows the post; let every job finish talking.
		await quiet(() => discord.requests.length, 2_000, 30_000);

		const requests = discord.requests.slice(first);
		const ackMs = long.map(({ id }) => {
			const state = discord.interaction(id)!;
			return state.acknowledgedAt === undefined ? Number.POSITIVE_INFINITY : state.acknowledgedAt - state.dispatchedAt;
		});
		// The bot logs "command received" (with the interaction id) when its handler starts, and
		// "job accepted" (with the user id) once the job row is written, just before it defers.
		const stage = (a: number[], b: number[]) => {
			const d = a.map((x, i) => (b[i] ?? Number.NaN) - x).filter(Number.isFinite);
			return { p50: percentile(d, 50), p99: percentile(d, 99) };
		};
		const dispatched = long.map(({ id }) => discord.interaction(id)!.dispatchedAt);
		const received = long.map(
			({ id }) => (bot.lines.find((l) => l.msg === 'command received' && l['interactionId'] === id)?.['time'] as number) ?? Number.NaN,
		);
		const accepted = long.map(
			(_, i) => (bot.lines.find((l) => l.msg === 'job accepted' && l['userId'] === crowd[i]!.id)?.['time'] as number) ?? Number.NaN,
		);
		const acked = long.map(({ id }) => discord.interaction(id)!.acknowledgedAt ?? Number.NaN);
		const breakdown = {
			'gateway dispatch → handler starts': stage(dispatched, received),
			'handler starts → job accepted': stage(received, accepted),
			'job accepted → defer arrives': stage(accepted, acked),
		};
		const failedCallbacks = requests.filter((r) => r.route === 'POST /interactions/:id/:token/callback' && r.status >= 300).length;

		const attributed = new Set<unknown>();
		const perJobDiscord = (group: typeof long, seconds: number) => {
			const calls = group.map((interaction) => discordCallsFor(discord, requests, interaction));
			for (const list of calls) for (const r of list) attributed.add(r);
			const counts = calls.map((list) => list.length);
			const typicalIndex = counts.indexOf(median(counts));
			return {
				seconds,
				jobs: group.length,
				median: median(counts),
				max: max(counts),
				typical: tally((calls[typicalIndex] ?? []).map(callKind)),
			};
		};
		const discordPerJob = [perJobDiscord(long, falSeconds(JOB_60S)), perJobDiscord(short, falSeconds(JOB_10S))];
		// The CDN download of each job's image is not a REST call; it is counted on its own.
		const cdn = (r: (typeof requests)[number]) => r.route.includes('attachments/');
		const unattributed = tally(requests.filter((r) => !attributed.has(r) && !cdn(r)).map((r) => r.route));
		const non2xx = tally(requests.filter((r) => r.status >= 300).map((r) => `${r.status} ${r.route}`));

		const baselineSet = new Set([...baselineIds.map((b) => b.requestId), ...warmUpIds]);
		const botJobs = fal.submits.filter((s) => !baselineSet.has(s.requestId));
		const byLength = new Map<number, string[]>();
		for (const submit of botJobs) {
			const job = fal.job(submit.requestId)!;
			const seconds = Math.round(((job.completedAt ?? Date.now()) - job.submittedAt) / 1000);
			byLength.set(seconds, [...(byLength.get(seconds) ?? []), submit.requestId]);
		}
		const falPerJob = [...byLength.entries()]
			.sort(([a], [b]) => b - a)
			.map(([seconds, ids]) => {
				const counts = ids.map((id) => fal.requestCount(id));
				return { seconds, jobs: ids.length, median: median(counts), max: max(counts), kinds: kinds(fal, ids[0]!) };
			});
		const storage = fal.requests.slice(firstFal).filter((r) => r.kind.startsWith('upload')).length;

		return {
			settings,
			scripts: { long: JOB_60S, short: JOB_10S },
			ack: {
				count: ackMs.length,
				dispatchSpanMs: Math.max(...dispatched) - Math.min(...dispatched),
				p50: percentile(ackMs, 50),
				p99: percentile(ackMs, 99),
				max: max(ackMs),
				samplesMs: ackMs,
				failedCallbacks,
				breakdown,
				harnessLoopDelayMs,
			},
			fal: {
				perJob: falPerJob,
				baseline: baselineIds.map(({ seconds, requestId }) => ({ seconds, requests: fal.requestCount(requestId), kinds: kinds(fal, requestId) })),
				storageRequestsPerJob: storage / botJobs.length,
			},
			discord: {
				perJob: discordPerJob,
				total: requests.filter((r) => !cdn(r)).length,
				cdnDownloadsPerJob: requests.filter(cdn).length / (long.length + short.length),
				unattributed,
				rateLimited: requests.filter((r) => r.status === 429).length,
				non2xx,
			},
			videos: discord.messages().filter((m) => m.content.includes('your video is ready')).length - delivered,
			durationMs: Date.now() - started,
		};
	} finally {
		await rig.close();
	}
}
