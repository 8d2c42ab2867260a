import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built bot, as `npm start` runs it (`npm run playground` builds it first when src/ changed). */
const ENTRY = fileURLToPath(new URL('../dist/index.js', import.meta.url));

interface LogLine {
	readonly level: number;
	readonly msg: string;
}

/**
 * The real bot as a child process (`node dist/index.js`), its JSON log written to a file, its warnings and errors
 * echoed to the terminal. It runs in `cwd` (a fresh temporary folder) so that a `.env` in the repository, which may
 * hold a real token or a production DATABASE_URL, is never read: the bot's config loader reads `.env` from its cwd.
 */
export class BotChild {
	readonly exited: Promise<number | null>;
	private readonly child: ChildProcessWithoutNullStreams;
	private readonly log: WriteStream;
	private readonly waiters = new Set<{ test: (line: LogLine) => boolean; done: () => void; fail: (error: Error) => void }>();
	private tail = '';

	constructor(env: Record<string, string>, cwd: string, logPath: string, echo: (text: string) => void) {
		this.log = createWriteStream(logPath);
		this.child = spawn(process.execPath, [ENTRY], { cwd, env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', ...env } });
		let partial = '';
		this.child.stdout.on('data', (chunk: Buffer) => {
			this.log.write(chunk);
			this.remember(chunk);
			const lines = (partial + chunk.toString()).split('\n');
			partial = lines.pop() ?? '';
			for (const raw of lines) {
				if (!raw.startsWith('{')) continue;
				const line = JSON.parse(raw) as LogLine;
				if (line.level >= 40) echo(`bot ${line.level >= 50 ? 'error' : 'warning'}: ${line.msg}`);
				for (const waiter of this.waiters) if (waiter.test(line)) waiter.done();
			}
		});
		this.child.stderr.on('data', (chunk: Buffer) => {
			this.log.write(chunk);
			this.remember(chunk);
			echo(`bot: ${chunk.toString().trimEnd()}`);
		});
		this.exited = new Promise((resolve) =>
			this.child.on('exit', (code) => {
				this.log.end();
				for (const waiter of this.waiters) waiter.fail(new Error(`the bot exited (code ${code}):\n${this.tail}`));
				resolve(code);
			}),
		);
	}

	/** Resolves once the bot has registered its commands: before that, an interaction would race the registration. */
	ready(timeoutMs = 30_000): Promise<void> {
		return new Promise((resolve, reject) => {
			const waiter = {
				test: (line: LogLine) => line.msg.startsWith('commands '),
				done: () => settle(() => resolve()),
				fail: (error: Error) => settle(() => reject(error)),
			};
			const timer = setTimeout(() => waiter.fail(new Error(`the bot was not ready within ${timeoutMs / 1000} s:\n${this.tail}`)), timeoutMs);
			const settle = (then: () => void) => {
				clearTimeout(timer);
				this.waiters.delete(waiter);
				then();
			};
			this.waiters.add(waiter);
		});
	}

	/** SIGTERM, as an orchestrator stops it: the bot records where each job is and exits (within 14 s by its own rule). */
	async stop(): Promise<void> {
		if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
		await this.exited;
	}

	/** For a playground that is itself going away without waiting: nothing may outlive it. */
	killNow(): void {
		if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
	}

	private remember(chunk: Buffer): void {
		this.tail = (this.tail + chunk.toString()).slice(-3_000);
	}
}
