import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
	ApplicationCommandOptionType,
	ApplicationCommandType,
	Client,
	DiscordAPIError,
	Events,
	GatewayIntentBits,
	REST,
	Routes,
	type ButtonInteraction,
	type ChatInputCommandInteraction,
	type Interaction,
	type Message,
	type MessageContextMenuCommandInteraction,
	type MessageReaction,
	type TextChannel,
	type User,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FakeDiscord, isSnowflake, snowflake, type RecordedRequest } from '../../fakes/discord/index.js';
import { readFixture } from './fixtures.js';

const INTENTS = [
	GatewayIntentBits.Guilds,
	GatewayIntentBits.GuildMessages,
	GatewayIntentBits.GuildMessageReactions,
	GatewayIntentBits.MessageContent,
];

let fake: FakeDiscord;
let client: Client;
let channel: TextChannel;

/** A gateway payload read off a raw socket; `d` stays unknown until a test digs into it. */
interface RawPayload {
	op: number;
	d: unknown;
	s: number | null;
	t: string | null;
}

/** A text frame as a string: one Buffer with ws's default binaryType; RawData also allows fragments and an ArrayBuffer. */
function frameText(data: WebSocket.RawData): string {
	if (Buffer.isBuffer(data)) return data.toString();
	if (Array.isArray(data)) return Buffer.concat(data).toString();
	return Buffer.from(data).toString();
}

function parsePayload(data: WebSocket.RawData): RawPayload {
	return JSON.parse(frameText(data)) as RawPayload;
}

/** The value at `path` inside parsed JSON; undefined as soon as a step is missing or not an object or array. */
function dig(value: unknown, ...path: (string | number)[]): unknown {
	let current = value;
	for (const key of path) {
		if (typeof current !== 'object' || current === null) return undefined;
		current = (current as Record<string | number, unknown>)[key];
	}
	return current;
}

/** Parsed JSON that must be an array. */
function list(value: unknown): unknown[] {
	if (!Array.isArray(value)) throw new Error(`expected an array, got ${JSON.stringify(value)}`);
	return value;
}

/** The `_errors` a 50035 Invalid Form Body lists for the field at `path`. */
function fieldErrors(body: unknown, ...path: (string | number)[]): unknown {
	return dig(body, 'errors', ...path, '_errors');
}

// vitest types its asymmetric matchers `any`; handed over as `unknown` they cannot leak into the expected objects.
const anyInstanceOf = (type: unknown): unknown => expect.any(type);
const stringMatching = (pattern: RegExp): unknown => expect.stringMatching(pattern);

function nextEvent<T>(event: string, filter: (value: T) => boolean = () => true, timeoutMs = 3000): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => {
			client.off(event, listener);
			reject(new Error(`no ${event} within ${timeoutMs} ms`));
		}, timeoutMs);
		const listener = (value: T) => {
			if (!filter(value)) return;
			clearTimeout(timer);
			client.off(event, listener);
			resolve(value);
		};
		client.on(event, listener);
	});
}

function nextInteraction<T extends Interaction>(id: () => string | undefined): Promise<T> {
	return nextEvent<Interaction>(Events.InteractionCreate, (i) => i.id === id()) as Promise<T>;
}

/** Dispatches a slash command and returns the discord.js interaction the client built from it. */
async function chatInput(input: Parameters<FakeDiscord['dispatchChatInput']>[0]): Promise<ChatInputCommandInteraction> {
	// The listener is installed before the dispatch, so it reads the id once the dispatch has produced it.
	let id: string | undefined = undefined;
	const received = nextInteraction<ChatInputCommandInteraction>(() => id);
	const dispatched = fake.dispatchChatInput(input);
	id = (await dispatched).id;
	return received;
}

async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof DiscordAPIError) return error;
		throw error;
	}
	throw new Error('expected a DiscordAPIError, but the request succeeded');
}

