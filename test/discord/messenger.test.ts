import { Client, Events, GatewayIntentBits, MessageFlags, Routes } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createJobMessenger, jobNonce } from '../../src/discord/messenger.js';
import { refusalText } from '../../src/discord/views/refusals.js';
import { resultFooter } from '../../src/discord/views/result-card.js';
import type { JobPatch, JobRow, NewJob } from '../../src/domain/job.js';
import { modelSpec } from '../../src/domain/models.js';
import type { Refusal } from '../../src/domain/refusal.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteJobStore } from '../../src/store/job-store.js';
import { FakeDiscord, type RecordedRequest } from '../../fakes/discord/index.js';
import { fixturePath } from '../support/fixtures.js';
import { newJob } from '../store/sample-job.js';
import { en } from '../support/english.js';

let fake: FakeDiscord;
let client: Client<true>;
let store: SqliteJobStore;

beforeAll(async () => {
	fake = await FakeDiscord.start();
	const connecting = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], rest: { api: fake.apiUrl } });
	const ready = new Promise<void>((resolve) => connecting.once(Events.ClientReady, () => resolve()));
	await connecting.login(fake.token);
	await ready;
	client = connecting as Client<true>;
});

afterAll(async () => {
	await client?.destroy();
	await fake?.close();
});

beforeEach(() => {
	store = new SqliteJobStore(openDatabase(':memory:'));
});

const alice = () => fake.users[0]!;
const REFUSAL: Refusal = { kind: 'too-many-jobs', active: 2, limit: 2 };

/** A stored job in the fake's channel, and a messenger for it whose writes go to the store. */
async function messengerFor(fields: Partial<NewJob>, patch: JobPatch = {}) {
	const inserted = await store.insert(
		newJob({
			guildId: fake.guild.id,
			channelId: fake.channelId,
			userId: alice().id,
			applicationId: fake.application.id,
			interactionAt: Date.now(),
			...fields,
		}),
	);
	const job = Object.keys(patch).length > 0 ? await store.update(inserted.id, patch) : inserted;
	const persisted: JobPatch[] = [];
	const messenger = createJobMessenger(client, job, (change) => {
		persisted.push(change);
		return store.update(job.id, change);
	});
	return { job, messenger, persisted };
}

/** A slash command the bot has deferred publicly, as /animate does before its job starts. */
async function deferredInteraction() {
	const interaction = await fake.dispatchChatInput({ name: 'animate', user: alice() });
	await client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: { type: 5 }, auth: false });
	expect(fake.interaction(interaction.id)?.original).toBeDefined();
	return interaction;
}

const since = (mark: number, predicate: (request: RecordedRequest) => boolean) => fake.requests.slice(mark).filter(predicate);
const channelPosts = (mark: number) => since(mark, (r) => r.route === 'POST /channels/:channel/messages');
const lastInChannel = () => fake.messages(fake.channelId).at(-1);

