import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

export interface LogLine {
	readonly level: number;
	readonly msg: string;
	readonly [key: string]: unknown;
}

/** The built bot (dist/index.js) as a real child process, exactly as `npm start` runs it. */
export class BotProcess {
	public readonly lines: LogLine[] = [];
	public output = '';
	public readonly exited: Promise<number | null>;
	private readonly waiters = new Set<{ test: (line: LogLine) => boolean; done: (line: LogLine) => void }>();
	private readonly child: ChildProcessWithoutNullStreams;

	public constructor(env: Record<string, string>) {
		this.child = spawn(process.execPath, [resolve('dist/index.js')], {
			env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', ...env },
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let partial = '';
		this.child.stdout.on('data', (chunk: Buffer) => {
			const text = chunk.toString();
			this.output += text;
			partial += text;
			const complete = partial.split('\n');
			partial = complete.pop() ?? '';
			for (const raw of complete) {
				if (!raw.startsWith('{')) continue;
				const line = JSON.parse(raw) as LogLine;
				this.lines.push(line);
				for (const waiter of this.waiters) if (waiter.test(line)) waiter.done(line);
			}
		});
		this.child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		this.exited = new Promise((done) => this.child.on('exit', (code) => done(code)));
	}

	/** Resolves with the first log line (already written or still to come) that matches. */
	public waitForLog(test: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
		const seen = this.lines.find(test);
		if (seen) return Promise.resolve(seen);
		return new Promise((resolvePromise, reject) => {
			const waiter = {
				test,
				done: (line: LogLine) => {
					clearTimeout(timer);
					this.waiters.delete(waiter);
					resolvePromise(line);
				},
			};
			const timer = setTimeout(() => {
				this.waiters.delete(waiter);
				reject(new Error(`no matching log line within ${timeoutMs} ms; output so far:\n${this.output.slice(-3000)}`));
			}, timeoutMs);
			this.waiters.add(waiter);
		});
	}

	public async kill(signal: NodeJS.Signals): Promise<number | null> {
		this.child.kill(signal);
		return this.exited;
	}
}