async function rawFetch(method: string, path: string, body?: unknown, auth = true): Promise<{ status: number; json: unknown; headers: Headers }> {
	const response = await fetch(`${fake.apiUrl}/v10${path}`, {
		method,
		headers: { ...(auth ? { authorization: `Bot ${fake.token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	const json: unknown = text ? JSON.parse(text) : undefined;
	return { status: response.status, json, headers: response.headers };
}

const lastRequest = (route: string): RecordedRequest | undefined => [...fake.requests].reverse().find((r) => r.route === route);

beforeAll(async () => {
	fake = await FakeDiscord.start();
	client = new Client({ intents: INTENTS, rest: { api: fake.apiUrl } });
	await client.login(fake.token);
	await fake.ready();
	if (!client.isReady()) await nextEvent(Events.ClientReady);
	channel = client.channels.cache.get(fake.channelId) as TextChannel;
	await client.application!.commands.set(
		[
			{
				name: 'animate',
				description: 'Turn an image into a short video',
				options: [
					{ name: 'image', description: 'The still image', type: ApplicationCommandOptionType.Attachment, required: true },
					{ name: 'frames', description: 'Frames', type: ApplicationCommandOptionType.Integer, min_value: 14, max_value: 25 },
					{ name: 'motion', description: 'Motion strength', type: ApplicationCommandOptionType.Number },
				],
			},
			{ name: 'Animate this', type: ApplicationCommandType.Message },
		],
		fake.guild.id,
	);
});

afterAll(async () => {
	await client?.destroy();
	await fake?.close();
});

describe('gateway and login', () => {
	it('logs in with READY + GUILD_CREATE: guild, text channel, bot member and @everyone role are cached', () => {
		expect(client.isReady()).toBe(true);
		expect(client.user?.id).toBe(fake.botUser.id);
		expect(client.application?.id).toBe(fake.application.id);
		const guild = client.guilds.cache.get(fake.guild.id);
		expect(guild?.available).toBe(true);
		expect(guild?.name).toBe(fake.guild.name);
		expect(guild?.roles.everyone.id).toBe(fake.guild.id);
		expect(guild?.members.me?.id).toBe(fake.botUser.id);
		expect(channel?.isTextBased()).toBe(true);
		expect(channel.type).toBe(0);
		expect(channel.permissionsFor(guild!.members.me!)?.has('SendMessages')).toBe(true);
		for (const id of [fake.application.id, fake.guild.id, fake.channelId, fake.users[0]!.id]) {
			expect(isSnowflake(id)).toBe(true);
			expect(id.length).toBeGreaterThanOrEqual(17);
		}
		expect(fake.requests.some((r) => r.route === 'GET /gateway/bot' && r.status === 200)).toBe(true);
	});

	it('serves /gateway/bot and answers 401 {code: 0} to a wrong or missing bot token', async () => {
		const ok = await rawFetch('GET', '/gateway/bot');
		expect(ok.status).toBe(200);
		expect(ok.headers.get('content-type')).toBe('application/json');
		expect(ok.json).toMatchObject({ url: fake.gatewayUrl, shards: 1, session_start_limit: { max_concurrency: 1 } });
		const wrong = await fetch(`${fake.apiUrl}/v10/users/@me`, { headers: { authorization: 'Bot nope' } });
		expect(wrong.status).toBe(401);
		expect(await wrong.json()).toEqual({ message: '401: Unauthorized', code: 0 });
		const missing = await rawFetch('GET', '/channels/' + fake.channelId, undefined, false);
		expect(missing.status).toBe(401);
	});

	it('rejects a wrong token: client.login fails (REST 401) and a raw IDENTIFY is closed with 4004', async () => {
		const other = new Client({ intents: INTENTS, rest: { api: fake.apiUrl } });
		await expect(other.login('MTIz.wrong.token')).rejects.toThrow(/invalid token/i);
		await other.destroy();
		expect(fake.requests.some((r) => r.route === 'GET /gateway/bot' && r.status === 401)).toBe(true);

		const ws = new WebSocket(`${fake.gatewayUrl}/?v=10&encoding=json`);
		const hello = await new Promise<RawPayload>((resolve) => ws.once('message', (m) => resolve(parsePayload(m))));
		expect(hello.op).toBe(10);
		expect(dig(hello.d, 'heartbeat_interval')).toBeGreaterThan(0);
		const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
		ws.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 513, properties: { os: 'linux', browser: 'x', device: 'x' } } }));
		expect(await closed).toBe(4004);
	});

	it('derives the bot/application id from a given token like Discord tokens encode it', async () => {
		const other = await FakeDiscord.start({ token: 'MTE5ODc2NTQzMjEwOTg3NjU0Mw.GfAkEt.some-secret-part' });
		try {
			expect(other.application.id).toBe('1198765432109876543');
			expect(other.botUser.id).toBe('1198765432109876543');
		} finally {
			await other.close();
		}
	});

	it('closes IDENTIFY with 4014 when a privileged intent is not enabled for the app', async () => {
		const strict = await FakeDiscord.start({ allowedPrivilegedIntents: 0 });
		try {
			const ws = new WebSocket(`${strict.gatewayUrl}/?v=10&encoding=json`);
			await new Promise((resolve) => ws.once('message', resolve));
			const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
			ws.send(JSON.stringify({ op: 2, d: { token: strict.token, intents: 1 | (1 << 15), properties: { os: 'linux', browser: 't', device: 't' } } }));
			expect(await closed).toBe(4014);
		} finally {
			await strict.close();
		}
	});

	it('answers heartbeats, numbers dispatches, resumes a session with replay, and answers op 9 to a bad RESUME', async () => {
		const ws = new WebSocket(`${fake.gatewayUrl}/?v=10&encoding=json`);
		const inbox: RawPayload[] = [];
		const waiters: ((p: RawPayload) => void)[] = [];
		ws.on('message', (m) => {
			const p = parsePayload(m);
			inbox.push(p);
			for (const w of waiters.splice(0)) w(p);
		});
		const waitFor = async (pred: (p: RawPayload) => boolean): Promise<RawPayload> => {
			for (;;) {
				const hit = inbox.find(pred);
				if (hit) return hit;
				await new Promise((r) => waiters.push(r));
			}
		};
		await waitFor((p) => p.op === 10);
		ws.send(JSON.stringify({ op: 1, d: null }));
		await waitFor((p) => p.op === 11);
		ws.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1 | 512, properties: { os: 'linux', browser: 't', device: 't' } } }));
		const ready = await waitFor((p) => p.t === 'READY');
		expect(ready.d).toMatchObject({ v: 10, user: { id: fake.botUser.id, bot: true }, shard: [0, 1], application: { id: fake.application.id } });
		expect(dig(ready.d, 'guilds')).toEqual([{ id: fake.guild.id, unavailable: true }]);
		const guildCreate = await waitFor((p) => p.t === 'GUILD_CREATE');
		expect(guildCreate.s).toBe(ready.s! + 1);
		expect(dig(guildCreate.d, 'unavailable')).toBe(false);
		expect(list(dig(guildCreate.d, 'channels')).some((c) => dig(c, 'type') === 0 && Array.isArray(dig(c, 'permission_overwrites')))).toBe(true);
		expect(list(dig(guildCreate.d, 'members')).some((m) => dig(m, 'user', 'id') === fake.botUser.id)).toBe(true);
		ws.close(4000);
		await new Promise((r) => ws.once('close', r));

		// Missed while disconnected, replayed on RESUME.
		const missed = fake.dispatchMessageCreate({ content: 'while you were away' });
		const again = new WebSocket(`${String(dig(ready.d, 'resume_gateway_url'))}/?v=10&encoding=json`);
		const got: RawPayload[] = [];
		again.on('message', (m) => got.push(parsePayload(m)));
		await new Promise((r) => again.once('open', r));
		again.send(JSON.stringify({ op: 6, d: { token: fake.token, session_id: dig(ready.d, 'session_id'), seq: guildCreate.s } }));
		await expect.poll(() => got.find((p) => p.t === 'RESUMED')).toBeTruthy();
		const replayed = got.find((p) => p.t === 'MESSAGE_CREATE' && dig(p.d, 'id') === missed.id);
		expect(replayed?.s).toBeGreaterThan(guildCreate.s!);
		again.send(JSON.stringify({ op: 6, d: { token: fake.token, session_id: 'no-such-session', seq: 1 } }));
		await expect.poll(() => got.find((p) => p.op === 9)).toMatchObject({ op: 9, d: false });
		again.close();
	});
});

describe('application commands', () => {
	it('stores a bulk overwrite from application.commands.set and keeps ids on re-registration', async () => {
		const stored = fake.commands(fake.guild.id);
		expect(stored.map((c) => [c.name, c.type])).toEqual([
			['animate', 1],
			['Animate this', 3],
		]);
		expect(stored.every((c) => isSnowflake(c.id) && isSnowflake(c.version) && c.guild_id === fake.guild.id)).toBe(true);
		const put = lastRequest('PUT /applications/:app/guilds/:guild/commands');
		expect(put?.status).toBe(200);
		expect(Array.isArray(put?.body)).toBe(true);

		const again = await client.application!.commands.set(
			[
				{
					name: 'animate',
					description: 'Turn an image into a short video',
					options: [{ name: 'image', description: 'The still image', type: 11, required: true }],
				},
				{ name: 'Animate this', type: 3 },
			],
			fake.guild.id,
		);
		expect(again.find((c) => c.name === 'animate')?.id).toBe(stored[0]!.id);
		expect(fake.commands(fake.guild.id)[0]!.version).not.toBe(stored[0]!.version);

		const global = await client.application!.commands.set([{ name: 'ping', description: 'pong?', defaultMemberPermissions: 8n }]);
		expect(global.first()?.name).toBe('ping');
		expect(fake.commands()[0]).toMatchObject({ name: 'ping', default_member_permissions: '8' });
		await client.application!.commands.set([]);
		expect(fake.commands()).toEqual([]);
	});

	it('rejects a command the OpenAPI schema rejects (description > 100) with 400 / 50035 naming the field', async () => {
		const error = await apiError(client.application!.commands.set([{ name: 'animate', description: 'x'.repeat(101) }], fake.guild.id));
		expect(error.status).toBe(400);
		expect(error.code).toBe(50035);
		expect(dig(fieldErrors(error.rawError, '0', 'description'), 0, 'code')).toBe('BASE_TYPE_MAX_LENGTH');
		const upper = await apiError(client.application!.commands.set([{ name: 'Animate Now', description: 'ok' }], fake.guild.id));
		expect(upper.code).toBe(50035);
		expect(dig(fieldErrors(upper.rawError, '0', 'name'), 0, 'code')).toBe('APPLICATION_COMMAND_INVALID_NAME');
		// Nothing was overwritten by the rejected requests.
		expect(fake.commands(fake.guild.id).map((c) => c.name)).toEqual(['animate', 'Animate this']);
	});
});

describe('interactions', () => {
	it('delivers a complete chat-input interaction: options, resolved attachment, deferReply + editReply recorded', async () => {
		const image = fake.addAttachment('source-1024x576.png');
		const interaction = await chatInput({
			name: 'animate',
			options: [
				{ name: 'image', type: 11, value: image.id },
				{ name: 'frames', type: 4, value: 25 },
				{ name: 'motion', type: 10, value: 0.5 },
			],
			attachments: [image],
		});
		expect(interaction.isChatInputCommand()).toBe(true);
		expect(interaction.commandId).toBe(fake.commands(fake.guild.id)[0]!.id);
		expect(interaction.options.getAttachment('image', true).url).toBe(image.url);
		expect(interaction.options.getAttachment('image')?.width).toBe(1024);
		expect(interaction.options.getInteger('frames')).toBe(25);
		expect(interaction.options.getNumber('motion')).toBe(0.5);
		expect(interaction.attachmentSizeLimit).toBe(10 * 1024 * 1024);
		expect(interaction.channelId).toBe(fake.channelId);
		expect(interaction.user.id).toBe(fake.users[0]!.id);
		expect(interaction.appPermissions.has('AttachFiles')).toBe(true);

		await interaction.deferReply();
		expect(fake.interaction(interaction.id)?.original?.flags).toBe(1 << 7); // LOADING
		const reply = await interaction.editReply({
			content: 'Here is your video',
			files: [{ attachment: readFixture('svd-output-25f-1024x576.mp4'), name: 'animation.mp4' }],
		});
		expect(reply.content).toBe('Here is your video');
		expect(reply.attachments.first()?.contentType).toBe('video/mp4');

		const state = fake.interaction(interaction.id)!;
		expect(state.callbacks.map((c) => [c.type, c.status])).toEqual([[5, 204]]);
		expect(state.acknowledgedAt! - state.dispatchedAt).toBeLessThan(3000);
		expect(state.original?.content).toBe('Here is your video');
		expect(state.original?.flags).toBe(0);
		const patch = await fake.waitForRequest((r) => r.route === 'PATCH /webhooks/:app/:token/messages/:message' && r.interactionId === interaction.id);
		expect(patch.path).toMatch(/\/messages\/@original$/);
		expect(patch.status).toBe(200);
		expect(patch.files[0]).toMatchObject({ field: 'files[0]', filename: 'animation.mp4', size: readFixture('svd-output-25f-1024x576.mp4').length });
	});

	it('returns the callback resource with ?with_response=true', async () => {
		const interaction = await chatInput({ name: 'animate' });
		const response = await interaction.reply({ content: 'queued', withResponse: true });
		expect(response.resource?.message?.content).toBe('queued');
		expect(response.interaction.responseMessageId).toBe(fake.interaction(interaction.id)?.original?.id);
		expect(lastRequest('POST /interactions/:id/:token/callback')).toMatchObject({ status: 200, query: { with_response: 'true' } });
	});

	it('rejects a second callback on one interaction with 400 / 40060', async () => {
		const interaction = await chatInput({ name: 'animate' });
		await interaction.deferReply();
		// discord.js refuses locally once deferred, so send the second callback the way a confused bot would.
		const error = await apiError(
			client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: { type: 4, data: { content: 'again' } }, auth: false }),
		);
		expect(error.status).toBe(400);
		expect(error.code).toBe(40060);
		expect(fake.interaction(interaction.id)?.callbacks.map((c) => c.status)).toEqual([204, 400]);
	});

	it('refuses an autocomplete result Discord would: over 25 choices, names or values past 100 characters, a value not of the option’s type', async () => {
		const answer = async (choices: unknown[], focused: { name: string; type: number } = { name: 'model', type: 3 }) => {
			const { id, token } = await fake.dispatchAutocomplete({ name: 'animate', options: [{ ...focused, value: 'k', focused: true }] });
			return apiError(client.rest.post(Routes.interactionCallback(id, token), { body: { type: 8, data: { choices } }, auth: false }));
		};
		const many = Array.from({ length: 26 }, (_, i) => ({ name: `m${i}`, value: `m${i}` }));
		for (const [choices, path, focused] of [
			[many, ['choices'], undefined],
			[[{ name: 'x'.repeat(101), value: 'x' }], ['choices', '0', 'name'], undefined],
			[[{ name: 'Kling', value: 'k'.repeat(101) }], ['choices', '0', 'value'], undefined],
			[[{ name: 'Kling', value: 5 }], ['choices', '0', 'value'], undefined],
			[[{ name: 'Five', value: '5' }], ['choices', '0', 'value'], { name: 'seed', type: 4 }],
		] as const) {
			const error = await answer([...choices], focused);
			expect([error.status, error.code]).toEqual([400, 50035]);
			expect(fieldErrors(error.rawError, 'data', ...path)).toBeDefined();
		}
		const { id, token } = await fake.dispatchAutocomplete({ name: 'animate', options: [{ name: 'model', type: 3, value: 'k', focused: true }] });
		await client.rest.post(Routes.interactionCallback(id, token), {
			body: { type: 8, data: { choices: [{ name: 'Kling', value: 'kling' }] } },
			auth: false,
		});
		expect(fake.interaction(id)?.callbacks.map((c) => c.status)).toEqual([204]);
		// `choices` may be left out (nothing to suggest).
		const empty = await fake.dispatchAutocomplete({ name: 'animate', options: [{ name: 'seed', type: 4, value: '', focused: true }] });
		await client.rest.post(Routes.interactionCallback(empty.id, empty.token), { body: { type: 8, data: {} }, auth: false });
		expect(fake.interaction(empty.id)?.callbacks.map((c) => c.status)).toEqual([204]);
	});

	it('answers 404 / 10062 to a first callback after the deadline', async () => {
		fake.setCallbackDeadline(50);
		try {
			const interaction = await chatInput({ name: 'animate' });
			await sleep(120);
			const error = await apiError(interaction.deferReply());
			expect(error.status).toBe(404);
			expect(error.code).toBe(10062);
			expect(fake.interaction(interaction.id)?.acknowledgedAt).toBeUndefined();
		} finally {
			fake.setCallbackDeadline(3000);
		}
	});

	it('answers 401 / 50027 on interaction webhooks once the token has expired', async () => {
		const interaction = await chatInput({ name: 'animate' });
		await interaction.deferReply();
		fake.setTokenLifetime(50);
		try {
			await sleep(120);
			const error = await apiError(interaction.editReply('too late'));
			expect(error.status).toBe(401);
			expect(error.code).toBe(50027);
			const followUp = await apiError(interaction.followUp('still too late'));
			expect(followUp.code).toBe(50027);
		} finally {
			fake.setTokenLifetime(15 * 60_000);
		}
	});

	it('answers 404 / 10015 to editing @original before any callback, and 10008 to an unknown webhook message', async () => {
		const { token } = await fake.dispatchChatInput({ name: 'animate' });
		const before = await rawFetch('PATCH', `/webhooks/${fake.application.id}/${token}/messages/%40original`, { content: 'x' }, false);
		expect(before.status).toBe(404);
		expect(before.json).toEqual({ message: 'Unknown Webhook', code: 10015 });
		const unknown = await rawFetch('GET', `/webhooks/${fake.application.id}/${token}/messages/${snowflake()}`, undefined, false);
		expect(unknown.json).toEqual({ message: 'Unknown Message', code: 10008 });
		const badToken = await rawFetch('POST', `/webhooks/${fake.application.id}/not-a-token?wait=true`, { content: 'x' }, false);
		expect(badToken.json).toEqual({ message: 'Invalid Webhook Token', code: 50027 });
	});

	it('lets the first follow-up after a deferral edit the loading message (documented compatibility)', async () => {
		const interaction = await chatInput({ name: 'animate' });
		await interaction.deferReply();
		const first = await interaction.followUp('first');
		const second = await interaction.followUp('second');
		const state = fake.interaction(interaction.id)!;
		expect(first.id).toBe(state.original?.id);
		expect(state.followups.map((m) => m.id)).toEqual([second.id]);
	});

	it('rejects a file over the interaction attachment_size_limit with 413 / 40005', async () => {
		const interaction = await chatInput({ name: 'animate', attachmentSizeLimit: 1024 });
		expect(interaction.attachmentSizeLimit).toBe(1024);
		await interaction.deferReply();
		const error = await apiError(interaction.editReply({ files: [{ attachment: Buffer.alloc(1025, 1), name: 'big.bin' }] }));
		expect(error.status).toBe(413);
		expect(error.code).toBe(40005);
		expect(error.message).toBe('Request entity too large');
	});

	it('delivers a message context-menu command with its target message', async () => {
		const target = fake.dispatchMessageCreate({ content: 'look', attachments: [fake.addAttachment('square-768.jpg')] });
		let id: string | undefined = undefined;
		const received = nextInteraction<MessageContextMenuCommandInteraction>(() => id);
		id = (await fake.dispatchMessageCommand({ name: 'Animate this', targetMessage: target })).id;
		const interaction = await received;
		expect(interaction.isMessageContextMenuCommand()).toBe(true);
		expect(interaction.commandName).toBe('Animate this');
		expect(interaction.targetId).toBe(target.id);
		expect(interaction.targetMessage.attachments.first()?.contentType).toBe('image/jpeg');
		expect(interaction.targetMessage.attachments.first()?.height).toBe(768);
		await interaction.reply({ content: 'ok', flags: 64 });
		expect(fake.interaction(interaction.id)?.original?.flags).toBe(64);
	});

	it('delivers a button click with its customId; update() edits the clicked message', async () => {
		const sent = await channel.send({
			content: 'Pick',
			components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'retry:1', label: 'Retry' }] }],
		});
		const message = fake.message(sent.id)!;
		let id: string | undefined = undefined;
		const received = nextInteraction<ButtonInteraction>(() => id);
		id = (await fake.dispatchButton({ customId: 'retry:1', message, user: fake.users[1] })).id;
		const interaction = await received;
		expect(interaction.isButton()).toBe(true);
		expect(interaction.customId).toBe('retry:1');
		expect(interaction.message.id).toBe(sent.id);
		expect(interaction.user.id).toBe(fake.users[1]!.id);
		await interaction.update({ content: 'Retrying…', components: [] });
		expect(fake.message(sent.id)?.content).toBe('Retrying…');
		expect(fake.interaction(interaction.id)?.callbacks[0]?.type).toBe(7);
	});
});

describe('direct messages', () => {
	it('opens a DM with a member it knows, and refuses an unknown user (50033) or no recipient', async () => {
		const member = fake.users[0]!;
		const opened = await rawFetch('POST', '/users/@me/channels', { recipient_id: member.id });
		expect(opened.status).toBe(200);
		expect(opened.json).toMatchObject({ type: 1, recipients: [expect.objectContaining({ id: member.id })] });
		const unknown = await rawFetch('POST', '/users/@me/channels', { recipient_id: snowflake() });
		expect([unknown.status, (unknown.json as { code: number }).code]).toEqual([400, 50033]);
		const none = await rawFetch('POST', '/users/@me/channels', {});
		expect([none.status, (none.json as { code: number }).code]).toEqual([400, 50035]);
	});
});

describe('messages', () => {
	it('rejects content over 2000 characters with 50035 naming content', async () => {
		const error = await apiError(channel.send('x'.repeat(2001)));
		expect(error.status).toBe(400);
		expect(error.code).toBe(50035);
		expect(dig(fieldErrors(error.rawError, 'content'), 0)).toEqual({ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' });
	});

	it('rejects 11 embeds, an embed over 6000 characters and a bad color (from the spec) with 50035', async () => {
		const eleven = await apiError(channel.send({ embeds: Array.from({ length: 11 }, (_, i) => ({ title: `#${i}` })) }));
		expect(eleven.code).toBe(50035);
		expect(dig(fieldErrors(eleven.rawError, 'embeds'), 0, 'code')).toBe('BASE_TYPE_MAX_LENGTH');
		const huge = await apiError(
			channel.send({
				embeds: [
					{
						description: 'd'.repeat(4096),
						fields: [
							{ name: 'n', value: 'v'.repeat(1024) },
							{ name: 'm', value: 'w'.repeat(1024) },
						],
					},
				],
			}),
		);
		expect(dig(fieldErrors(huge.rawError, 'embeds'), 0, 'code')).toBe('MAX_EMBED_SIZE_EXCEEDED');
		const color = await apiError(channel.send({ embeds: [{ title: 't', color: 0x1000000 }] }));
		expect(dig(fieldErrors(color.rawError, 'embeds', '0', 'color'), 0, 'code')).toBe('NUMBER_TYPE_MAX');
	});

	it('rejects more than 5 buttons in a row and a custom_id over 100 characters', async () => {
		const button = (i: number, id = `b${i}`) => ({ type: 2, style: 1, custom_id: id, label: `B${i}` });
		const six = await rawFetch('POST', `/channels/${fake.channelId}/messages`, {
			content: 'x',
			components: [{ type: 1, components: [0, 1, 2, 3, 4, 5].map((i) => button(i)) }],
		});
		expect(six.status).toBe(400);
		expect(dig(six.json, 'code')).toBe(50035);
		expect(dig(fieldErrors(six.json, 'components', '0', 'components'), 0, 'code')).toBe('BASE_TYPE_MAX_LENGTH');
		const long = await rawFetch('POST', `/channels/${fake.channelId}/messages`, {
			content: 'x',
			components: [{ type: 1, components: [button(0, 'c'.repeat(101))] }],
		});
		expect(dig(fieldErrors(long.json, 'components', '0', 'components', '0', 'custom_id'), 0, 'code')).toBe('BASE_TYPE_MAX_LENGTH');
	});

	it('stores a multipart message: recorded filename/size/sha256, attachment url serves the same bytes', async () => {
		const png = readFixture('source-1024x576.png');
		const sent = await channel.send({ content: 'with file', files: [{ attachment: png, name: 'source.png', description: 'the source' }] });
		const request = lastRequest('POST /channels/:channel/messages')!;
		expect(request.status).toBe(200);
		expect(request.body).toMatchObject({ content: 'with file', attachments: [{ id: '0', description: 'the source' }] });
		expect(request.files).toEqual([
			{
				field: 'files[0]',
				filename: 'source.png',
				size: png.length,
				sha256: createHash('sha256').update(png).digest('hex'),
				contentType: anyInstanceOf(String),
			},
		]);
		const attachment = sent.attachments.first()!;
		expect(attachment).toMatchObject({
			name: 'source.png',
			size: png.length,
			contentType: 'image/png',
			width: 1024,
			height: 576,
			description: 'the source',
		});
		expect(attachment.url).toMatch(/\/attachments\/\d+\/\d+\/source\.png\?ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]{64}&$/);
		const fetched = await fetch(attachment.url);
		expect(fetched.status).toBe(200);
		expect(fetched.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await fetched.arrayBuffer()).equals(png)).toBe(true);
		// GET returns the stored message with the same attachment.
		const again = await channel.messages.fetch({ message: sent.id, force: true });
		expect(again.attachments.first()?.id).toBe(attachment.id);
	});

	it('serves addAttachment bytes at the signed url; tampered or unknown urls are 404', async () => {
		const attachment = fake.addAttachment('small-640x360.webp');
		expect(attachment).toMatchObject({
			filename: 'small-640x360.webp',
			content_type: 'image/webp',
			width: 640,
			height: 360,
			size: readFixture('small-640x360.webp').length,
		});
		const ok = await fetch(attachment.url);
		expect(ok.status).toBe(200);
		expect(ok.headers.get('content-length')).toBe(String(attachment.size));
		expect(Buffer.from(await ok.arrayBuffer()).equals(readFixture('small-640x360.webp'))).toBe(true);
		expect((await fetch(attachment.proxy_url)).status).toBe(200);
		expect((await fetch(attachment.url.replace(/hm=[0-9a-f]{4}/, 'hm=0000'))).status).toBe(404);
		expect((await fetch(`${fake.cdnUrl}/attachments/${fake.channelId}/${snowflake()}/x.png`)).status).toBe(404);
	});

	it('rejects a channel upload over the guild limit with 413 / 40005', async () => {
		const error = await apiError(channel.send({ files: [{ attachment: Buffer.alloc(fake.attachmentSizeLimit + 1), name: 'huge.bin' }] }));
		expect(error.status).toBe(413);
		expect(error.code).toBe(40005);
	});

	it('returns the already-created message for a repeated nonce with enforce_nonce', async () => {
		const before = fake.messages().length;
		const first = await channel.send({ content: 'once', nonce: 'animate-123', enforceNonce: true });
		const second = await channel.send({ content: 'once', nonce: 'animate-123', enforceNonce: true });
		expect(second.id).toBe(first.id);
		expect(fake.messages().length).toBe(before + 1);
		const third = await channel.send({ content: 'twice', nonce: 'animate-123' });
		expect(third.id).not.toBe(first.id);
	});

	it('answers 404 10008 / 10003 for unknown messages and channels, and PATCH/DELETE work on stored ones', async () => {
		const unknownMessage = await apiError(channel.messages.fetch({ message: snowflake(), force: true }));
		expect([unknownMessage.status, unknownMessage.code]).toEqual([404, 10008]);
		const unknownChannel = await apiError(client.channels.fetch(snowflake(), { force: true }));
		expect([unknownChannel.status, unknownChannel.code]).toEqual([404, 10003]);
		const sent = await channel.send('edit me');
		await sent.edit('edited');
		expect(fake.message(sent.id)?.content).toBe('edited');
		expect(fake.message(sent.id)?.edited_timestamp).toBeTruthy();
		await sent.delete();
		expect(fake.message(sent.id)).toBeUndefined();
		const human = fake.dispatchMessageCreate({ content: 'mine' });
		const other = await rawFetch('PATCH', `/channels/${fake.channelId}/messages/${human.id}`, { content: 'hijack' });
		expect(other.json).toEqual({ message: 'Cannot edit a message authored by another user', code: 50005 });
	});

	it('pages channel history like Discord: newest first, and `after` answers the oldest messages after the id', async () => {
		const posted = Array.from({ length: 5 }, (_, i) => fake.dispatchMessageCreate({ content: `history ${i}` }));
		const ids = (json: unknown) => (json as { id: string }[]).map((m) => m.id);
		const after = await rawFetch('GET', `/channels/${fake.channelId}/messages?after=${posted[0]!.id}&limit=2`);
		expect(ids(after.json)).toEqual([posted[2]!.id, posted[1]!.id]);
		const latest = await rawFetch('GET', `/channels/${fake.channelId}/messages?limit=2`);
		expect(ids(latest.json)).toEqual([posted[4]!.id, posted[3]!.id]);
		const before = await rawFetch('GET', `/channels/${fake.channelId}/messages?before=${posted[4]!.id}&limit=2`);
		expect(ids(before.json)).toEqual([posted[3]!.id, posted[2]!.id]);
	});

	it('waitForRequest resolves with a request that arrives later', async () => {
		const typing = fake.waitForRequest((r) => r.route === 'POST /channels/:channel/typing');
		await channel.sendTyping();
		const request = await typing;
		expect(request.status).toBe(204);
		expect(request.path).toBe(`/channels/${fake.channelId}/typing`);
		await expect(fake.waitForRequest((r) => r.route === 'DELETE /nothing', 50)).rejects.toThrow(/no matching request/);
	});

	it('adds reactions with PUT …/reactions/{emoji}/@me and rejects an unknown emoji with 10014', async () => {
		const sent = await channel.send('react to me');
		await sent.react('👍');
		const request = lastRequest('PUT /channels/:channel/messages/:message/reactions/:emoji/@me')!;
		expect(request.status).toBe(204);
		expect(request.path).toBe(`/channels/${fake.channelId}/messages/${sent.id}/reactions/👍/@me`);
		expect(fake.message(sent.id)?.reactions?.[0]).toMatchObject({ count: 1, me: true, emoji: { name: '👍' } });
		const bad = await rawFetch('PUT', `/channels/${fake.channelId}/messages/${sent.id}/reactions/thumbsup/@me`);
		expect(bad.json).toEqual({ message: 'Unknown Emoji', code: 10014 });
	});

	it('delivers MESSAGE_CREATE and MESSAGE_REACTION_ADD to the client', async () => {
		const created = nextEvent<Message>(Events.MessageCreate, (m) => m.content === 'hello bot');
		const message = fake.dispatchMessageCreate({ content: 'hello bot', author: fake.users[1] });
		const got = await created;
		expect(got.id).toBe(message.id);
		expect(got.author.id).toBe(fake.users[1]!.id);
		expect(got.guildId).toBe(fake.guild.id);
		expect(got.member?.id).toBe(fake.users[1]!.id);

		const onReaction = new Promise<[MessageReaction, User]>((resolve) => {
			const listener = (reaction: MessageReaction, user: User) => {
				if (reaction.message.id !== message.id) return;
				client.off(Events.MessageReactionAdd, listener as never);
				resolve([reaction, user]);
			};
			client.on(Events.MessageReactionAdd, listener as never);
		});
		fake.dispatchReactionAdd({ messageId: message.id, userId: fake.users[0]!.id, emoji: '🔁' });
		const [reaction, user] = await onReaction;
		expect(reaction.emoji.name).toBe('🔁');
		expect(user.id).toBe(fake.users[0]!.id);
	});
});

