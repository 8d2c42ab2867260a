import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import type { BurstPlan, BurstResult } from './rest-burst.js';

/** A separate Node process holding its own discord.js REST client (test/support/rest-burst.ts). */
export class RestBurst {
	private readonly child: ChildProcessWithoutNullStreams;
	private output = '';
	private readonly lines: string[] = [];
	private readonly exited: Promise<number | null>;

	private constructor(apiUrl: string, token: string) {
		this.child = spawn(process.execPath, ['--import', 'tsx', resolve('test/support/rest-burst.ts')], {
			env: { PATH: process.env['PATH'] ?? '', API_URL: apiUrl, DISCORD_TOKEN: token },
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let partial = '';
		this.child.stdout.on('data', (chunk: Buffer) => {
			this.output += chunk.toString();
			partial += chunk.toString();
			const complete = partial.split('\n');
			partial = complete.pop() ?? '';
			this.lines.push(...complete);
		});
		this.child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		this.exited = new Promise((done) => this.child.on('exit', (code) => done(code)));
	}

	/** Starts `count` processes against `apiUrl` and resolves once each has its client ready. */
	static async start(count: number, apiUrl: string, token: string, timeoutMs = 15_000): Promise<RestBurst[]> {
		const processes = Array.from({ length: count }, () => new RestBurst(apiUrl, token));
		await Promise.all(processes.map((p) => p.line((line) => line === 'ready', timeoutMs)));
		return processes;
	}

	/** Hands over the plan (the process starts at once) and resolves with its result. */
	async run(plan: BurstPlan, timeoutMs = 30_000): Promise<BurstResult> {
		this.child.stdin.end(JSON.stringify(plan));
		const line = await this.line((l) => l.startsWith('{'), timeoutMs);
		return JSON.parse(line) as BurstResult;
	}

	async kill(): Promise<void> {
		if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
		await this.exited;
	}

	/** The first stdout line (already written or to come) that matches, bounded by `timeoutMs` and by the exit. */
	private async line(test: (line: string) => boolean, timeoutMs: number): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.lines.find(test);
			if (found !== undefined) return found;
			if (this.child.exitCode !== null || Date.now() > deadline) {
				throw new Error(`no matching line from the burst process (exit ${this.child.exitCode}); output:\n${this.output.slice(-2_000)}`);
			}
			await new Promise((done) => setTimeout(done, 10));
		}
	}
}
