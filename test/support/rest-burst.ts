/**
 * One "bot process" of the shared-rate-limit test: a discord.js REST client, as the bot's Client holds one,
 * that waits for a plan on stdin (so that every process starts its burst at the same moment), sends every
 * message of the plan at once and prints one JSON line with what came back.
 *
 *   node --import tsx test/support/rest-burst.ts   env: API_URL, DISCORD_TOKEN   stdin: {"messages":[{"channel","content"}]}
 *
 * Run through RestBurst (rest-burst-process.ts), not by hand.
 */
import { once } from 'node:events';
import { REST } from '@discordjs/rest';

export interface BurstPlan {
	readonly messages: readonly { readonly channel: string; readonly content: string }[];
}

export interface BurstResult {
	readonly sent: number;
	readonly ok: number;
	readonly errors: readonly string[];
	readonly ms: number;
}

const rest = new REST({ api: process.env['API_URL'] ?? '' }).setToken(process.env['DISCORD_TOKEN'] ?? '');
process.stdout.write('ready\n');
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => (input += chunk));
await once(process.stdin, 'end');
const plan = JSON.parse(input) as BurstPlan;
const started = Date.now();
const outcomes = await Promise.allSettled(
	plan.messages.map(({ channel, content }) => rest.post(`/channels/${channel}/messages`, { body: { content } })),
);
const result: BurstResult = {
	sent: outcomes.length,
	ok: outcomes.filter((o) => o.status === 'fulfilled').length,
	errors: outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : [])),
	ms: Date.now() - started,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
// The REST client's sweepers would keep the process alive.
process.exit(0);
