import type { JobScript } from '../../fakes/fal/index.js';
import { dispatchAnimates, freePort, members, startRig } from '../harness.js';
import { Inspector } from '../inspector.js';
import { rss, settledRss } from '../memory.js';
import { quiet, sleep, until } from '../stats.js';

export const IN_FLIGHT = 1_000;
const WARM_UP = 3;

/** Sits in fal's queue (position 7) for an hour: the job stays submitted, its status stream open. */
const PARKED: JobScript = { queuePositions: [7], queueStepMs: 3_600_000 };

export interface Reading {
	/** Median RSS over 3 s, as the process is. */
	readonly rss: number;
	/** The same after a full garbage collection (undefined without the inspector). */
	readonly rssAfterGc: number | undefined;
	/** Live V8 heap after that collection. */
	readonly heapAfterGc: number | undefined;
	/** The V8 heap's reserved size after that collection (live objects plus free space V8 keeps). */
	readonly heapTotalAfterGc: number | undefined;
}

/** How the bot follows a job at fal: a status stream per job (the default), or fal's webhooks (FAL_WEBHOOK_URL). */
export type FollowMode = 'stream' | 'webhook';

export interface InFlightResult {
	readonly mode: FollowMode;
	readonly settings: Record<string, string>;
	readonly jobs: number;
	readonly idle: Reading;
	readonly loaded: Reading;
	readonly peakRssDuringRamp: number;
	/** Per job: RSS after a full GC when the inspector could be opened, else RSS as it is. */
	readonly perJobBytes: number;
	readonly perJob: {
		readonly rss: number;
		readonly rssAfterGc: number | undefined;
		readonly heapAfterGc: number | undefined;
		readonly heapTotalAfterGc: number | undefined;
	};
	readonly openStreams: number;
	readonly deferFailures: number;
	readonly durationMs: number;
	/** fal queue requests per parked job by kind (summed over the jobs), and how long they had been at fal. */
	readonly falRequests: {
		readonly kinds: Record<string, number>;
		readonly maxStatusPerJob: number;
		readonly parkedSeconds: { readonly min: number; readonly max: number };
		/** The most status requests any job could make at one per 15 s over its time at fal (webhook mode). */
		readonly allowedStatusPerJob: number;
	};
}

/** Settled RSS, then (through the inspector) a full GC, settled RSS again and the live V8 heap. */
async function read(pid: number, inspector: Inspector | undefined): Promise<Reading> {
	const before = await settledRss(pid, 3_000);
	if (!inspector) return { rss: before, rssAfterGc: undefined, heapAfterGc: undefined, heapTotalAfterGc: undefined };
	await inspector.collectGarbage();
	await inspector.collectGarbage();
	const heap = await inspector.heap();
	return { rss: before, rssAfterGc: await settledRss(pid, 2_000), heapAfterGc: heap.used, heapTotalAfterGc: heap.total };
}

/**
 * The bot's RSS with no job, then with 1,000 jobs submitted and waiting in fal's queue, each with
 * its card showing the queue position and, in stream mode, its status stream open (in webhook mode
 * the bot's HTTP server takes fal's webhooks and each job asks for its status every 15 s). Each reading is a median over
 * a few seconds once the process has been quiet, after a few complete warm-up jobs; it is taken as
 * the process is, then again after a full garbage collection forced through the inspector, since
 * how much garbage V8 happens to hold at that moment otherwise swings the figure by 100s of KB/job.
 */