describe('JobMessenger.refuse', () => {
	it('answers privately while the interaction lives: the public reply goes, an ephemeral follow-up comes', async () => {
		const interaction = await deferredInteraction();
		const { messenger, persisted } = await messengerFor({ interactionId: interaction.id, interactionToken: interaction.token });
		const mark = fake.requests.length;
		await messenger.refuse(REFUSAL);

		const state = fake.interaction(interaction.id)!;
		expect(state.original).toBeUndefined();
		expect(state.followups).toHaveLength(1);
		expect(state.followups[0]!.content).toBe(refusalText(REFUSAL, en));
		expect((state.followups[0]!.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
		expect(channelPosts(mark)).toEqual([]);
		expect(persisted).toEqual([]);
	});

	it('posts in the channel, mentioning the member, once the token is known to have expired', async () => {
		const { messenger } = await messengerFor({ interactionToken: 'expired-token' }, { tokenExpired: true });
		const mark = fake.requests.length;
		await messenger.refuse(REFUSAL);

		expect(since(mark, (r) => r.path.startsWith('/webhooks/'))).toEqual([]);
		const [post] = channelPosts(mark);
		expect(post?.body).toMatchObject({
			content: `<@${alice().id}> ${refusalText(REFUSAL, en)}`,
			allowed_mentions: { users: [alice().id] },
		});
		expect(lastInChannel()?.content).toBe(`<@${alice().id}> ${refusalText(REFUSAL, en)}`);
	});

	it('falls back to the channel and remembers it when Discord no longer knows the interaction', async () => {
		// Never acknowledged: the interaction webhook answers 10015 Unknown Webhook.
		const interaction = await fake.dispatchChatInput({ name: 'animate', user: alice() });
		const { job, messenger, persisted } = await messengerFor({ interactionId: interaction.id, interactionToken: interaction.token });
		const mark = fake.requests.length;
		await messenger.refuse(REFUSAL);

		expect(persisted).toEqual([{ tokenExpired: true }]);
		expect((await store.get(job.id))?.tokenExpired).toBe(true);
		expect(channelPosts(mark)).toHaveLength(1);
		expect(lastInChannel()?.content).toBe(`<@${alice().id}> ${refusalText(REFUSAL, en)}`);
	});
});

describe('JobMessenger.postResult and findDelivered', () => {
	const cardFor = (job: JobRow) => ({ job, model: modelSpec(job.model), seed: 99 });

	it('posts the result with the job’s enforced nonce, so a repeat returns the first message', async () => {
		const { job, messenger } = await messengerFor({ interactionToken: '' });
		const mark = fake.requests.length;
		const first = await messenger.postResult(cardFor(job));
		const again = await messenger.postResult(cardFor(job));

		const posts = channelPosts(mark);
		expect(posts).toHaveLength(2);
		for (const post of posts) expect(post.body).toMatchObject({ nonce: jobNonce(job.id), enforce_nonce: true });
		expect(again.id).toBe(first.id);
		expect(first).toEqual({
			id: first.id,
			url: `https://discord.com/channels/${fake.guild.id}/${fake.channelId}/${first.id}`,
			via: 'channel',
		});
		const results = fake.messages(fake.channelId).filter((m) => m.embeds.some((e) => e.footer?.text.endsWith(resultFooter(job.id, en))));
		expect(results.map((m) => m.id)).toEqual([first.id]);
	});

	it('streams an attached video from disk with the nonce, replying to the job’s card', async () => {
		const card = await client.rest.post(Routes.channelMessages(fake.channelId), { body: { content: 'progress card' } });
		const cardId = (card as { id: string }).id;
		const { job, messenger } = await messengerFor({ interactionToken: '' }, { progressMessageId: cardId });
		const mark = fake.requests.length;
		const file = { path: fixturePath('svd-output-25f-1024x576.mp4'), name: 'animated.mp4', contentType: 'video/mp4' };
		const posted = await messenger.postResult(cardFor(job), file);

		const [post] = channelPosts(mark);
		expect(post?.body).toMatchObject({ nonce: jobNonce(job.id), enforce_nonce: true, message_reference: { message_id: cardId } });
		expect(post?.files.map((f) => f.filename)).toEqual(['animated.mp4']);
		const message = fake.message(posted.id)!;
		expect(message.attachments.map((a) => a.filename)).toEqual(['animated.mp4']);
		expect(message.message_reference?.message_id).toBe(cardId);
	});

	it('finds a result the bot already posted by its Delete button, and nothing for another job', async () => {
		const { job, messenger } = await messengerFor({ interactionToken: '' });
		const other = await messengerFor({ interactionToken: '' });
		expect(await messenger.findDelivered()).toBeUndefined();

		const posted = await messenger.postResult(cardFor(job));
		// Later chatter in the channel does not hide it, and a member's copy of its footer does not count.
		fake.dispatchMessageCreate({ content: 'nice video', author: alice() });
		const copy = fake.dispatchMessageCreate({ embeds: [{ title: 'fake', footer: { text: resultFooter(other.job.id, en) } }], author: alice() });
		expect(fake.message(copy.id)?.embeds[0]?.footer?.text).toBe(resultFooter(other.job.id, en));

		const found = { id: posted.id, url: expect.stringContaining(posted.id) as string, via: 'channel' };
		expect(await messenger.findDelivered()).toEqual(found);
		expect(await other.messenger.findDelivered()).toBeUndefined();
		// Each job finds its own among the bot's results, however the other's is worded.
		const otherPosted = await other.messenger.postResult(cardFor({ ...other.job, locale: 'de' }));
		expect(await other.messenger.findDelivered()).toEqual({
			id: otherPosted.id,
			url: expect.stringContaining(otherPosted.id) as string,
			via: 'channel',
		});
		expect(await messenger.findDelivered()).toEqual(found);
	});
});
