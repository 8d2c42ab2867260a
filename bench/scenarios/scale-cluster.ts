import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { FakeDiscord, type RecordedRequest } from '../../fakes/discord/index.js';
import { FakeFal, type JobScript } from '../../fakes/fal/index.js';
import { BotProcess } from '../../test/support/bot-process.js';
import { ADMIN_URL, createTestDatabase, dropQueuePrefix, freshQueuePrefix, TEST_REDIS_URL } from '../../test/support/services.js';
import { BOT_TOKEN, envFor } from '../../test/support/world.js';
import { cpuBetween, cpuOfEach, cpuSeconds, machineTimes, ownCpuSeconds, pidsNamed, quietMachine } from '../cpu.js';
import { benchSettings, dispatchAnimates, freePort, members, tally } from '../harness.js';
import { max, median, percentile, quiet, until } from '../stats.js';
import { mostAtOnce } from '../../test/support/spans.js';

/** Every job is 5 s at fal: 1 s in its queue (two positions), then 4 s running. */
export const FIXED_JOB: JobScript = { queuePositions: [1, 0], queueStepMs: 500, runMs: 4_000 };
export const FIXED_JOB_SECONDS = 5;
export const CLUSTER_JOBS = 150;
/** The jobs arrive over this long (50 a second). */
export const ARRIVAL_MS = 3_000;
/** High enough that fal slots are not what limits (150 jobs × 5 s would need 150 at once to finish in 5 s). */
export const CLUSTER_MAX_FAL_JOBS = 200;

export interface ClusterRun {
	readonly workers: number;
	readonly jobs: number;
	readonly delivered: number;
	/** First /animate dispatched → last video posted. */
	readonly spanMs: number;
	/** jobs ÷ span, per minute: what the cluster delivered, fal's 5 s per job included. */
	readonly perMinute: number;
	/** Between the 10th and the 90th percentile video: the pace once the pipeline is full. */
	readonly steadyPerMinute: number;
	/** CPU seconds over the measured span. */
	readonly cpu: {
		readonly gateway: number;
		readonly workers: readonly number[];
		/** The benchmark process: the fake Discord and the fake fal. */
		readonly fakes: number;
		/** The PostgreSQL server processes serving this run's database. */
		readonly postgres: number;
		/** The whole Redis server (other users of it included). */
		readonly redis: number;
		/** Everything else on the machine: the OS, and whatever else runs there. */
		readonly rest: number;
		/** Share of every core's time the machine was busy. */
		readonly machineBusy: number;
		/** Share of the machine busy in the second before the run started (other work on it). */
		readonly busyBefore: number;
	};
	readonly discord: {
		readonly requests: number;
		readonly rateLimited: number;
		/** The most requests that count toward Discord's global limit (50/s) in any one second. */
		readonly peakGlobalPerSecond: number;
		readonly lateAcks: number;
		/** Requests per job by route, over every job of the run. */
		readonly perJob: Record<string, number>;
	};
	readonly fal: {
		readonly mostAtOnce: number;
		readonly requestsPerJob: { readonly median: number; readonly max: number; readonly kinds: Record<string, number> };
		readonly webhooksToGateway: number;
	};
	readonly statusPolls: number;
	/** Where a job's time went, p50 / p90 ms: /animate → submitted to fal, at fal, fal done → video posted. */
	readonly stages: Record<'toFal' | 'atFal' | 'afterFal', { readonly p50: number; readonly p90: number }>;
}

type Stage = ClusterRun['stages']['toFal'];
const stage = (values: readonly number[]): Stage => ({ p50: percentile(values, 50), p90: percentile(values, 90) });

/** Interaction callbacks and interaction webhooks are exempt from the global limit (Discord and the fake). */
const countsGlobally = (r: RecordedRequest) =>
	!r.route.includes('/interactions/') && !r.route.includes('/webhooks/') && !r.route.includes('attachments/');

function peakPerSecond(requests: readonly RecordedRequest[]): number {
	const perSecond = tally(requests.filter(countsGlobally).map((r) => String(Math.floor(r.at / 1000))));
	return max(Object.values(perSecond));
}

/** The PostgreSQL backends connected to one database, by pid. */
async function backendsOf(databaseUrl: string): Promise<number[]> {
	const admin = new pg.Client({ connectionString: ADMIN_URL });
	await admin.connect();
	try {
		const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
			new URL(databaseUrl).pathname.slice(1),
		]);
		return rows.map((row) => row.pid);
	} finally {
		await admin.end();
	}
}

