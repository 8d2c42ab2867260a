import type { JobScript } from '../../fakes/fal/index.js';
import { dispatchAnimates, freePort, members, startRig } from '../harness.js';
import { Inspector } from '../inspector.js';
import { rss, settledRss } from '../memory.js';
import { quiet, sleep, until } from '../stats.js';

export const IN_FLIGHT = 1_000;
const WARM_UP = 3;

/**
 * Sits in fal's queue (position 7) for an hour: the job stays submitted, its status stream open.
 * Released (`fal.release`), it ends at once with a result whose video is over the server's upload
 * limit, so the bot posts a link: delivering it moves no video bytes, so finishing the jobs adds as
 * little as it can to the memory the process holds afterwards (see `finish` below).
 */
const PARKED: JobScript = {
	queuePositions: [7],
	queueStepMs: 3_600_000,
	result: {
		image: { url: 'https://v3.fal.media/files/bench/output.mp4', content_type: 'video/mp4', file_name: 'output.mp4', file_size: 1024 ** 3 },
		seed: 7,
	},
};

/** The parked jobs are released this many a second: the pace of Discord's global limit, which their posts go through. */
export const RELEASED_PER_SECOND = 50;

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

/** Per in-flight job, bytes: a difference between two readings divided by the number of jobs. */
export interface PerJob {
	readonly rss: number;
	readonly rssAfterGc: number | undefined;
	readonly heapAfterGc: number | undefined;
	readonly heapTotalAfterGc: number | undefined;
}

/** The same process once the parked jobs were released and every one of them had ended. */
export interface Finished {
	readonly reading: Reading;
	/** Jobs delivered (a link each) and jobs that failed instead, of the parked ones. */
	readonly delivered: number;
	readonly failed: number;
	/** Messages posted with no file while they finished: the links. */
	readonly postedAsLinks: number;
	/** First release → last job ended. */
	readonly durationMs: number;
	readonly peakRss: number;
	/** What an in-flight job holds: (in flight − after they finished) ÷ jobs. The allocator's burst high-water mark is in both readings. */
	readonly held: PerJob;
	/** What is left of each job once it finished, with the allocator's high-water mark: (after they finished − before them) ÷ jobs. */
	readonly left: PerJob;
	/** Status streams still open once every job had ended. */
	readonly openStreams: number;
}

export interface InFlightResult {
	readonly mode: FollowMode;
	readonly settings: Record<string, string>;
	readonly jobs: number;
	readonly idle: Reading;
	readonly loaded: Reading;
	readonly peakRssDuringRamp: number;
	/** Per job: RSS after a full GC when the inspector could be opened, else RSS as it is. */
	readonly perJobBytes: number;
	/** (in flight − before them) ÷ jobs. */
	readonly perJob: PerJob;
	/** Taken when asked for (`finish`). */
	readonly finished: Finished | undefined;
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

const perJobBetween = (before: Reading, after: Reading, jobs: number): PerJob => {
	const per = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : (b - a) / jobs);
	return {
		rss: (after.rss - before.rss) / jobs,
		rssAfterGc: per(before.rssAfterGc, after.rssAfterGc),
		heapAfterGc: per(before.heapAfterGc, after.heapAfterGc),
		heapTotalAfterGc: per(before.heapTotalAfterGc, after.heapTotalAfterGc),
	};
};

/**
 * The bot's RSS with no job, then with 1,000 jobs submitted and waiting in fal's queue, each with
 * its card showing the queue position and, in stream mode, its status stream open (in webhook mode
 * the bot's HTTP server takes fal's webhooks and each job asks for its status every 15 s). Each reading is a median over
 * a few seconds once the process has been quiet, after a few complete warm-up jobs; it is taken as
 * the process is, then again after a full garbage collection forced through the inspector, since
 * how much garbage V8 happens to hold at that moment otherwise swings the figure by 100s of KB/job.
 *
 * With `finish`, the parked jobs are then released at fal, 50 a second, each delivered as a link,
 * and once every one has ended the same reading is taken again: the difference between the two
 * is what the jobs held while in flight, with whatever the allocator kept from the burst of
 * submissions present in both readings instead of only in the second, as against the idle one.
 */
