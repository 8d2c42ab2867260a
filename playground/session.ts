import type { ServerResponse } from 'node:http';
import type { APIApplicationCommandInteractionDataOption, APIAttachment, APIMessage, APIUser } from 'discord.js';
import { z } from 'zod';
import type { FakeDiscord, MessageChange } from '../fakes/discord/index.js';
import type { FakeFal, JobScript } from '../fakes/fal/index.js';

/** The languages the page offers (Discord locale codes); the bot answers in the member's, where it has it. */
export const LOCALES = [
	{ code: 'en-US', name: 'English' },
	{ code: 'fr', name: 'Français' },
	{ code: 'de', name: 'Deutsch' },
	{ code: 'es-ES', name: 'Español' },
] as const;

const snowflake = z.string().regex(/^\d{1,20}$/);
const locale = z.enum(LOCALES.map((l) => l.code) as [string, ...string[]]);
// Options as Discord sends them: a subcommand carries its own options; attachments are ids resolved by the server.
type Option = { name: string; type: number; value?: string | number | boolean; options?: Option[] };
const option: z.ZodType<Option> = z.lazy(() =>
	z.object({
		name: z.string().max(32),
		type: z.number().int(),
		value: z.union([z.string(), z.number(), z.boolean()]).optional(),
		options: z.array(option).optional(),
	}),
);
const member = { userId: snowflake, locale };

const Interaction = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('command'), ...member, channelId: snowflake, name: z.string(), options: z.array(option).default([]) }),
	z.object({ kind: z.literal('message-command'), ...member, name: z.string(), messageId: snowflake }),
	z.object({ kind: z.literal('button'), ...member, messageId: snowflake, customId: z.string().max(100) }),
]);
const Autocomplete = z.object({
	...member,
	channelId: snowflake,
	name: z.string(),
	options: z.array(
		z.object({
			name: z.string().max(32),
			type: z.number().int(),
			value: z.union([z.string(), z.number(), z.boolean()]),
			focused: z.boolean().optional(),
		}),
	),
});
const Post = z.object({ userId: snowflake, channelId: snowflake, content: z.string().max(2000), attachmentIds: z.array(snowflake).max(10) });
const Script = z.object({
	queuePositions: z.array(z.number().int().min(0).max(100)).max(50),
	queueStepMs: z.number().int().min(0).max(60_000),
	runMs: z.number().int().min(0).max(600_000),
	logs: z.array(z.string().max(200)).max(200),
});

export class BadRequest extends Error {}

/**
 * What the page can do, done the way Discord would: uploads land on the fake CDN, a member's actions become
 * gateway interactions with the member's locale, and every message the fake stores or edits is pushed to every open
 * page as a Server-Sent Event, so cards update as the bot edits them.
 */
export class Session {
	private readonly uploads = new Map<string, APIAttachment>();
	private readonly streams = new Set<ServerResponse>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly unsubscribe: () => void;
	private readonly keepAlive: NodeJS.Timeout;

	constructor(
		private readonly discord: FakeDiscord,
		private readonly fal: FakeFal,
		private script: Required<Pick<JobScript, 'queuePositions' | 'queueStepMs' | 'runMs' | 'logs'>>,
	) {
		fal.setDefaultScript(script);
		this.unsubscribe = discord.onMessage((change: MessageChange) => this.broadcast('message', change));
		// Proxies and browsers drop an idle stream; a comment line every 15 s keeps it open.
		this.keepAlive = setInterval(() => this.streams.forEach((res) => res.write(': keep-alive\n\n')), 15_000);
	}

	/** Everything the page draws on load (and again after it reconnects): the server, its channels, members, commands and messages. */
	state() {
		const { discord } = this;
		const channels = [discord.channelId, discord.otherChannelId].map((id) => {
			const channel = discord.channel(id) as { id: string; name?: string; topic?: string | null };
			return { id, name: channel.name ?? 'channel', messages: discord.messages(id) };
		});
		return {
			guild: discord.guild,
			bot: discord.botUser,
			users: discord.users,
			channels,
			commands: [...discord.commands(discord.guild.id), ...discord.commands()],
			locales: LOCALES,
			script: this.script,
		};
	}

	openStream(res: ServerResponse): void {
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
		this.streams.add(res);
		res.on('close', () => this.streams.delete(res));
		this.send(res, 'state', this.state());
	}

	/** A file from the page, stored on the fake CDN: ephemeral like a slash command's attachment, or for a post. */
	upload(bytes: Buffer, filename: string, forPost: boolean, channelId: string): APIAttachment {
		if (!/^[^/\\]{1,200}$/.test(filename)) throw new BadRequest('a file name without slashes, up to 200 characters');
		const attachment = this.discord.addAttachment(bytes, { filename, ephemeral: !forPost, channelId: this.channel(channelId) });
		this.uploads.set(attachment.id, attachment);
		return attachment;
	}