describe('what an app without Message Content sees', () => {
	it("strips others' message content, embeds and attachments over REST, but not the app's own", async () => {
		const strict = await FakeDiscord.start({ allowedPrivilegedIntents: 0 });
		try {
			const rest = new REST({ api: strict.apiUrl }).setToken(strict.token);
			const post = strict.dispatchMessageCreate({
				author: strict.users[1]!,
				content: 'hello',
				attachments: [strict.addAttachment('source-1024x576.png')],
			});
			const seen = (await rest.get(Routes.channelMessage(strict.channelId, post.id))) as { content: string; attachments: unknown[] };
			expect(seen.content).toBe('');
			expect(seen.attachments).toEqual([]);
			const own = (await rest.post(Routes.channelMessages(strict.channelId), { body: { content: 'mine' } })) as { id: string };
			const ownSeen = (await rest.get(Routes.channelMessage(strict.channelId, own.id))) as { content: string };
			expect(ownSeen.content).toBe('mine');
		} finally {
			await strict.close();
		}
	});

	it('resolves channel options (also inside subcommands) to partial channels with permissions', async () => {
		const interaction = await chatInput({
			name: 'settings-like',
			options: [
				{ name: 'channel', type: 1, options: [{ name: 'channel', type: ApplicationCommandOptionType.Channel, value: fake.otherChannelId }] },
			] as never,
		});
		expect(interaction.options.getChannel('channel', true).id).toBe(fake.otherChannelId);
		await interaction.reply({ content: 'ok' });
	});
});

