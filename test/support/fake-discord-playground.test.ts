import { Client, Events, GatewayIntentBits, REST, Routes, type APIMessage, type Interaction } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, type MessageChange } from '../../fakes/discord/index.js';

// What the playground needs from the fake Discord beyond what the bot's own tests use.

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

/** The playground's language switch: Discord sends the member's locale with every kind of interaction. */
describe('the member’s locale on every interaction', () => {
	let fake: FakeDiscord;
	let client: Client;
	const received: Interaction[] = [];

	beforeAll(async () => {
		fake = await FakeDiscord.start();
		client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
		client.on(Events.InteractionCreate, (interaction) => received.push(interaction));
		await client.login(fake.token);
		await fake.ready();
	});
	afterAll(async () => {
		await client?.destroy();
		await fake?.close();
	});

	it('reaches the client on slash commands, autocomplete, message commands and buttons', async () => {
		const post = fake.dispatchMessageCreate({ content: 'a post' });
		await fake.dispatchChatInput({ name: 'animate', locale: 'fr' });
		await fake.dispatchAutocomplete({ name: 'animate', options: [{ name: 'model', type: 3, value: 'k', focused: true }], locale: 'de' });
		await fake.dispatchMessageCommand({ name: 'Animate image', targetMessage: post, locale: 'es-ES' });
		await fake.dispatchButton({ customId: 'animate:reroll:1', message: post, locale: 'fr' });
		await fake.dispatchButton({ customId: 'animate:reroll:1', message: post });
		await expect.poll(() => received.length).toBe(5);
		expect(received.map((interaction) => [interaction.type, interaction.locale])).toEqual([
			[2, 'fr'],
			[4, 'de'],
			[2, 'es-ES'],
			[3, 'fr'],
			[3, 'en-US'],
		]);
	});
});
