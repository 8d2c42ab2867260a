/**
 * `npm run playground`: the real bot against the fake Discord and the fake fal, and a page to use it from, all on
 * 127.0.0.1 (see ./playground.ts). PLAYGROUND_PORT chooses the page's port (default 4747; 0 for any free one).
 */
import { startPlayground, type Playground } from './playground.js';

const DEFAULT_PORT = 4747;
const say = (text: string) => process.stdout.write(`${text}\n`);

async function start(): Promise<Playground> {
	const chosen = process.env['PLAYGROUND_PORT'];
	const port = chosen === undefined || chosen === '' ? DEFAULT_PORT : Number(chosen);
	if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PLAYGROUND_PORT must be a port number, not ${chosen}`);
	say('Starting the bot against the fake Discord and the fake fal…');
	try {
		return await startPlayground({ port, echo: say });
	} catch (error) {
		// The usual port taken (another playground?): any free one will do, unless this one was asked for.
		if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || chosen !== undefined) throw error;
		say(`Port ${port} is taken; using another.`);
		return startPlayground({ port: 0, echo: say });
	}
}

const playground = await start();
say(
	`\nPlayground ready: open ${playground.url}\n(no Discord application, no fal key, no network; the bot's log: ${playground.logPath})\nCtrl-C to stop.`,
);

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
	if (stopping) return;
	stopping = true;
	say(`\n${signal}: stopping the bot and the fakes…`);
	playground.close().then(
		() => process.exit(0),
		(error: unknown) => {
			say(`could not stop cleanly: ${String(error)}`);
			process.exit(1);
		},
	);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// However this process ends, the bot must not outlive it.
process.on('exit', () => playground.killNow());