export async function inFlight(
	log: (text: string) => void,
	mode: FollowMode = 'stream',
	extraEnv: Record<string, string> = {},
	{ finish = false }: { finish?: boolean } = {},
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
		// With `finish`, the last warm-up job is delivered as a link, as the released jobs will be, so that path is not new then.
		for (let i = 0; i < WARM_UP; i += 1)
			fal.script({
				queuePositions: [1, 0],
				queueStepMs: 200,
				runMs: 600,
				logs: ['Step 10/20', 'Step 20/20'],
				...(finish && i === WARM_UP - 1 ? { result: PARKED.result } : {}),
			});
		await dispatchAnimates(discord, image, members(WARM_UP, 'warm'), 100);
		const delivered = () => bot.count((line) => line.msg === 'job delivered');
		const failed = () => bot.count((line) => line.msg === 'job failed' || line.msg === 'fal job failed');
		await until(() => delivered() >= WARM_UP, 30_000, 'the warm-up deliveries');
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
		const perJob = perJobBetween(idle, loaded, IN_FLIGHT);
		const openStreams = streaming();

		let finished: Finished | undefined;
		if (finish) {
			log(`  releasing the ${IN_FLIGHT} jobs at fal, ${RELEASED_PER_SECOND} a second; each is delivered as a link`);
			const ended = () => delivered() + failed();
			const before = ended();
			let peakFinishing = loaded.rss;
			const watchFinishing = setInterval(() => (peakFinishing = Math.max(peakFinishing, rss(bot.pid))), 100);
			const releasing = Date.now();
			const firstRequest = discord.requests.length;
			for (let i = 0; i < parked.length; i += RELEASED_PER_SECOND) {
				for (const id of parked.slice(i, i + RELEASED_PER_SECOND)) fal.release(id);
				await sleep(Math.max(0, releasing + ((i + RELEASED_PER_SECOND) / RELEASED_PER_SECOND) * 1_000 - Date.now()));
			}
			await until(() => ended() >= before + IN_FLIGHT, 300_000, `the ${IN_FLIGHT} released jobs to end`, 100);
			const durationMs = Date.now() - releasing;
			// The last card edits follow the posts; then the process must be quiet, as for the other readings.
			await quiet(() => discord.requests.length + fal.requests.length, 3_000, 120_000);
			clearInterval(watchFinishing);
			await sleep(2_000);
			const reading = await read(bot.pid, inspector);
			const stillOpen = parked.filter((id) => fal.job(id)?.status !== 'COMPLETED').length;
			if (stillOpen > 0) throw new Error(`${stillOpen} released jobs are not COMPLETED at the fake fal`);
			finished = {
				reading,
				delivered: delivered() - WARM_UP,
				failed: failed(),
				postedAsLinks: discord.requests
					.slice(firstRequest)
					.filter((r) => r.route === 'POST /channels/:channel/messages' && r.status === 200 && r.files.length === 0).length,
				durationMs,
				peakRss: peakFinishing,
				held: perJobBetween(reading, loaded, IN_FLIGHT),
				left: perJobBetween(idle, reading, IN_FLIGHT),
				openStreams: parked.filter((id) => fal.requestsFor(id).some((r) => r.kind === 'stream' && r.closedAt === undefined)).length,
			};
			log(
				`  ${finished.delivered} delivered (${finished.postedAsLinks} links posted), ${finished.failed} failed in ${(durationMs / 1000).toFixed(1)} s; RSS after a full GC ${reading.rssAfterGc === undefined ? 'n/a' : `${(reading.rssAfterGc / 1024 / 1024).toFixed(1)} MB`}`,
			);
		}
		inspector?.close();
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
			finished,
			openStreams,
			deferFailures: bot.count((line) => line.msg.startsWith('defer failed')),
			durationMs: Date.now() - started,
		};
	} finally {
		await rig.close();
	}
}
