/**
 * `npm run bench`: builds the bot, then drives the REAL built bot (`node dist/index.js`, a child
 * process) against the fake Discord and the fake fal from fakes/, and prints a table of what
 * it measured (also written to bench/results/latest.json). Every figure comes from this run.
 *
 *   npm run bench                          # everything (about 12 minutes on 2 cores)
 *   npm run bench -- --only burst,relay    # some scenarios: burst, in-flight, relay, scale
 *   npm run bench -- --only scale-memory   # scale's memory part alone (no PostgreSQL or Redis needed)
 *
 * `scale` needs PostgreSQL and Redis (TEST_DATABASE_URL, TEST_REDIS_URL; the test defaults) for its
 * cluster runs; without them it says so in the table and measures the rest.
 *
 * Exits non-zero only when the run itself breaks; a missed target is marked in the table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { burst, BURST_SIZE, type BurstResult } from './scenarios/burst.js';
import { inFlight, IN_FLIGHT, type InFlightResult } from './scenarios/in-flight.js';
import { relay, VIDEO_BYTES, type RelayResult } from './scenarios/relay.js';
import { scale, scaleDetails, scaleRows, type ScaleResult } from './scenarios/scale.js';
import { kb, mb, MiB } from './stats.js';

interface Row {
	readonly figure: string;
	readonly measured: string;
	readonly target: string;
	/** undefined: reported, no target. */
	readonly met: boolean | undefined;
}

const SCENARIOS = ['burst', 'in-flight', 'relay', 'scale', 'scale-memory'] as const;
type Scenario = (typeof SCENARIOS)[number];

function selected(): Set<Scenario> {
	const at = process.argv.indexOf('--only');
	if (at < 0) return new Set(SCENARIOS);
	const names = (process.argv[at + 1] ?? '').split(',').filter(Boolean);
	const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
	if (unknown.length > 0 || names.length === 0) throw new Error(`--only takes a comma-separated list of ${SCENARIOS.join(', ')}`);
	return new Set(names as Scenario[]);
}

