import { readFileSync } from 'node:fs';
import type { RecordedRequest } from '../../fakes/discord/index.js';
import { DEFAULT_VIDEO_PATH, type JobScript } from '../../fakes/fal/index.js';
import { dispatchAnimates, members, startRig } from '../harness.js';
import { Inspector } from '../inspector.js';
import { peakRss, resetPeak, RssSampler, type Sample } from '../memory.js';
import { max, median, MiB, quiet, sleep, until } from '../stats.js';

export const VIDEO_BYTES = 9 * MiB;
const RUNS = 5;
const QUEUE_MS = 50;
const RUN_MS = 1_500;

/** The fixture video padded to `size` with an MP4 `free` box, so it stays a valid MP4. */
export function paddedVideo(size: number): Buffer {
	const fixture = readFileSync(DEFAULT_VIDEO_PATH);
	const padding = Buffer.alloc(size - fixture.length);
	padding.writeUInt32BE(padding.length, 0);
	padding.write('free', 4, 'latin1');
	return Buffer.concat([fixture, padding]);
}

export interface RelayRun {
	readonly warmUp: boolean;
	readonly baselineRss: number;
	readonly sampledPeakRss: number;
	readonly hwmPeakRss: number | undefined;
	readonly growthBytes: number;
	readonly samples: number;
	/** ms from fal's completion to each step. */
	readonly resultRequestMs: number;
	readonly fileRequestMs: number;
	readonly postArrivedMs: number;
	readonly messageCreatedMs: number;
	readonly attachmentBytes: number;
	/** RSS growth over the baseline (MB) every ~10 ms, from 50 ms before fal completes: [ms, MB]. */
	readonly timeline: [number, number][];
}

export interface RelayResult {
	readonly fileBytes: number;
	readonly runs: RelayRun[];
	readonly growth: { readonly median: number; readonly max: number; readonly ratioMax: number; readonly ratioMedian: number };
	readonly overhead: {
		readonly median: number;
		readonly max: number;
		readonly medianPostArrived: number;
		readonly medianResultRequest: number;
		readonly medianFileRequest: number;
	};
	readonly hwmAvailable: boolean;
	readonly gcBeforeEachRun: boolean;
	readonly durationMs: number;
}

/**
 * Delivers a 9 MB video, one job at a time (a warm-up, then five measured). Half a second before
 * fal completes, a full GC is forced through the inspector so the baseline holds no garbage from
 * the previous run; the bot's RSS is then sampled every 5 ms from a worker thread, and its kernel
 * high-water mark (VmHWM) is reset 100 ms before completion, so the peak is exact even between samples.
 */
export async function relay(log: (text: string) => void): Promise<RelayResult> {
	const started = Date.now();
	const video = paddedVideo(VIDEO_BYTES);
	// A server with a 25 MB upload limit, so the bot attaches the file instead of linking it.
	const rig = await startRig({ MAX_JOBS_PER_USER: '2' }, { attachmentSizeLimit: 25 * MiB });
	const { discord, fal, bot } = rig;
	const script: JobScript = { queuePositions: [0], queueStepMs: QUEUE_MS, runMs: RUN_MS, resultFile: video };
	const runs: RelayRun[] = [];
	let hwmAvailable = true;
	try {
		const image = discord.addAttachment('source-1024x576.png');
		const [user] = members(1, 'relay');
		const inspector = await Inspector.attach(bot);
		for (let run = 0; run <= RUNS; run += 1) {
			log(`  ${run === 0 ? 'warm-up' : `run ${run}/${RUNS}`}: a ${(VIDEO_BYTES / MiB).toFixed(0)} MB video`);
			await quiet(() => discord.requests.length + fal.requests.length, 500, 10_000);
			const before = fal.submits.length;
			fal.script(script);
			const [interaction] = await dispatchAnimates(discord, image, [user!], 0);
			await until(() => fal.submits.length > before, 20_000, 'the submit', 2);
			const { requestId, at: submittedAt } = fal.submits[before]!;
			const sampler = new RssSampler(bot.pid, 5);
			const completesAt = submittedAt + QUEUE_MS + RUN_MS;
			await sleep(completesAt - 500 - Date.now());
			await inspector?.collectGarbage();
			await sleep(completesAt - 100 - Date.now());
			hwmAvailable = resetPeak(bot.pid) && hwmAvailable;
			await bot.waitForLog((line) => line.msg === 'job delivered' && line['requestId'] === requestId, 30_000);
			await sleep(300);
			const hwm = hwmAvailable ? peakRss(bot.pid) : undefined;
			const samples = await sampler.stop();

			const completedAt = fal.job(requestId)!.completedAt!;
			const before150 = samples.filter((s) => s.at >= completedAt - 150 && s.at < completedAt);
			const baselineRss = median((before150.length > 0 ? before150 : samples.filter((s) => s.at < completedAt).slice(-1)).map((s: Sample) => s.rss));
			const sampledPeakRss = max(samples.filter((s) => s.at >= completedAt).map((s) => s.rss));
			const card = discord.interaction(interaction!.id)?.original?.id;
			const post = discord.requests.find(
				(r: RecordedRequest) =>
					r.route === 'POST /channels/:channel/messages' &&
					r.status === 200 &&
					(r.body as { message_reference?: { message_id?: string } }).message_reference?.message_id === card,
			);
			if (!post) throw new Error('the video was not posted in the channel');
			const message = discord.message((post.response as { id: string }).id)!;
			const at = (kind: string) =>
				fal.requests.find((r) => r.kind === kind && (r.requestId === requestId || r.targetUrl.includes(requestId)))?.at ?? Number.NaN;
			runs.push({
				warmUp: run === 0,
				baselineRss,
				sampledPeakRss,
				hwmPeakRss: hwm,
				growthBytes: Math.max(sampledPeakRss, hwm ?? 0) - baselineRss,
				samples: samples.length,
				resultRequestMs: at('result') - completedAt,
				fileRequestMs: at('file') - completedAt,
				postArrivedMs: post.at - completedAt,
				messageCreatedMs: Date.parse(message.timestamp) - completedAt,
				attachmentBytes: message.attachments[0]?.size ?? 0,
				timeline: samples
					.filter((s, i) => s.at >= completedAt - 50 && i % 2 === 0)
					.map((s) => [s.at - completedAt, Math.round(((s.rss - baselineRss) / MiB) * 10) / 10]),
			});
			if ((message.attachments[0]?.size ?? 0) !== VIDEO_BYTES)
				throw new Error(`the video was not attached whole (${JSON.stringify(message.attachments)})`);
		}
		inspector?.close();
		const measured = runs.filter((r) => !r.warmUp);
		const growth = measured.map((r) => r.growthBytes);
		const overhead = measured.map((r) => r.messageCreatedMs);
		return {
			fileBytes: VIDEO_BYTES,
			runs,
			growth: { median: median(growth), max: max(growth), ratioMedian: median(growth) / VIDEO_BYTES, ratioMax: max(growth) / VIDEO_BYTES },
			overhead: {
				median: median(overhead),
				max: max(overhead),
				medianPostArrived: median(measured.map((r) => r.postArrivedMs)),
				medianResultRequest: median(measured.map((r) => r.resultRequestMs)),
				medianFileRequest: median(measured.map((r) => r.fileRequestMs)),
			},
			hwmAvailable,
			gcBeforeEachRun: inspector !== undefined,
			durationMs: Date.now() - started,
		};
	} finally {
		await rig.close();
	}
}
