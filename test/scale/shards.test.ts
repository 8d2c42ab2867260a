import { beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, type LogLine } from '../support/bot-process.js';
import { clusterMissing, skippedBecause, useCluster } from '../support/cluster.js';
import { shardFor } from '../../fakes/discord/index.js';
import { addGuild, type AddedGuild } from '../../fakes/discord/second-guild.js';
import { useFakes } from '../support/fakes.js';
import { animate, cardEdit } from './drive.js';

const callbackOf = (discord: ReturnType<typeof useFakes>['discord'], id: string) =>
	discord.waitForRequest((r) => r.route === 'POST /interactions/:id/:token/callback' && r.path.includes(id));

/**
 * Two gateway shards in two processes on one database and queue: each server's interactions reach
 * only the process holding its shard, and one member's limit holds across both.
 */
describe.skipIf(clusterMissing !== undefined)(`two shards in two processes${skippedBecause}`, () => {
	const fakes = useFakes();
	const cluster = useCluster(fakes);
	let second: AddedGuild;
	let homeShard: number;
	beforeAll(() => {
		homeShard = shardFor(fakes.discord.guild.id, 2);
		second = addGuild(fakes.discord, { shard: 1 - homeShard, shardCount: 2 });
	});

	it("routes each server's events to its shard's process, and MAX_JOBS_PER_USER=1 holds across them", async () => {
		const env = { SHARD_COUNT: '2', MAX_JOBS_PER_USER: '1', USER_COOLDOWN_SECONDS: '0' };
		const shards = [0, 1].map((id) => new BotProcess(cluster.env({ ...env, SHARD_IDS: String(id) })));
		try {
			await Promise.all(shards.map((bot) => bot.waitForLog((line) => line.msg.startsWith('commands '), 15_000)));
			const home = shards[homeShard]!;
			const other = shards[1 - homeShard]!;
			// A long job keeps alice's one allowed job in flight.
			fakes.fal.script({ queuePositions: [3, 2, 1, 0], queueStepMs: 2_000, runMs: 500 });
			const first = await animate(fakes.discord);
			await cardEdit(fakes.discord, first.token, /Waiting in the fal queue/);
			const submits = fakes.fal.submits.length;

			// Alice again, in the server on the other shard: refused there, by the other process.
			const again = await animate(fakes.discord, { channelId: second.channelId });
			const refusal = await callbackOf(fakes.discord, again.id);
			const data = (refusal.body as { data?: { content?: string; flags?: number } }).data;
			expect(data?.content).toMatch(/You already have 1 video in the works \(the limit is 1\)/);
			// Bob in that server is accepted: the refusal was alice's limit, not the server or the shard.
			const bob = await animate(fakes.discord, { channelId: second.channelId, user: 1 });
			await cardEdit(fakes.discord, bob.token, /Waiting in the fal queue|Generating|Video ready/);
			expect(fakes.fal.submits.length).toBe(submits + 1);

			const commands = (bot: BotProcess) => bot.lines.filter((line: LogLine) => line.msg === 'command received').map((line) => line['guildId']);
			expect(commands(home)).toEqual([fakes.discord.guild.id]);
			expect(commands(other)).toEqual([second.id, second.id]);
			// Each process holds only its own shard's session.
			const sessions = [...fakes.discord.gateway.sessions.values()].map((session) => session.shard.join('/')).sort();
			expect(sessions).toEqual(['0/2', '1/2']);
		} finally {
			await Promise.all(shards.map((bot) => bot.kill('SIGTERM')));
		}
	}, 60_000);
});