function machine() {
	const list = cpus();
	return {
		cores: availableParallelism(),
		cpu: list[0]?.model.trim() ?? 'unknown',
		node: process.version,
		os: `${platform()} ${release()}`,
		memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GB`,
	};
}

const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(0)} ms` : 'none');

function burstRows(b: BurstResult): Row[] {
	const fal = (seconds: number) => b.fal.perJob.find((p) => p.seconds === seconds);
	const baseline = (seconds: number) => b.fal.baseline.find((p) => p.seconds === seconds);
	const long = b.discord.perJob[0]!;
	return [
		{
			figure: `ack latency p50 / p99 / max (${b.ack.count} /animate in ${(b.ack.dispatchSpanMs / 1000).toFixed(2)} s)`,
			measured: `${ms(b.ack.p50)} / ${ms(b.ack.p99)} / ${ms(b.ack.max)}`,
			target: 'p99 ≤ 20 ms',
			met: b.ack.p99 <= 20,
		},
		...[60, 10].map((seconds): Row => {
			const own = fal(seconds);
			const seed = baseline(seconds);
			return {
				figure: `fal HTTP requests per job, ${seconds}-s job`,
				measured: `${own ? `${own.max} (median ${own.median}, ${own.jobs} jobs)` : 'none'}; seed's fal.subscribe: ${seed?.requests ?? 'none'}`,
				target: '≤ 3',
				met: own !== undefined && own.max <= 3,
			};
		}),
		{
			figure: `Discord REST calls per job, 60-s job (${long.jobs} jobs)`,
			measured: `max ${long.max}, median ${long.median}`,
			target: '≤ 12',
			met: long.max <= 12,
		},
		{
			figure: `Discord 429s over the burst (${b.discord.total} requests)`,
			measured: String(b.discord.rateLimited),
			target: '0',
			met: b.discord.rateLimited === 0,
		},
	];
}

function inFlightRows(m: InFlightResult): Row[] {
	return [
		{
			figure: `memory per in-flight job (${m.jobs} queued at fal)`,
			measured:
				m.perJob.rssAfterGc === undefined
					? `${kb(m.perJob.rss)} RSS (${mb(m.idle.rss)} → ${mb(m.loaded.rss)}; no forced GC)`
					: `${kb(m.perJob.rssAfterGc)} (RSS after a full GC, ${mb(m.idle.rssAfterGc!)} → ${mb(m.loaded.rssAfterGc!)}); without the GC ${kb(m.perJob.rss)}`,
			target: '≤ 30 KB',
			met: m.perJobBytes <= 30 * 1024,
		},
	];
}

function relayRows(r: RelayResult): Row[] {
	return [
		{
			figure: `video relay: peak RSS growth delivering a ${(r.fileBytes / MiB).toFixed(0)} MB video (${r.runs.length - 1} runs)`,
			measured: `max ${mb(r.growth.max)} = ${r.growth.ratioMax.toFixed(2)} × file (median ${r.growth.ratioMedian.toFixed(2)} ×)`,
			target: '≤ 1.5 × file',
			met: r.growth.ratioMax <= 1.5,
		},
		{
			figure: `end-to-end overhead: fal completion → video message, ${(r.fileBytes / MiB).toFixed(0)} MB`,
			measured: `median ${ms(r.overhead.median)} (max ${ms(r.overhead.max)})`,
			target: 'report median',
			met: undefined,
		},
	];
}

/** The numbers behind the table, for reading a missed target. */
function details(results: { burst?: BurstResult; inFlight?: InFlightResult; relay?: RelayResult }): string[] {
	const out: string[] = [];
	const p = (x: { p50: number; p99: number }) => `${x.p50.toFixed(0)} / ${x.p99.toFixed(0)} ms`;
	const counts = (record: Record<string, number>) =>
		Object.entries(record)
			.map(([k, v]) => `${v} × ${k}`)
			.join(', ') || 'none';
	if (results.burst) {
		const { ack, discord, fal } = results.burst;
		out.push(
			`- ack, p50 / p99 per stage (bot log timestamps): ${Object.entries(ack.breakdown)
				.map(([stage, x]) => `${stage} ${p(x)}`)
				.join('; ')}`,
		);
		out.push(
			`- ack: event-loop delay of the benchmark process itself (it runs the fakes) during the burst: p99 ${ack.harnessLoopDelayMs.p99.toFixed(1)} ms, max ${ack.harnessLoopDelayMs.max.toFixed(1)} ms; refused callbacks: ${ack.failedCallbacks}`,
		);
		for (const job of discord.perJob)
			out.push(
				`- Discord calls of a typical ${job.seconds}-s job: ${counts(job.typical)} (plus ${discord.cdnDownloadsPerJob} CDN download of the image)`,
			);
		out.push(`- Discord calls not tied to a job during the burst: ${counts(discord.unattributed)}; non-2xx answers: ${counts(discord.non2xx)}`);
		for (const job of fal.perJob)
			out.push(
				`- fal requests of a ${job.seconds}-s job: ${counts(job.kinds)} (plus ${fal.storageRequestsPerJob} storage requests to upload the image, not tied to a request id)`,
			);
		for (const seed of fal.baseline) out.push(`- seed's fal.subscribe, ${seed.seconds}-s job: ${counts(seed.kinds)}`);
	}
	if (results.inFlight) {
		const { idle, loaded, perJob, deferFailures, openStreams } = results.inFlight;
		const heap = perJob.heapAfterGc === undefined ? 'n/a' : `${kb(perJob.heapAfterGc)} live, ${kb(perJob.heapTotalAfterGc!)} reserved`;
		out.push(
			`- in flight: RSS ${mb(idle.rss)} → ${mb(loaded.rss)} as it is, ${idle.rssAfterGc === undefined ? 'n/a' : `${mb(idle.rssAfterGc)} → ${mb(loaded.rssAfterGc!)}`} after a full GC; V8 heap per job ${heap}; ${openStreams} status streams open; ${deferFailures} failed defers`,
		);
	}
	if (results.relay) {
		const { overhead, runs } = results.relay;
		const measured = runs.filter((r) => !r.warmUp);
		out.push(
			`- relay: baseline RSS ${measured.map((r) => mb(r.baselineRss)).join(', ')}; growth ${measured.map((r) => mb(r.growthBytes)).join(', ')}`,
		);
		out.push(
			`- relay, median ms after fal completes: result requested ${overhead.medianResultRequest}, video download starts ${overhead.medianFileRequest}, upload reaches Discord ${overhead.medianPostArrived}, message stored ${overhead.median}`,
		);
	}
	return out;
}

function table(rows: readonly Row[]): string {
	const cells = [
		['figure', 'measured', 'target', 'met'],
		...rows.map((r) => [r.figure, r.measured, r.target, r.met === undefined ? '—' : r.met ? 'yes' : '**MISSED**']),
	];
	const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
	const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
	return [line(cells[0]!), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
	const only = selected();
	const started = Date.now();
	const info = machine();
	const log = (text: string) => console.log(text);
	log(`animate-bot benchmark — ${info.cores} cores (${info.cpu}), Node ${info.node}, ${info.os}, ${info.memory} RAM`);

	const results: { burst?: BurstResult; inFlight?: InFlightResult; relay?: RelayResult; scale?: ScaleResult } = {};
	const rows: Row[] = [];
	if (only.has('burst')) {
		log(`\n[burst] ${BURST_SIZE} /animate in one second, 60-s and 10-s jobs, the seed's fal.subscribe alongside`);
		results.burst = await burst(log);
		rows.push(...burstRows(results.burst));
	}
	if (only.has('in-flight')) {
		log(`\n[in-flight] RSS with 0 and with ${IN_FLIGHT} jobs queued at fal`);
		results.inFlight = await inFlight(log);
		rows.push(...inFlightRows(results.inFlight));
	}
	if (only.has('relay')) {
		log(`\n[relay] delivering a ${(VIDEO_BYTES / MiB).toFixed(0)} MB video`);
		results.relay = await relay(log);
		rows.push(...relayRows(results.relay));
	}

	if (only.has('scale')) {
		log('\n[scale] throughput with 1, 2 and 4 worker processes on PostgreSQL and Redis; webhook vs stream mode per in-flight job');
		results.scale = await scale(log);
		rows.push(...scaleRows(results.scale));
	} else if (only.has('scale-memory')) {
		log('\n[scale-memory] webhook vs stream mode per in-flight job (the memory part of scale)');
		results.scale = await scale(log, { memoryOnly: true });
		rows.push(...scaleRows(results.scale));
	}

	const seconds = (Date.now() - started) / 1000;
	const date = new Date().toISOString();
	const text = table(rows);
	log(`\nResults (${date}; ${info.cores} cores, ${info.cpu}, Node ${info.node}; ${seconds.toFixed(0)} s):\n`);
	log(text);
	const missed = rows.filter((r) => r.met === false);
	const notes = [...details(results), ...(results.scale ? scaleDetails(results.scale) : [])];
	log(`\n${notes.join('\n')}`);
	log(missed.length === 0 ? '\nEvery target met.' : `\nMissed: ${missed.map((r) => r.figure).join('; ')}`);

	const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
	mkdirSync(dirname(out), { recursive: true });
	writeFileSync(
		out,
		`${JSON.stringify({ date, command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '), machine: info, seconds, rows, table: text, details: notes, results }, null, '\t')}\n`,
	);
	log(`Written to ${out}`);
}

try {
	await main();
	process.exit(0);
} catch (error) {
	console.error('\nbenchmark run failed:', error);
	process.exit(1);
}