describe('rate limits and permissions', () => {
	it('carries plausible X-RateLimit-* headers on normal responses', () => {
		const request = lastRequest('POST /channels/:channel/messages')!;
		expect(Number(request.responseHeaders['x-ratelimit-limit'])).toBeGreaterThan(0);
		expect(Number(request.responseHeaders['x-ratelimit-remaining'])).toBeGreaterThan(0);
		expect(Number(request.responseHeaders['x-ratelimit-reset-after'])).toBeGreaterThan(0);
		expect(request.responseHeaders['x-ratelimit-bucket']).toMatch(/^[0-9a-f]+$/);
	});

	it('answers 429 from the rateLimit knob; discord.js waits Retry-After and retries successfully', async () => {
		fake.rateLimit('POST /channels/:channel/messages', { retryAfterSeconds: 0.3 });
		const start = fake.requests.length;
		const sent = await channel.send('after a 429');
		expect(sent.content).toBe('after a 429');
		const posts = fake.requests.slice(start).filter((r) => r.route === 'POST /channels/:channel/messages');
		expect(posts.map((r) => r.status)).toEqual([429, 200]);
		const limited = posts[0]!;
		expect(limited.response).toEqual({ message: 'You are being rate limited.', retry_after: 0.3, global: false });
		expect(limited.responseHeaders).toMatchObject({ 'retry-after': '0.3', 'x-ratelimit-remaining': '0', 'x-ratelimit-scope': 'user' });
		expect(limited.responseHeaders['x-ratelimit-bucket']).toBeTruthy();
		expect(posts[1]!.at - limited.at).toBeGreaterThanOrEqual(250);
	});

	it('answers a global 429 with X-RateLimit-Global and discord.js still gets through', async () => {
		fake.rateLimit(/^GET \/channels\/\d+\/messages\/\d+$/, { retryAfterSeconds: 0.2, global: true });
		const sent = await channel.send('global');
		const start = fake.requests.length;
		await channel.messages.fetch({ message: sent.id, force: true });
		const gets = fake.requests.slice(start).filter((r) => r.route === 'GET /channels/:channel/messages/:message');
		expect(gets.map((r) => r.status)).toEqual([429, 200]);
		expect(gets[0]!.responseHeaders).toMatchObject({ 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' });
		expect(dig(gets[0]!.response, 'global')).toBe(true);
	});

	it('keeps discord.js inside the advertised bucket (no 429 when it honours X-RateLimit-Remaining)', async () => {
		const small = await FakeDiscord.start({ bucketLimit: 2, bucketWindowMs: 300 });
		try {
			const rest = new REST({ api: small.apiUrl }).setToken(small.token);
			const started = Date.now();
			await Promise.all([0, 1, 2, 3, 4].map((i) => rest.post(Routes.channelMessages(small.channelId), { body: { content: `n${i}` } })));
			expect(small.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
			expect(Date.now() - started).toBeGreaterThanOrEqual(500);
			// A client that ignores the headers gets a real 429.
			const burst = await Promise.all(
				[0, 1, 2].map(() =>
					fetch(`${small.apiUrl}/v10/channels/${small.channelId}/messages`, {
						method: 'POST',
						headers: { authorization: `Bot ${small.token}`, 'content-type': 'application/json' },
						body: JSON.stringify({ content: 'spam' }),
					}).then((r) => r.status),
				),
			);
			expect(burst).toContain(429);
		} finally {
			await small.close();
		}
	});

	it('answers 403 / 50013 (and 50001) for a denied channel, and discord.js sees the new overwrites', async () => {
		const other = client.channels.cache.get(fake.otherChannelId) as TextChannel;
		const updated = nextEvent(Events.ChannelUpdate);
		fake.denyChannel(fake.otherChannelId);
		await updated;
		expect(other.permissionsFor(other.guild.members.me!)?.has('SendMessages')).toBe(false);
		const error = await apiError(other.send('hi'));
		expect([error.status, error.code, error.message]).toEqual([403, 50013, 'Missing Permissions']);
		fake.denyChannel(fake.otherChannelId, 50001);
		const access = await apiError(client.channels.fetch(fake.otherChannelId, { force: true }));
		expect([access.status, access.code]).toEqual([403, 50001]);
		fake.allowChannel(fake.otherChannelId);
		expect((await other.send('back')).content).toBe('back');
	});
});

describe('request validation', () => {
	it('validates every body against the OpenAPI schema (interaction callback union included)', async () => {
		const { id, token } = await fake.dispatchChatInput({ name: 'animate' });
		const bad = await fetch(`${fake.apiUrl}/v10/interactions/${id}/${token}/callback`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ type: 4, data: { content: 'y'.repeat(2001) } }),
		});
		expect(bad.status).toBe(400);
		const json = await bad.json();
		expect(dig(json, 'code')).toBe(50035);
		expect(dig(fieldErrors(json, 'data', 'content'), 0, 'code')).toBe('BASE_TYPE_MAX_LENGTH');
		// The rejected callback did not acknowledge the interaction.
		expect(fake.interaction(id)?.acknowledgedAt).toBeUndefined();
		const invalidJson = await fetch(`${fake.apiUrl}/v10/channels/${fake.channelId}/messages`, {
			method: 'POST',
			headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
			body: '{nope',
		});
		expect(dig(await invalidJson.json(), 'code')).toBe(50109);
		const empty = await rawFetch('POST', `/channels/${fake.channelId}/messages`, { content: '' });
		expect(empty.json).toEqual({ message: 'Cannot send an empty message', code: 50006 });
		const badId = await rawFetch('GET', '/channels/abc');
		expect(dig(fieldErrors(badId.json, 'channel_id'), 0, 'code')).toBe('NUMBER_TYPE_COERCE');
		expect((await rawFetch('GET', '/nowhere')).status).toBe(404);
		expect((await rawFetch('DELETE', '/gateway/bot')).status).toBe(405);
	});
});

