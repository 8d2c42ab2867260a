import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

export interface LogLine {
	readonly level: number;
	readonly msg: string;
	readonly [key: string]: unknown;
}

/**
 * The built bot (dist/index.js) as a real child process, started exactly as `npm start` starts it,
 * for the restart tests and the benchmark: JSON log lines with the time each arrived, and the pid
 * (the benchmark reads the process's memory from /proc).
 */
export class BotProcess {
	public readonly lines: (LogLine & { readonly receivedAt: number })[] = [];
	public readonly exited: Promise<number | null>;
	/** Everything the bot wrote, stdout and stderr. */
	public output = '';
	private stderr = '';
	private readonly waiters = new Set<{ test: (line: LogLine) => boolean; done: (line: LogLine) => void; fail: (error: Error) => void }>();
	private readonly child: ChildProcessWithoutNullStreams;

	/** `nodeArgs` is for investigation only (e.g. --cpu-prof); the benchmark passes none. */
	public constructor(env: Record<string, string>, nodeArgs: readonly string[] = []) {
		this.child = spawn(process.execPath, [...nodeArgs, resolve('dist/index.js')], {
			env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', ...env },
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let partial = '';
		this.child.stdout.on('data', (chunk: Buffer) => {
			const receivedAt = Date.now();
			const text = chunk.toString();
			this.output += text;
			partial += text;
			const complete = partial.split('\n');
			partial = complete.pop() ?? '';
			for (const raw of complete) {
				if (!raw.startsWith('{')) continue;
				const line = { ...(JSON.parse(raw) as LogLine), receivedAt };
				this.lines.push(line);
				for (const waiter of this.waiters) if (waiter.test(line)) waiter.done(line);
			}
		});
		this.child.stderr.on('data', (chunk: Buffer) => {
			this.stderr += chunk.toString();
			this.output += chunk.toString();
		});
		this.exited = new Promise((done) =>
			this.child.on('exit', (code) => {
				done(code);
				for (const waiter of this.waiters) waiter.fail(new Error(`the bot exited (code ${code}); output:\n${this.tail()}`));
			}),
		);
	}

	public get pid(): number {
		if (this.child.pid === undefined) throw new Error('the bot process did not start');
		return this.child.pid;
	}

	/** The last lines the bot wrote (stdout and stderr), for error messages. */
	public tail(chars = 3_000): string {
		return this.output.slice(-chars);
	}

	/** Resolves with the first match of `pattern` in what the bot writes to stderr from now on. */
	public waitForStderr(pattern: RegExp, timeoutMs = 5_000): Promise<RegExpExecArray> {
		const from = this.stderr.length;
		return new Promise((resolvePromise, reject) => {
			const check = () => {
				const match = pattern.exec(this.stderr.slice(from));
				if (!match) return;
				clearTimeout(timer);
				this.child.stderr.off('data', later);
				resolvePromise(match);
			};
			// Runs after the constructor's handler has appended the chunk.
			const later = () => setImmediate(check);
			const timer = setTimeout(() => {
				this.child.stderr.off('data', later);
				reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms`));
			}, timeoutMs);
			this.child.stderr.on('data', later);
		});
	}

	public count(test: (line: LogLine) => boolean): number {
		return this.lines.filter(test).length;
	}

	/** Resolves with the first log line (already written or still to come) that matches. */
	public waitForLog(test: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine & { readonly receivedAt: number }> {
		const seen = this.lines.find(test);
		if (seen) return Promise.resolve(seen);
		return new Promise((resolvePromise, reject) => {
			const waiter = {
				test,
				done: (line: LogLine) => {
					clearTimeout(timer);
					this.waiters.delete(waiter);
					resolvePromise(line as LogLine & { readonly receivedAt: number });
				},
				fail: (error: Error) => {
					clearTimeout(timer);
					this.waiters.delete(waiter);
					reject(error);
				},
			};
			const timer = setTimeout(() => {
				this.waiters.delete(waiter);
				reject(new Error(`no matching log line within ${timeoutMs} ms; bot output so far:\n${this.tail()}`));
			}, timeoutMs);
			this.waiters.add(waiter);
		});
	}

	public async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
		if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
		return this.exited;
	}
}
