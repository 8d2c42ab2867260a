import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The shared REST proxy (scripts/discord-proxy.mjs) as a real child process, started as `npm run discord-proxy`
 * starts it, on a free port. It logs through dist/logger.js, so the build must exist (`npm test` builds first).
 */
export class DiscordProxyProcess {
	/** What a bot process sets as DISCORD_API_URL. */
	public apiUrl = '';
	public output = '';
	public readonly exited: Promise<number | null>;
	private readonly child: ChildProcessWithoutNullStreams;

	private constructor(env: Record<string, string>) {
		this.child = spawn(process.execPath, [resolve('scripts/discord-proxy.mjs')], {
			env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', PROXY_PORT: '0', ...env },
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		this.child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		this.child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		this.exited = new Promise((done) => this.child.on('exit', (code) => done(code)));
	}

	/** Starts the proxy in front of `upstream` (a fake Discord's apiUrl) and resolves once it listens. */
	static async start(upstream: string, token: string, env: Record<string, string> = {}, timeoutMs = 10_000): Promise<DiscordProxyProcess> {
		const proxy = new DiscordProxyProcess({ DISCORD_TOKEN: token, DISCORD_PROXY_UPSTREAM: upstream, ...env });
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const port = /"port":(\d+),[^\n]*"msg":"discord proxy listening"/.exec(proxy.output)?.[1];
			if (port) {
				proxy.apiUrl = `http://127.0.0.1:${port}/api`;
				return proxy;
			}
			if (proxy.child.exitCode !== null || Date.now() > deadline) {
				await proxy.stop('SIGKILL');
				throw new Error(`the proxy did not start; output:\n${proxy.output.slice(-2_000)}`);
			}
			await new Promise((done) => setTimeout(done, 10));
		}
	}

	public async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
		if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
		return this.exited;
	}
}