describe('message limits, refused like Discord on every route that creates or edits a message', () => {
	/** The `errors` of a 400 / 50035 Invalid Form Body. */
	const formErrors = (error: DiscordAPIError): unknown => {
		expect([error.status, error.code, dig(error.rawError, 'message')]).toEqual([400, 50035, 'Invalid Form Body']);
		return dig(error.rawError, 'errors');
	};
	const tooLong = (limit: number) => [{ code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${limit} or fewer in length.` }];
	const embedTooBig = [{ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }];
	/** Three embeds, each within its own limits, together 6001 characters. */
	const sixThousandAndOne = () => [
		{ title: 't'.repeat(256), description: 'd'.repeat(4096) },
		{ description: 'e'.repeat(1024), fields: [{ name: 'n'.repeat(100), value: 'v'.repeat(500) }] },
		{ footer: { text: 'f'.repeat(25) } },
	];
	const row = (n: number) => ({
		type: 1,
		components: Array.from({ length: n }, (_, i) => ({ type: 2, style: 1, custom_id: `c${i}`, label: `L${i}` })),
	});

	it('channel messages (JSON, multipart payload_json and PATCH): per-field limits, 25 fields and the 6000 total', async () => {
		const before = fake.messages().length;
		expect(dig(formErrors(await apiError(channel.send({ embeds: [{ title: 'x'.repeat(257) }] }))), 'embeds', '0', 'title', '_errors')).toEqual(
			tooLong(256),
		);
		expect(
			dig(formErrors(await apiError(channel.send({ embeds: [{ author: { name: 'a'.repeat(257) } }] }))), 'embeds', '0', 'author', 'name', '_errors'),
		).toEqual(tooLong(256));
		expect(
			dig(formErrors(await apiError(channel.send({ embeds: [{ footer: { text: 'f'.repeat(2049) } }] }))), 'embeds', '0', 'footer', 'text', '_errors'),
		).toEqual(tooLong(2048));
		const longValue = formErrors(
			await apiError(
				channel.send({
					embeds: [
						{
							fields: [
								{ name: 'ok', value: 'v' },
								{ name: 'n', value: 'v'.repeat(1025) },
							],
						},
					],
				}),
			),
		);
		expect(dig(longValue, 'embeds', '0', 'fields', '1', 'value', '_errors')).toEqual(tooLong(1024));
		const fields = Array.from({ length: 26 }, (_, i) => ({ name: `f${i}`, value: 'v' }));
		expect(dig(formErrors(await apiError(channel.send({ embeds: [{ fields }] }))), 'embeds', '0', 'fields', '_errors')).toEqual(tooLong(25));
		// The 6000 total spans every embed of the message, also when it is multipart with files.
		const multipart = formErrors(
			await apiError(channel.send({ embeds: sixThousandAndOne(), files: [{ attachment: readFixture('small-640x360.webp'), name: 'a.webp' }] })),
		);
		expect(multipart).toEqual({ embeds: { _errors: embedTooBig } });
		expect(lastRequest('POST /channels/:channel/messages')?.headers['content-type']).toMatch(/^multipart\/form-data/);
		expect(fake.messages().length).toBe(before);
		// Exactly at the limits passes: 6000 in total, 2000 characters of content counted as code points (4000 UTF-16 units).
		const fits = sixThousandAndOne();
		fits[2]!.footer!.text = 'f'.repeat(24);
		const sent = await channel.send({ content: '🎬'.repeat(2000), embeds: fits });
		expect(fake.message(sent.id)?.embeds).toHaveLength(3);
		const edited = formErrors(await apiError(sent.edit({ embeds: sixThousandAndOne() })));
		expect(edited).toEqual({ embeds: { _errors: embedTooBig } });
		expect(dig(formErrors(await apiError(sent.edit({ content: 'c'.repeat(2001) }))), 'content', '_errors')).toEqual(tooLong(2000));
		expect(fake.message(sent.id)?.content).toBe('🎬'.repeat(2000));
	});

	it('components: at most 5 rows of 5, labels 80, custom_id 100, a select alone in its row', async () => {
		expect(
			dig(formErrors(await apiError(channel.send({ content: 'x', components: Array.from({ length: 6 }, () => row(1)) }))), 'components', '_errors'),
		).toEqual(tooLong(5));
		const label = { type: 1, components: [{ type: 2, style: 1, custom_id: 'a', label: 'l'.repeat(81) }] };
		const longLabel = formErrors(await apiError(channel.send({ content: 'x', components: [label] as never })));
		expect(dig(longLabel, 'components', '0', 'components', '0', 'label', '_errors')).toEqual(tooLong(80));
		const select = { type: 3, custom_id: 's', options: [{ label: 'a', value: 'a' }] };
		const mixed = await rawFetch('POST', `/channels/${fake.channelId}/messages`, {
			content: 'x',
			components: [{ type: 1, components: [select, { type: 2, style: 1, custom_id: 'b', label: 'b' }] }],
		});
		expect(mixed.status).toBe(400);
		expect(dig(fieldErrors(mixed.json, 'components', '0', 'components'), 0, 'code')).toBe('COMPONENT_LAYOUT_WIDTH_EXCEEDED');
		const options = Array.from({ length: 26 }, (_, i) => ({ label: `o${i}`, value: `o${i}` }));
		const many = await rawFetch('POST', `/channels/${fake.channelId}/messages`, {
			content: 'x',
			components: [{ type: 1, components: [{ ...select, options }] }],
		});
		expect(fieldErrors(many.json, 'components', '0', 'components', '0', 'options')).toEqual(tooLong(25));
		expect((await channel.send({ content: 'five by five', components: Array.from({ length: 5 }, () => row(5)) })).components).toHaveLength(5);
	});

	it('interaction callbacks (reply and update) answer with the errors under data and stay unacknowledged', async () => {
		const interaction = await chatInput({ name: 'animate' });
		const total = formErrors(await apiError(interaction.reply({ embeds: sixThousandAndOne() })));
		expect(total).toEqual({ data: { embeds: { _errors: embedTooBig } } });
		const rows = formErrors(await apiError(interaction.reply({ content: 'x', components: Array.from({ length: 6 }, () => row(1)) })));
		expect(rows).toEqual({ data: { components: { _errors: tooLong(5) } } });
		const fields = formErrors(await apiError(interaction.reply({ embeds: [{ fields: [{ name: 'n'.repeat(257), value: 'v' }] }] })));
		expect(dig(fields, 'data', 'embeds', '0', 'fields', '0', 'name', '_errors')).toEqual(tooLong(256));
		expect(fake.interaction(interaction.id)?.acknowledgedAt).toBeUndefined();
		await interaction.reply({ content: 'fine', components: [row(2)] as never });

		const sent = await channel.send({ content: 'Pick', components: [row(1)] as never });
		let id: string | undefined = undefined;
		const received = nextInteraction<ButtonInteraction>(() => id);
		id = (await fake.dispatchButton({ customId: 'c0', message: fake.message(sent.id)! })).id;
		const click = await received;
		const update = formErrors(
			await apiError(
				click.update({ components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'x'.repeat(101), label: 'ok' }] }] as never }),
			),
		);
		expect(dig(update, 'data', 'components', '0', 'components', '0', 'custom_id', '_errors')).toEqual(tooLong(100));
		expect(fake.message(sent.id)?.components?.[0]).toMatchObject({ components: [{ custom_id: 'c0' }] });
	});

	it('interaction webhooks: editReply (@original), followUp and editing a follow-up', async () => {
		const interaction = await chatInput({ name: 'animate' });
		await interaction.deferReply();
		const longDescription = formErrors(await apiError(interaction.editReply({ embeds: [{ description: 'd'.repeat(4097) }] })));
		expect(dig(longDescription, 'embeds', '0', 'description', '_errors')).toEqual(tooLong(4096));
		const multipart = formErrors(
			await apiError(
				interaction.editReply({ embeds: sixThousandAndOne(), files: [{ attachment: readFixture('small-640x360.webp'), name: 'a.webp' }] }),
			),
		);
		expect(multipart).toEqual({ embeds: { _errors: embedTooBig } });
		expect(fake.interaction(interaction.id)?.original?.flags).toBe(1 << 7); // still loading
		await interaction.editReply('done');
		const elevenEmbeds = formErrors(await apiError(interaction.followUp({ embeds: Array.from({ length: 11 }, () => ({ title: 't' })) })));
		expect(dig(elevenEmbeds, 'embeds', '_errors', 0, 'code')).toBe('BASE_TYPE_MAX_LENGTH');
		expect(formErrors(await apiError(interaction.followUp({ embeds: sixThousandAndOne() })))).toEqual({ embeds: { _errors: embedTooBig } });
		const followUp = await interaction.followUp('follow');
		const edit = formErrors(
			await apiError(
				interaction.webhook.editMessage(followUp.id, {
					embeds: [{ title: 'ok', fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }],
				}),
			),
		);
		expect(dig(edit, 'embeds', '0', 'fields', '_errors')).toEqual(tooLong(25));
		expect(fake.interaction(interaction.id)?.followups.map((m) => m.content)).toEqual(['follow']);
	});
});

describe('CDN and media proxy', () => {
	it('counts downloads per url: the CDN url and the proxy_url separately, the attachment in total', async () => {
		const attachment = fake.addAttachment('mask-1024x576.png');
		expect(fake.mediaRequests(attachment.url)).toHaveLength(0);
		for (let i = 0; i < 2; i++) expect((await fetch(attachment.url)).status).toBe(200);
		await (await fetch(attachment.proxy_url)).arrayBuffer();
		await fetch(attachment.url, { method: 'HEAD' });
		expect(fake.mediaRequests(attachment.url).map((r) => r.method)).toEqual(['GET', 'GET', 'HEAD']);
		expect(fake.mediaRequests(attachment.proxy_url)).toHaveLength(1);
		expect(fake.mediaRequests(attachment)).toHaveLength(4);
		expect(fake.mediaRequests(attachment.id).every((r) => r.status === 200 && r.mediaKey === attachment.id)).toBe(true);
	});

	it('drips an attachment at N bytes per second', async () => {
		const bytes = readFixture('small-640x360.webp'); // 4642 bytes
		const attachment = fake.addAttachment(bytes, { filename: 'slow.webp' });
		fake.throttleMedia(attachment, { bytesPerSecond: 10_000 });
		const started = Date.now();
		const response = await fetch(attachment.url);
		expect(response.headers.get('content-length')).toBe(String(bytes.length));
		const body = Buffer.from(await response.arrayBuffer());
		expect(body.equals(bytes)).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual(400);
		fake.throttleMedia(attachment.url, undefined);
		const quick = Date.now();
		await (await fetch(attachment.url)).arrayBuffer();
		expect(Date.now() - quick).toBeLessThan(300);
	});

	it('stalls after K bytes so a download timeout fires; the request is recorded and counted', async () => {
		const attachment = fake.addAttachment('source-1024x576.png');
		fake.throttleMedia(attachment.url, { stallAfterBytes: 1024 });
		const response = await fetch(attachment.url, { signal: AbortSignal.timeout(300) });
		expect(response.status).toBe(200);
		// The chunks are bytes; Node's fetch types leave them `any`.
		const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
		let received = 0;
		const outcome = await (async () => {
			try {
				for (;;) {
					const { done, value } = await reader.read();
					if (done) return 'complete';
					received += value.length;
				}
			} catch (error) {
				return (error as Error).name;
			}
		})();
		expect(outcome).toBe('TimeoutError');
		expect(received).toBe(1024);
		expect(fake.mediaRequests(attachment)).toHaveLength(1);
		// The proxy_url drips the same way (the knob is per attachment).
		await expect(fetch(attachment.proxy_url, { signal: AbortSignal.timeout(200) }).then((r) => r.arrayBuffer())).rejects.toThrow();
		fake.throttleMedia(attachment.id, undefined);
		expect(Buffer.from(await (await fetch(attachment.url)).arrayBuffer()).length).toBe(attachment.size);
		expect(fake.mediaRequests(attachment)).toHaveLength(3);
	});

	it('gives a bot-sent embed image the posted url and a proxy_url on the fake host that serves the image', async () => {
		const external = 'https://images.example.com/renders/cat.png?size=large';
		const registered = fake.addExternalMedia(external, 'source-1024x576.png');
		expect(registered).toMatchObject({ url: external, width: 1024, height: 576, content_type: 'image/png' });
		const sent = await channel.send({ embeds: [{ title: 'cat', image: { url: external }, thumbnail: { url: 'http://127.0.0.1:9/nothing.png' } }] });
		const image = sent.embeds[0]!.image!;
		expect(image.url).toBe(external);
		expect(image.proxyURL).toBe(registered.proxy_url);
		expect(image.proxyURL!.startsWith(`${fake.cdnUrl}/external/`)).toBe(true);
		expect([image.width, image.height]).toEqual([1024, 576]);
		const proxied = await fetch(image.proxyURL!);
		expect(proxied.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await proxied.arrayBuffer()).equals(readFixture('source-1024x576.png'))).toBe(true);
		expect(fake.mediaRequests(external)).toHaveLength(1);
		// Nothing registered and unreachable upstream: the proxy answers 404 like Discord's.
		const thumbnail = sent.embeds[0]!.thumbnail!;
		expect(thumbnail.url).toBe('http://127.0.0.1:9/nothing.png');
		expect((await fetch(thumbnail.proxyURL!)).status).toBe(404);
		// A CDN attachment url in an embed is proxied through /media/ like media.discordapp.net.
		const attachment = fake.addAttachment('mask-1024x576.png');
		const withCdn = await channel.send({ embeds: [{ image: { url: attachment.url } }] });
		expect(withCdn.embeds[0]!.image!.proxyURL).toBe(attachment.proxy_url);
		expect((await fetch(withCdn.embeds[0]!.image!.proxyURL!)).status).toBe(200);
	});

	it('lets a member message carry an external embed whose proxy_url serves a fixture, also through MESSAGE_CREATE', async () => {
		const image = fake.addExternalMedia('https://cdn.example.org/uploads/photo.jpg', 'square-768.jpg');
		const created = nextEvent<Message>(Events.MessageCreate, (m) => m.content === 'look at this link');
		const posted = fake.dispatchMessageCreate({
			content: 'look at this link',
			embeds: [{ type: 'image' as never, url: image.url, thumbnail: { url: image.url } }],
		});
		expect(posted.embeds[0]!.thumbnail).toMatchObject({
			url: image.url,
			proxy_url: image.proxy_url,
			width: 768,
			height: 768,
			content_type: 'image/jpeg',
		});
		const message = await created;
		const proxyURL = message.embeds[0]!.thumbnail!.proxyURL!;
		expect(proxyURL).toBe(image.proxy_url);
		fake.throttleMedia(image.url, { bytesPerSecond: 200_000 });
		const started = Date.now();
		expect(Buffer.from(await (await fetch(proxyURL)).arrayBuffer()).equals(readFixture('square-768.jpg'))).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual(450);
		expect(fake.mediaRequests(image.proxy_url)).toHaveLength(1);
	});
});

describe('rate limits like Discord: global per token, per-route buckets, interactions exempt', () => {
	it('120 messages from three discord.js REST clients on one token: global 429s, each retried, all created', { timeout: 30_000 }, async () => {
		const burst = await FakeDiscord.start();
		try {
			const clients = [0, 1, 2].map(() => new REST({ api: burst.apiUrl }).setToken(burst.token));
			const channels = [burst.channelId, burst.otherChannelId, burst.channelId];
			const sent = await Promise.all(
				clients.flatMap((rest, c) =>
					Array.from(
						{ length: 40 },
						(_, i) => rest.post(Routes.channelMessages(channels[c]!), { body: { content: `client ${c} message ${i}` } }) as Promise<{ id: string }>,
					),
				),
			);
			expect(new Set(sent.map((m) => m.id)).size).toBe(120);
			expect(burst.messages(burst.channelId).length + burst.messages(burst.otherChannelId).length).toBe(120);
			const posts = burst.requests.filter((r) => r.route === 'POST /channels/:channel/messages');
			expect(posts.filter((r) => r.status === 200)).toHaveLength(120);
			const limited = posts.filter((r) => r.status === 429);
			expect(posts.length).toBe(120 + limited.length);
			const global = limited.filter((r) => (r.response as { global?: boolean }).global === true);
			expect(global.length).toBeGreaterThan(0);
			for (const r of global) {
				expect(r.response).toEqual({ message: 'You are being rate limited.', retry_after: anyInstanceOf(Number), global: true });
				expect(r.responseHeaders).toMatchObject({
					'x-ratelimit-global': 'true',
					'x-ratelimit-scope': 'global',
					'retry-after': stringMatching(/^\d+$/),
				});
			}
			// At most 50 per fixed 1 s window, so never more than 2 × 50 within any sliding second.
			const accepted = burst.requests.filter((r) => r.status !== 429 && r.headers.authorization === `Bot ${burst.token}`).map((r) => r.at);
			for (const at of accepted) expect(accepted.filter((t) => t >= at && t < at + 1000).length).toBeLessThanOrEqual(100);
			expect(accepted.length).toBeGreaterThanOrEqual(120);
		} finally {
			await burst.close();
		}
	});

	it('exempts interaction callbacks and interaction webhooks from the global limit', async () => {
		const limited = await FakeDiscord.start({ globalRateLimit: 10, globalWindowMs: 3000 });
		const bot = new Client({ intents: INTENTS, rest: { api: limited.apiUrl } });
		try {
			await bot.login(limited.token);
			await limited.ready();
			let status = 0;
			for (let i = 0; i < 12 && status !== 429; i++)
				status = (await fetch(`${limited.apiUrl}/v10/users/@me`, { headers: { authorization: `Bot ${limited.token}` } })).status;
			expect(status).toBe(429);
			let id: string | undefined = undefined;
			const received = new Promise<ChatInputCommandInteraction>((resolve) =>
				bot.on(Events.InteractionCreate, (i) => {
					if (i.id === id) resolve(i as ChatInputCommandInteraction);
				}),
			);
			id = (await limited.dispatchChatInput({ name: 'animate' })).id;
			const interaction = await received;
			await interaction.reply('still answered');
			await interaction.followUp('and followed up');
			await interaction.editReply('and edited');
			const exempt = limited.requests.filter((r) => r.interactionId === id);
			expect(exempt.map((r) => r.status)).toEqual([204, 200, 200]);
			const bucketed = await fetch(`${limited.apiUrl}/v10/channels/${limited.channelId}`, { headers: { authorization: `Bot ${limited.token}` } });
			expect(bucketed.status).toBe(429);
			expect(bucketed.headers.get('x-ratelimit-global')).toBe('true');
			expect(bucketed.headers.get('x-ratelimit-scope')).toBe('global');
			expect(Number(bucketed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
			expect(await bucketed.json()).toMatchObject({ global: true, message: 'You are being rate limited.' });
		} finally {
			await bot.destroy();
			await limited.close();
		}
	});

	it('per-route buckets: setRouteLimit announces its own size and discord.js waits instead of hitting it', async () => {
		const small = await FakeDiscord.start({ routeLimits: { 'POST /channels/:channel/messages': { limit: 5, windowMs: 400 } } });
		try {
			const rest = new REST({ api: small.apiUrl }).setToken(small.token);
			const started = Date.now();
			await Promise.all(Array.from({ length: 8 }, (_, i) => rest.post(Routes.channelMessages(small.channelId), { body: { content: `m${i}` } })));
			expect(Date.now() - started).toBeGreaterThanOrEqual(350);
			const posts = small.requests.filter((r) => r.route === 'POST /channels/:channel/messages');
			expect(posts.map((r) => r.status)).toEqual(Array(8).fill(200));
			expect(posts[0]!.responseHeaders).toMatchObject({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4' });
			expect(posts[4]!.responseHeaders['x-ratelimit-remaining']).toBe('0');
			// Other routes keep the default bucket; another channel has its own bucket.
			const other = (await rest.post(Routes.channelMessages(small.otherChannelId), { body: { content: 'x' } }), small.requests.at(-1)!);
			expect(other.responseHeaders['x-ratelimit-remaining']).toBe('4');
			small.setRouteLimit('POST /channels/:channel/messages', undefined);
			await rest.get(Routes.channel(small.channelId));
			expect(small.requests.at(-1)!.responseHeaders['x-ratelimit-limit']).toBe('50');
		} finally {
			await small.close();
		}
	});
});

describe('gateway shards and forwarded messages', () => {
	async function identify(target: FakeDiscord, shard: [number, number]) {
		const ws = new WebSocket(`${target.gatewayUrl}/?v=10&encoding=json`);
		const inbox: RawPayload[] = [];
		ws.on('message', (m) => inbox.push(parsePayload(m)));
		await new Promise((resolve) => ws.once('open', resolve));
		ws.send(
			JSON.stringify({
				op: 2,
				d: { token: target.token, intents: 1 | 512 | (1 << 15), shard, properties: { os: 'linux', browser: 't', device: 't' } },
			}),
		);
		await expect.poll(() => inbox.some((p) => p.t === 'READY')).toBe(true);
		return { ws, inbox };
	}

	it('sends GUILD_CREATE and guild events only to the shard (guild_id >> 22) % num_shards', async () => {
		const sharded = await FakeDiscord.start({ recommendedShards: 3 });
		try {
			const owner = Number((BigInt(sharded.guild.id) >> 22n) % 3n);
			const shards = await Promise.all([0, 1, 2].map((id) => identify(sharded, [id, 3])));
			await sharded.ready();
			await expect.poll(() => shards[owner]!.inbox.some((p) => p.t === 'GUILD_CREATE')).toBe(true);
			const posted = sharded.dispatchMessageCreate({ content: 'which shard?' });
			await expect.poll(() => shards[owner]!.inbox.some((p) => p.t === 'MESSAGE_CREATE' && dig(p.d, 'id') === posted.id)).toBe(true);
			await sleep(50);
			shards.forEach(({ inbox }, id) => {
				const ready = inbox.find((p) => p.t === 'READY');
				expect(dig(ready?.d, 'shard')).toEqual([id, 3]);
				expect(list(dig(ready?.d, 'guilds')).map((g) => dig(g, 'id'))).toEqual(id === owner ? [sharded.guild.id] : []);
				expect(inbox.filter((p) => p.t === 'GUILD_CREATE' || p.t === 'MESSAGE_CREATE').length).toBe(id === owner ? 2 : 0);
			});
			const gatewayBot = await fetch(`${sharded.apiUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${sharded.token}` } });
			expect(dig(await gatewayBot.json(), 'shards')).toBe(3);
			const bad = new WebSocket(`${sharded.gatewayUrl}/?v=10&encoding=json`);
			await new Promise((resolve) => bad.once('open', resolve));
			const closed = new Promise<number>((resolve) => bad.once('close', (code) => resolve(code)));
			bad.send(
				JSON.stringify({ op: 2, d: { token: sharded.token, intents: 513, shard: [3, 3], properties: { os: 'linux', browser: 't', device: 't' } } }),
			);
			expect(await closed).toBe(4010);
			for (const { ws } of shards) ws.close();
		} finally {
			await sharded.close();
		}
	});

	it('delivers a forward: message_reference.type 1 and message_snapshots with content and attachments', async () => {
		const original = fake.dispatchMessageCreate({
			content: 'the original',
			channel_id: fake.otherChannelId,
			attachments: [fake.addAttachment('square-768.jpg')],
		});
		const received = nextEvent<Message>(Events.MessageCreate, (m) => m.reference?.messageId === original.id);
		const forward = fake.dispatchForward({ message: original, channelId: fake.channelId, author: fake.users[2] });
		expect(forward).toMatchObject({
			content: '',
			flags: 1 << 14,
			message_reference: { type: 1, message_id: original.id, channel_id: fake.otherChannelId },
		});
		const message = await received;
		expect(message.reference?.type).toBe(1);
		expect(message.content).toBe('');
		const snapshot = message.messageSnapshots.first()!;
		expect(snapshot.content).toBe('the original');
		expect(snapshot.attachments.first()?.contentType).toBe('image/jpeg');
		expect(snapshot.attachments.first()?.url).toBe(original.attachments[0]!.url);
		const stored = fake.message(forward.id)?.message_snapshots?.[0]?.message;
		expect(stored).toMatchObject({ content: 'the original' });
		expect(dig(stored, 'author')).toBeUndefined();
	});
});

describe('user-installed interactions', () => {
	it('in a group DM: context 2, user-install owner, no guild; replies work but channel routes answer 403 / 50001', async () => {
		const interaction = await chatInput({ name: 'animate', context: 2, user: fake.users[1] });
		expect(interaction.context).toBe(2);
		expect(interaction.authorizingIntegrationOwners).toMatchObject({ 1: fake.users[1]!.id });
		expect(interaction.authorizingIntegrationOwners[0 as never]).toBeUndefined();
		expect(interaction.guildId).toBeNull();
		expect(interaction.member).toBeNull();
		expect(interaction.user.id).toBe(fake.users[1]!.id);
		expect(interaction.channelId).toBe(fake.groupDmId);
		expect(interaction.appPermissions.has('AttachFiles')).toBe(true);
		expect(interaction.appPermissions.has('SendMessages')).toBe(false);
		await interaction.deferReply();
		await interaction.editReply({ content: 'made in a group DM', files: [{ attachment: readFixture('small-640x360.webp'), name: 'a.webp' }] });
		await interaction.followUp('and a follow-up');
		expect(fake.messages(fake.groupDmId).map((m) => m.content)).toEqual(['made in a group DM', 'and a follow-up']);
		expect(fake.interaction(interaction.id)!.original?.interaction_metadata?.authorizing_integration_owners).toEqual({ 1: fake.users[1]!.id });
		const send = await apiError(client.rest.post(Routes.channelMessages(fake.groupDmId), { body: { content: 'hi' } }));
		expect([send.status, send.code, dig(send.rawError, 'message')]).toEqual([403, 50001, 'Missing Access']);
		const read = await rawFetch('GET', `/channels/${fake.groupDmId}`);
		expect([read.status, read.json]).toEqual([403, { message: 'Missing Access', code: 50001 }]);
	});

	it("in the bot's DM (context 1, guild install owner '0') and in a guild installed both ways", async () => {
		const dm = await chatInput({ name: 'animate', context: 1 });
		expect(dm.context).toBe(1);
		expect(dm.authorizingIntegrationOwners).toMatchObject({ 0: '0' });
		expect(dm.guildId).toBeNull();
		expect(dm.appPermissions.has('UseExternalEmojis')).toBe(true);
		await dm.reply('in your DMs');
		expect(fake.interaction(dm.id)!.original?.channel_id).toBe(dm.channelId);
		const sent = (await client.rest.post(Routes.channelMessages(dm.channelId), { body: { content: 'a DM from the bot' } })) as { id: string };
		expect(fake.message(sent.id)?.content).toBe('a DM from the bot');
		const both = await chatInput({ name: 'animate', installation: 'both' });
		expect(both.context).toBe(0);
		expect(both.authorizingIntegrationOwners).toMatchObject({ 0: fake.guild.id, 1: fake.users[0]!.id });
		expect(both.guildId).toBe(fake.guild.id);
		await both.reply('ok');
	});
});
