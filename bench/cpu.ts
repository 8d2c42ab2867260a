import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux almost everywhere). */
const TICKS = (() => {
	try {
		return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
	} catch {
		return 100;
	}
})();

/** CPU seconds (user + system, every thread) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// The command name (field 2) may hold spaces; the fields after it start with the state (field 3).
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** CPU seconds of each of `pids` that still runs (a process that ended meanwhile is left out). */
export function cpuOfEach(pids: readonly number[]): Map<number, number> {
	const out = new Map<number, number>();
	for (const pid of pids) {
		try {
			out.set(pid, cpuSeconds(pid));
		} catch {
			// It ended between listing and reading.
		}
	}
	return out;
}

/** CPU seconds used between two readings of the same processes; one that started in between counts from 0. */
export function cpuBetween(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
	let sum = 0;
	for (const [pid, seconds] of after) sum += seconds - (before.get(pid) ?? 0);
	return sum;
}

/** Processes whose command name (/proc/<pid>/comm) is `name`, e.g. redis-server. */
export function pidsNamed(name: string): number[] {
	return readdirSync('/proc')
		.filter((entry) => /^\d+$/.test(entry))
		.filter((pid) => {
			try {
				return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
			} catch {
				return false;
			}
		})
		.map(Number);
}

/** This process's CPU seconds (the benchmark: the fakes it serves). */
export function ownCpuSeconds(): number {
	const { user, system } = process.cpuUsage();
	return (user + system) / 1e6;
}

export interface MachineTimes {
	/** Seconds of CPU spent busy, over every core. */
	readonly busy: number;
	/** Seconds of CPU time in all (busy and idle), over every core. */
	readonly total: number;
}

/** The whole machine's CPU times so far, from /proc/stat (PostgreSQL and Redis included). */
export function machineTimes(): MachineTimes {
	const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
	const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
	const busy = user + nice + system + irq + softirq + steal;
	return { busy: busy / TICKS, total: (busy + idle + iowait) / TICKS };
}

/**
 * Waits (up to `maxMs`) for a second in which the machine is less than `share` busy, so a timed run
 * does not start while something else holds the cores; resolves with the last second's busy share.
 */
export async function quietMachine(maxMs = 30_000, share = 0.25): Promise<number> {
	const deadline = Date.now() + maxMs;
	for (;;) {
		const before = machineTimes();
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		const after = machineTimes();
		const busy = (after.busy - before.busy) / Math.max(1e-9, after.total - before.total);
		if (busy < share || Date.now() >= deadline) return busy;
	}
}
