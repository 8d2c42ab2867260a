import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The status of a GET sent with this Host header (fetch will not send another host than the URL's). */
function statusFor(url: string, host: string): Promise<number | undefined> {
	return new Promise((resolve, reject) => {
		get(url, { headers: { host } }, (res) => {
			res.resume();
			resolve(res.statusCode);
		}).on('error', reject);
	});
}

/** `npm run playground` as a newcomer runs it: it says where to go, serves the page there, and Ctrl-C ends it all. */
describe('npm run playground', () => {
	it('prints the URL of a page that is served, then stops the bot and the fakes on Ctrl-C', async () => {
		// Its own process group, so that Ctrl-C can be sent as a terminal sends it: to npm, the playground and the bot.
		const child = spawn('npm', ['run', '--silent', 'playground'], { detached: true, env: { ...process.env, PLAYGROUND_PORT: '0' } });
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		let output = '';
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no URL within 30 s:\n${output}`)), 30_000);
			child.stdout.on('data', (chunk: Buffer) => {
				output += chunk.toString();
				const match = /Playground ready: open (http:\/\/127\.0\.0\.1:\d+\/)\n.*the bot's log: (\S+)\)/.exec(output);
				if (!match) return;
				clearTimeout(timer);
				resolve(match);
			});
			void exited.then((code) => reject(new Error(`exited (${code}) before printing a URL:\n${output}`)));
		});
		const [, url, logPath] = ready as unknown as [string, string, string];
		try {
			const page = await fetch(url);
			expect(page.status).toBe(200);
			expect(await page.text()).toContain('<script type="module" src="/app.js">');
			const state = (await (await fetch(`${url}api/state`)).json()) as { commands: { name: string }[] };
			expect(state.commands.map((c) => c.name)).toEqual(expect.arrayContaining(['animate', 'Animate image']));
			// Served to this machine's browser only, by name.
			expect(await statusFor(url, 'evil.example')).toBe(403);
			expect(await statusFor(url, new URL(url).host)).toBe(200);
			expect(existsSync(logPath)).toBe(true);
		} finally {
			process.kill(-child.pid!, 'SIGINT');
		}
		await exited;
		// The playground removes the bot's folder (database and log) only after the bot has exited.
		await expect.poll(() => existsSync(dirname(logPath)), { timeout: 20_000 }).toBe(false);
		expect(output).toContain('SIGINT: stopping the bot and the fakes');
	}, 60_000);
});