const isVideoPost = (r: RecordedRequest) => r.route === 'POST /channels/:channel/messages' && r.status === 200 && r.files.length === 1;

/**
 * One gateway process (ROLE=gateway: takes the interactions and fal's webhooks, drives nothing) and
 * `workers` worker processes (ROLE=worker) on a fresh PostgreSQL database and a fresh Redis prefix,
 * in webhook mode: every submit names the gateway's POST /fal/webhook, as if a load balancer sent
 * every delivery to a process that drives none of the jobs. 150 members each send /animate within
 * 3 s; every job is 5 s at fal. The run starts once the machine has been quiet for a second (or
 * after 30 s), and the CPU each process used is read from /proc.
 */
export async function clusterRun(workers: number, log: (text: string) => void): Promise<ClusterRun> {
	const database = await createTestDatabase();
	const prefix = freshQueuePrefix();
	const discord = await FakeDiscord.start({ token: BOT_TOKEN });
	const fal = await FakeFal.start();
	const gatewayPort = await freePort();
	const envOf = async (role: string) =>
		envFor(
			discord,
			fal,
			benchSettings({
				ROLE: role,
				HTTP_PORT: String(role === 'gateway' ? gatewayPort : await freePort()),
				DATABASE_URL: database.url,
				REDIS_URL: TEST_REDIS_URL,
				QUEUE_PREFIX: prefix,
				FAL_WEBHOOK_URL: `http://127.0.0.1:${gatewayPort}/fal/webhook`,
				FAL_WEBHOOK_JWKS_URL: fal.jwksUrl,
				MAX_FAL_JOBS: String(CLUSTER_MAX_FAL_JOBS),
				GUILD_JOBS_PER_DAY: '10000',
			}),
		);
	const envs = [await envOf('gateway'), ...(await Promise.all(Array.from({ length: workers }, () => envOf('worker'))))];
	const [gateway, ...pool] = envs.map((env) => new BotProcess(env));
	const bots = [gateway!, ...pool];
	const delivered = () => pool.reduce((sum, bot) => sum + bot.count((line) => line.msg === 'job delivered'), 0);
	try {
		await Promise.all([
			gateway!.waitForLog((line) => line.msg.startsWith('commands '), 30_000),
			...pool.map((bot) => bot.waitForLog((line) => line.msg === 'worker started (REST only)', 30_000)),
		]);
		await discord.ready();
		const image = discord.addAttachment('source-1024x576.png');

		// Warm-up: a few complete jobs, so no process meets a code path for the first time while measured.
		const warmUp = 2 * workers;
		fal.setDefaultScript({ queuePositions: [0], queueStepMs: 100, runMs: 300 });
		await dispatchAnimates(discord, image, members(warmUp, 'warm'), 100);
		await until(() => delivered() >= warmUp, 60_000, 'the warm-up deliveries');
		await quiet(() => discord.requests.length + fal.requests.length, 1_000, 20_000);

		const busyBefore = await quietMachine();
		fal.setDefaultScript(FIXED_JOB);
		const firstDiscord = discord.requests.length;
		const firstSubmit = fal.submits.length;
		const cpuBefore = bots.map((bot) => cpuSeconds(bot.pid));
		const servicesBefore = cpuOfEach([...(await backendsOf(database.url)), ...pidsNamed('redis-server')]);
		const fakesBefore = ownCpuSeconds();
		const machineBefore = machineTimes();
		const started = Date.now();
		log(`  ${workers} worker${workers === 1 ? '' : 's'}: ${CLUSTER_JOBS} /animate within 3 s`);
		const crowd = members(CLUSTER_JOBS, `w${workers}-`);
		const interactions = await dispatchAnimates(discord, image, crowd, ARRIVAL_MS / CLUSTER_JOBS);
		await until(() => delivered() >= warmUp + CLUSTER_JOBS, 180_000, `${CLUSTER_JOBS} deliveries with ${workers} workers`, 50);
		const ended = Date.now();
		const cpuAfter = bots.map((bot) => cpuSeconds(bot.pid));
		const fakes = ownCpuSeconds() - fakesBefore;
		const machineAfter = machineTimes();
		const redisPids = pidsNamed('redis-server');
		const backends = cpuOfEach(await backendsOf(database.url));
		const redisAfter = cpuOfEach(redisPids);
		const postgres = cpuBetween(servicesBefore, backends);
		const redis = cpuBetween(servicesBefore, redisAfter);
		// The last card edits follow the posts; let them land before counting requests.
		await quiet(() => discord.requests.length, 1_000, 10_000);

		const requests = discord.requests.slice(firstDiscord);
		const posts = requests
			.filter(isVideoPost)
			.map((r) => r.at)
			.sort((a, b) => a - b);
		const lastPost = posts.at(-1) ?? ended;
		const p10 = percentile(posts, 10);
		const p90 = percentile(posts, 90);
		const steadyJobs = posts.filter((at) => at >= p10 && at <= p90).length - 1;
		const spent = cpuAfter.map((after, i) => after - cpuBefore[i]!);
		const machine = { busy: machineAfter.busy - machineBefore.busy, total: machineAfter.total - machineBefore.total };
		const ids = fal.submits.slice(firstSubmit).map((s) => s.requestId);
		const counts = ids.map((id) => fal.requestCount(id));
		const QUEUE = new Set(['submit', 'status', 'stream', 'result', 'cancel']);
		const sampleKinds = tally(
			fal
				.requestsFor(ids[counts.indexOf(median(counts))] ?? '')
				.filter((r) => QUEUE.has(r.kind))
				.map((r) => r.kind),
		);
		const spans = ids.map((id) => {
			const job = fal.job(id)!;
			return { from: job.submittedAt, to: job.completedAt ?? ended };
		});
		const lateAcks = interactions.filter(({ id }) => {
			const state = discord.interaction(id);
			return state?.acknowledgedAt === undefined || state.acknowledgedAt - state.dispatchedAt > 3_000;
		}).length;
		// Each job's timeline: dispatched (by member), submitted and completed at fal, its video posted (the reply to its card).
		const dispatchedBy = new Map(interactions.map(({ id }, i) => [crowd[i]!.id, discord.interaction(id)!.dispatchedAt]));
		const submittedLines = pool.flatMap((bot) => bot.lines.filter((line) => line.msg === 'job submitted'));
		const postedAt = new Map(
			pool.flatMap((bot) => bot.lines.filter((line) => line.msg === 'job delivered').map((line) => [String(line['requestId']), line.receivedAt])),
		);
		const timelines = ids.flatMap((id) => {
			const line = submittedLines.find((l) => l['requestId'] === id);
			const dispatched = dispatchedBy.get(String(line?.['userId']));
			const job = fal.job(id)!;
			const posted = postedAt.get(id);
			return dispatched === undefined || job.completedAt === undefined || posted === undefined ? [] : [{ dispatched, job, posted }];
		});
		const stages = {
			toFal: stage(timelines.map((t) => t.job.submittedAt - t.dispatched)),
			atFal: stage(timelines.map((t) => t.job.completedAt! - t.job.submittedAt)),
			afterFal: stage(timelines.map((t) => t.posted - t.job.completedAt!)),
		};
		return {
			stages,
			workers,
			jobs: CLUSTER_JOBS,
			delivered: posts.length,
			spanMs: lastPost - started,
			perMinute: (CLUSTER_JOBS / (lastPost - started)) * 60_000,
			steadyPerMinute: p90 > p10 ? (steadyJobs / (p90 - p10)) * 60_000 : Number.POSITIVE_INFINITY,
			cpu: {
				gateway: spent[0]!,
				workers: spent.slice(1),
				fakes,
				postgres,
				redis,
				rest: Math.max(0, machine.busy - spent.reduce((a, b) => a + b, 0) - fakes - postgres - redis),
				machineBusy: machine.busy / machine.total,
				busyBefore,
			},
			discord: {
				requests: requests.length,
				rateLimited: requests.filter((r) => r.status === 429).length,
				peakGlobalPerSecond: peakPerSecond(requests),
				lateAcks,
				perJob: Object.fromEntries(Object.entries(tally(requests.map((r) => r.route))).map(([route, n]) => [route, n / CLUSTER_JOBS])),
			},
			fal: {
				mostAtOnce: mostAtOnce(spans),
				requestsPerJob: { median: median(counts), max: max(counts), kinds: sampleKinds },
				webhooksToGateway: fal.webhookDeliveries.filter((d) => ids.includes(d.requestId) && d.status === 200).length,
			},
			statusPolls: ids.reduce((sum, id) => sum + fal.requestsFor(id).filter((r) => r.kind === 'status').length, 0),
		};
	} finally {
		await Promise.all(
			bots.map(async (bot) => {
				const timer = setTimeout(() => void bot.kill('SIGKILL'), 5_000);
				await bot.kill('SIGTERM');
				clearTimeout(timer);
			}),
		);
		await discord.close();
		await fal.close();
		await database.drop();
		await dropQueuePrefix(prefix);
		for (const env of envs) rmSync(dirname(env['DATABASE_PATH']!), { recursive: true, force: true });
	}
}
