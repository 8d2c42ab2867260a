import { REST, Routes, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, type MessageChange } from '../../fakes/discord/index.js';

/** FakeDiscord.onMessage: what the playground streams to its page. */
describe('FakeDiscord.onMessage', () => {
	let fake: FakeDiscord;
	let rest: REST;
	const changes: MessageChange[] = [];
	let stop: () => void;

	beforeAll(async () => {
		fake = await FakeDiscord.start();
		rest = new REST({ api: fake.apiUrl }).setToken(fake.token);
		stop = fake.onMessage((change) => changes.push(change));
	});
	afterAll(async () => {
		await fake?.close();
	});

	it('reports a member’s post, then the bot’s message created, edited and deleted, as REST returns them', async () => {
		const post = fake.dispatchMessageCreate({ content: 'look at this' });
		const sent = (await rest.post(Routes.channelMessages(fake.channelId), { body: { content: 'working…' } })) as APIMessage;
		const edited = (await rest.patch(Routes.channelMessage(fake.channelId, sent.id), { body: { content: 'done' } })) as APIMessage;
		await rest.delete(Routes.channelMessage(fake.channelId, sent.id));

		expect(changes.map((c) => [c.kind, c.message.id, c.message.content])).toEqual([
			['create', post.id, 'look at this'],
			['create', sent.id, 'working…'],
			['update', sent.id, 'done'],
			['delete', sent.id, 'done'],
		]);
		expect(changes[2]!.message).toEqual(edited);
		// Listeners get copies: changing one does not change the stored message.
		changes[0]!.message.content = 'changed by a listener';
		expect(fake.message(post.id)!.content).toBe('look at this');
	});

	it('stops reporting once unsubscribed', async () => {
		stop();
		const before = changes.length;
		await rest.post(Routes.channelMessages(fake.channelId), { body: { content: 'unseen' } });
		expect(fake.messages().at(-1)!.content).toBe('unseen');
		expect(changes).toHaveLength(before);
	});
});