	post(body: unknown): APIMessage {
		const input = parse(Post, body);
		return this.discord.dispatchMessageCreate({
			author: this.user(input.userId),
			channel_id: this.channel(input.channelId),
			content: input.content,
			attachments: input.attachmentIds.map((id) => this.attachment(id)),
		});
	}

	async interact(body: unknown): Promise<{ id: string }> {
		const input = parse(Interaction, body);
		const user = this.user(input.userId);
		let dispatched: { id: string };
		let channelId: string;
		if (input.kind === 'command') {
			const attachments = attachmentIds(input.options).map((id) => this.attachment(id));
			channelId = this.channel(input.channelId);
			dispatched = await this.discord.dispatchChatInput({
				name: input.name,
				options: input.options as APIApplicationCommandInteractionDataOption[],
				attachments,
				user,
				channelId,
				locale: input.locale,
			});
		} else {
			const message = this.message(input.messageId);
			channelId = message.channel_id;
			dispatched =
				input.kind === 'button'
					? await this.discord.dispatchButton({ customId: input.customId, message, user, locale: input.locale })
					: await this.discord.dispatchMessageCommand({ name: input.name, targetMessage: message, user, locale: input.locale });
		}
		this.watch(dispatched.id, user, channelId);
		return { id: dispatched.id };
	}

	/** The choices the bot offers while the member types (Discord shows "Loading options failed" when it does not answer). */
	async autocomplete(body: unknown): Promise<{ choices: { name: string; value: string | number }[] }> {
		const input = parse(Autocomplete, body);
		const { id } = await this.discord.dispatchAutocomplete({
			name: input.name,
			options: input.options,
			user: this.user(input.userId),
			channelId: this.channel(input.channelId),
			locale: input.locale,
		});
		await this.discord
			.waitForRequest((r) => r.route === 'POST /interactions/:id/:token/callback' && r.path.includes(id), 3_000)
			.catch(() => undefined);
		const answer = this.discord.interaction(id)?.callbacks.find((c) => c.type === 8 && c.status < 300);
		return { choices: (answer?.data as { choices?: { name: string; value: string | number }[] } | undefined)?.choices ?? [] };
	}

	/** How long the fake fal takes from now on, for every job submitted after this. */
	setScript(body: unknown): void {
		this.script = parse(Script, body);
		this.fal.setDefaultScript(this.script);
		this.broadcast('script', this.script);
	}

	close(): void {
		this.unsubscribe();
		clearInterval(this.keepAlive);
		this.timers.forEach(clearTimeout);
		this.streams.forEach((res) => res.end());
	}

	/** Discord shows "This interaction failed" when the app has not answered within 3 s; so does the page. */
	private watch(id: string, user: APIUser, channelId: string): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			if (this.discord.interaction(id)?.acknowledgedAt === undefined) this.broadcast('interaction-failed', { id, userId: user.id, channelId });
		}, this.discord.callbackDeadlineMs + 250);
		this.timers.add(timer);
	}

	private broadcast(event: string, data: unknown): void {
		for (const res of this.streams) this.send(res, event, data);
	}

	private send(res: ServerResponse, event: string, data: unknown): void {
		res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
	}

	/** One of the page's two channels (the fake has more, such as DMs, that the page does not draw). */
	private channel(id: string): string {
		if (id !== this.discord.channelId && id !== this.discord.otherChannelId) throw new BadRequest(`no channel ${id} on the page`);
		return id;
	}

	private user(id: string): APIUser {
		const user = this.discord.users.find((u) => u.id === id);
		if (!user) throw new BadRequest(`no member ${id}`);
		return user;
	}

	private attachment(id: string): APIAttachment {
		const attachment = this.uploads.get(id);
		if (!attachment) throw new BadRequest(`no uploaded file ${id}`);
		return attachment;
	}

	private message(id: string): APIMessage {
		const message = this.discord.message(id);
		if (!message) throw new BadRequest('that message is gone');
		return message;
	}
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
	const result = schema.safeParse(body);
	if (!result.success) throw new BadRequest(z.prettifyError(result.error));
	return result.data;
}

/** The attachment ids among the options (type 11), subcommands included. */
function attachmentIds(options: readonly Option[]): string[] {
	return options.flatMap((o) => [...(o.type === 11 && typeof o.value === 'string' ? [o.value] : []), ...attachmentIds(o.options ?? [])]);
}