export async function inFlight(
	log: (text: string) => void,
	mode: FollowMode = 'stream',
	extraEnv: Record<string, string> = {},
): Promise<InFlightResult> {
	const started = Date.now();
	const settings: Record<string, string> = {
		...extraEnv,
		MAX_FAL_JOBS: String(IN_FLIGHT * 2),
		MAX_JOBS_PER_USER: '5',
		USER_COOLDOWN_SECONDS: '0',
		GUILD_JOBS_PER_DAY: String(IN_FLIGHT * 10),
	};
	if (mode === 'webhook') {
		const port = await freePort();
		Object.assign(settings, { HTTP_PORT: String(port), FAL_WEBHOOK_URL: `http://127.0.0.1:${port}/fal/webhook` });
	}
	// The fake fal's JWKS address is known once it runs.
	const rig = await startRig((fal) => (mode === 'webhook' ? { ...settings, FAL_WEBHOOK_JWKS_URL: fal.jwksUrl } : settings));
	const { discord, fal, bot } = rig;
	try {
		const image = discord.addAttachment('source-1024x576.png');
		log(`  warm-up: ${WARM_UP} complete jobs`);
		for (let i = 0; i < WARM_UP; i += 1) fal.script({ queuePositions: [1, 0], queueStepMs: 200, runMs: 600, logs: ['Step 10/20', 'Step 20/20'] });
		await dispatchAnimates(discord, image, members(WARM_UP, 'warm'), 100);
		await until(() => bot.count((line) => line.msg === 'job delivered') >= WARM_UP, 30_000, 'the warm-up deliveries');
		await quiet(() => discord.requests.length + fal.requests.length, 2_000, 20_000);
		const inspector = await Inspector.attach(bot);
		if (!inspector) log('  (could not open the inspector: no forced GC, RSS as it is)');
		await sleep(2_000);
		const idle = await read(bot.pid, inspector);
		log(`  idle RSS ${(idle.rss / 1024 / 1024).toFixed(1)} MB; dispatching ${IN_FLIGHT} /animate over 10 s`);

		fal.setDefaultScript(PARKED);
		let peak = idle.rss;
		const watch = setInterval(() => (peak = Math.max(peak, rss(bot.pid))), 100);
		const submitted = fal.submits.length;
		await dispatchAnimates(discord, image, members(IN_FLIGHT, 'queued'), 10);
		await until(() => fal.submits.length >= submitted + IN_FLIGHT, 180_000, `${IN_FLIGHT} jobs at fal`, 100);
		const parked = fal.submits.slice(submitted).map((s) => s.requestId);
		const streaming = () => parked.filter((id) => fal.requestsFor(id).some((r) => r.kind === 'stream')).length;
		// Webhook mode holds no stream: each job only asks for its status every 15 s.
		if (mode === 'stream') await until(() => streaming() >= IN_FLIGHT, 60_000, 'every status stream', 100);
		log('  all jobs at fal; waiting for the progress edits to drain');
		// discord.js sends at most 50 requests a second: the cards' first edits take ~20 s to go out.
		await quiet(() => discord.requests.length, 3_000, 120_000);
		clearInterval(watch);
		await sleep(2_000);
		const loaded = await read(bot.pid, inspector);
		inspector?.close();
		const readAt = Date.now();
		const QUEUE = new Set(['submit', 'status', 'stream', 'result', 'cancel']);
		const requests = parked.map((id) => fal.requestsFor(id).filter((r) => QUEUE.has(r.kind) && r.at <= readAt));
		const kinds: Record<string, number> = {};
		for (const list of requests) for (const r of list) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
		const parkedSeconds = parked.map((id) => (readAt - fal.job(id)!.submittedAt) / 1000);
		const falRequests = {
			kinds,
			maxStatusPerJob: Math.max(...requests.map((list) => list.filter((r) => r.kind === 'status').length)),
			parkedSeconds: { min: Math.min(...parkedSeconds), max: Math.max(...parkedSeconds) },
			allowedStatusPerJob: Math.floor(Math.max(...parkedSeconds) / 15),
		};
		const per = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : (b - a) / IN_FLIGHT);
		const perJob = {
			rss: (loaded.rss - idle.rss) / IN_FLIGHT,
			rssAfterGc: per(idle.rssAfterGc, loaded.rssAfterGc),
			heapAfterGc: per(idle.heapAfterGc, loaded.heapAfterGc),
			heapTotalAfterGc: per(idle.heapTotalAfterGc, loaded.heapTotalAfterGc),
		};
		return {
			mode,
			falRequests,
			settings,
			jobs: IN_FLIGHT,
			idle,
			loaded,
			peakRssDuringRamp: peak,
			perJobBytes: perJob.rssAfterGc ?? perJob.rss,
			perJob,
			openStreams: streaming(),
			deferFailures: bot.count((line) => line.msg.startsWith('defer failed')),
			durationMs: Date.now() - started,
		};
	} finally {
		await rig.close();
	}
}
