/**
 * A faithful fake of Discord (REST API v10 + gateway) on 127.0.0.1 for the real, unmodified discord.js Client.
 *
 *   const fake = await FakeDiscord.start();
 *   const client = new Client({ intents, rest: { api: fake.apiUrl } });
 *   await client.login(fake.token); await fake.ready();
 *
 * Every request body is validated against the operation's schema in ./discord-openapi.json plus the
 * documented limits the schema leaves out; errors use Discord's shapes and codes. See README-style notes on
 * the class members below.
 *
 * Modules: routes/app.ts (gateway URL, users, application, commands), routes/interactions.ts (callbacks and
 * interaction webhooks), routes/channels.ts (channel messages, reactions, guild reads), message-limits.ts (content,
 * embed and component limits), ratelimits.ts (global + per-route buckets + 429 knob), cdn.ts (CDN, media proxy,
 * drip), gateway.ts (WebSocket gateway, shards), validation.ts (OpenAPI schema), http.ts (errors, body parsing).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
	APIApplicationCommandInteractionDataOption,
	APIAttachment,
	APIChannel,
	APIEmbed,
	APIGuildMember,
	APIMessage,
	APIRole,
	APIUser,
} from 'discord-api-types/v10';
import { ApplicationCommandOptionType, ChannelType } from 'discord-api-types/v10';
import { FakeGateway, Intent, PRIVILEGED_INTENTS, shardFor, type GatewaySession } from './gateway.js';
import { FakeCdn, type DripRule } from './cdn.js';
import { ApiError, Errors, parseBody, type UploadedFile } from './http.js';
import { detectContentType, imageDimensions, readNamedFixture } from './media.js';
import { isSnowflake, snowflake } from './snowflake.js';
import { messageLimitErrors } from './message-limits.js';
import { RateLimiter, type RouteLimit } from './ratelimits.js';
import { findOperation, validateBody, warmSpec } from './validation.js';
import { defineAppRoutes } from './routes/app.js';
import { defineChannelRoutes } from './routes/channels.js';
import { defineInteractionRoutes } from './routes/interactions.js';
import { extraGuildPayload } from './second-guild.js';
import type {
	DispatchedInteraction,
	FakeDiscordOptions,
	InteractionContext,
	InteractionRecord,
	InteractionState,
	Installation,
	MessageChange,
	RateLimitRule,
	RecordedRequest,
	Route,
	StoredCommand,
} from './types.js';
import {
	API_PREFIX,
	P,
	base64url,
	clone,
	DEFAULT_LIMIT,
	DENY_FOR,
	EPHEMERAL,
	EVERYONE_PERMISSIONS,
	BOT_ROLE_PERMISSIONS,
	iso,
	LOADING,
	NO_FLAGS,
	sanitizeFilename,
} from './util.js';

export { snowflake, snowflakeTimestamp, isSnowflake } from './snowflake.js';
export { Intent, shardFor } from './gateway.js';
export type { DripRule } from './cdn.js';
export type { RouteLimit } from './ratelimits.js';
export type {
	CallbackRecord,
	DispatchedInteraction,
	FakeDiscordOptions,
	Installation,
	InteractionContext,
	InteractionState,
	MessageChange,
	RateLimitRule,
	RecordedFile,
	RecordedRequest,
	StoredCommand,
} from './types.js';

export class FakeDiscord {
	readonly token: string;
	readonly application: {
		id: string;
		name: string;
		flags: number;
		description: string;
		bot_public: boolean;
		bot_require_code_grant: boolean;
		verify_key: string;
		icon: null;
	};
	readonly botUser: APIUser;
	readonly guild: { id: string; name: string };
	/** A guild text channel (type 0) the bot can use. */
	readonly channelId: string;
	/** A second text channel, handy for denyChannel tests. */
	readonly otherChannelId: string;
	/** Human users (not bots) that can act as requesters. */
	readonly users: APIUser[];
	/** Every HTTP request, in arrival order. */
	readonly requests: RecordedRequest[] = [];
	readonly gateway: FakeGateway;

	apiUrl = '';
	/** Base URL of the fake CDN (attachments). */
	cdnUrl = '';
	/** ws:// URL of the gateway. */
	gatewayUrl = '';

	/** @internal */ callbackDeadlineMs: number;
	/** @internal */ tokenLifetimeMs: number;
	readonly attachmentSizeLimit: number;
	/** The server's preferred locale, as its admins set it; GUILD_CREATE carries it from the next connection on. */
	guildLocale: string;
	/** @internal */ readonly heartbeatIntervalMs: number;
	/** @internal */ readonly rateLimits: RateLimiter;
	/** @internal */ readonly allowedPrivileged: number;
	/** @internal */ readonly nonceWindowMs: number;
	/** @internal */ readonly recommendedShards: number;

	private readonly server: Server;
	/** @internal */ readonly cdn = new FakeCdn(() => this.cdnUrl);
	/** @internal */ readonly routes: Route[] = [];
	/** @internal */ readonly channels = new Map<
		string,
		APIChannel & { guild_id?: string; permission_overwrites?: { id: string; type: number; allow: string; deny: string }[] }
	>();
	/** @internal */ readonly roles: APIRole[];
	/** @internal */ readonly members = new Map<string, APIGuildMember & { user: APIUser }>();
	/** @internal */ readonly guildJoinedAt: number;
	/** @internal */ readonly messagesById = new Map<string, APIMessage & { guild_id?: string }>();
	/** @internal */ readonly channelMessages = new Map<string, string[]>();
	/** @internal */ readonly interactions = new Map<string, InteractionRecord>();
	/** @internal */ readonly interactionsByToken = new Map<string, InteractionRecord>();
	/** @internal */ readonly globalCommands: StoredCommand[] = [];
	/** @internal */ readonly guildCommands = new Map<string, StoredCommand[]>();
	/** @internal */ readonly nonces = new Map<string, { messageId: string; at: number }>();
	/** @internal */ readonly privateChannels = new Map<
		string,
		APIChannel & { guild_id?: string; permission_overwrites?: { id: string; type: number; allow: string; deny: string }[] }
	>();
	/** A group DM (type 3) of alice and bob that the bot is not a member of: only user-installed interactions reach it. */
	readonly groupDmId: string;
	/** @internal */ readonly denied = new Map<string, 50013 | 50001>();
	/** @internal */ readonly waiters = new Set<{ predicate: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }>();
	/** @internal */ readyWaiters: (() => void)[] = [];
	/** @internal */ readonly messageListeners = new Set<(change: MessageChange) => void>();
	/** @internal */ componentId = 0;

	private constructor(options: FakeDiscordOptions) {
		const now = Date.now();
		// Like Discord, the first part of a bot token is the base64 of the bot's user id (= the application id).
		const fromToken = options.token ? Buffer.from(options.token.split('.')[0] ?? '', 'base64').toString('utf8') : '';
		const appId = isSnowflake(fromToken) ? fromToken : snowflake(now - 400 * 86_400_000);
		this.application = {
			id: appId,
			name: 'Animate Bot',
			description: 'Turns still images into short videos.',
			icon: null,
			flags: (1 << 19) | (1 << 23), // GATEWAY_MESSAGE_CONTENT_LIMITED | APPLICATION_COMMAND_BADGE
			bot_public: true,
			bot_require_code_grant: false,
			verify_key: randomBytes(32).toString('hex'),
		};
		this.token =
			options.token ??
			`${base64url(Buffer.from(appId)).replace(/=+$/, '')}.${base64url(randomBytes(4)).slice(0, 6)}.${base64url(randomBytes(29)).slice(0, 38)}`;
		this.botUser = {
			id: appId,
			username: 'animate-bot',
			discriminator: '4821',
			global_name: null,
			avatar: null,
			bot: true,
			flags: NO_FLAGS,
			public_flags: NO_FLAGS,
		};
		this.users = [
			{
				id: snowflake(now - 900 * 86_400_000),
				username: 'alice',
				discriminator: '0',
				global_name: 'Alice',
				avatar: null,
				flags: NO_FLAGS,
				public_flags: NO_FLAGS,
			},
			{
				id: snowflake(now - 700 * 86_400_000),
				username: 'bob',
				discriminator: '0',
				global_name: 'Bob',
				avatar: null,
				flags: NO_FLAGS,
				public_flags: NO_FLAGS,
			},
			{
				id: snowflake(now - 650 * 86_400_000),
				username: 'carol',
				discriminator: '0',
				global_name: 'Carol',
				avatar: null,
				flags: NO_FLAGS,
				public_flags: NO_FLAGS,
			},
		];
		this.groupDmId = snowflake(now - 100 * 86_400_000);
		this.privateChannels.set(this.groupDmId, {
			id: this.groupDmId,
			type: 3,
			name: null,
			icon: null,
			owner_id: this.users[0]!.id,
			last_message_id: null,
			flags: NO_FLAGS,
			recipients: this.users.slice(0, 2).map((u) => clone(u)),
		});
		this.channelMessages.set(this.groupDmId, []);
		const guildId = snowflake(now - 600 * 86_400_000);
		this.guild = { id: guildId, name: 'Animation Lab' };
		this.guildJoinedAt = now - 30 * 86_400_000;
		const botRoleId = snowflake(now - 30 * 86_400_000);
		this.roles = [
			this.role(guildId, '@everyone', 0, EVERYONE_PERMISSIONS),
			{ ...this.role(botRoleId, 'Animate Bot', 1, BOT_ROLE_PERMISSIONS), managed: true, tags: { bot_id: appId } },
		];
		const categoryId = snowflake(now - 599 * 86_400_000);
		this.channelId = snowflake(now - 598 * 86_400_000);
		this.otherChannelId = snowflake(now - 597 * 86_400_000);
		const overwrites = () => [{ id: guildId, type: 0, allow: '0', deny: '0' }];
		this.channels.set(categoryId, {
			id: categoryId,
			type: 4,
			guild_id: guildId,
			name: 'Text Channels',
			position: 0,
			flags: NO_FLAGS,
			parent_id: null,
			permission_overwrites: overwrites(),
		});
		for (const [id, name, position] of [
			[this.channelId, 'general', 0],
			[this.otherChannelId, 'animations', 1],
		] as const) {
			this.channels.set(id, {
				id,
				type: 0,
				guild_id: guildId,
				name,
				position,
				flags: 0,
				parent_id: categoryId,
				topic: null,
				nsfw: false,
				last_message_id: null,
				rate_limit_per_user: 0,
				icon_emoji: null,
				theme_color: null,
				permission_overwrites: overwrites(),
			} as never);
			this.channelMessages.set(id, []);
		}
		const member = (user: APIUser, roles: string[], joined: number) => ({
			user,
			roles,
			nick: null,
			avatar: null,
			banner: null,
			joined_at: iso(joined),
			premium_since: null,
			deaf: false,
			mute: false,
			flags: 0,
			pending: false,
			communication_disabled_until: null,
		});
		this.members.set(appId, member(this.botUser, [botRoleId], this.guildJoinedAt));
		this.users.forEach((u, i) => this.members.set(u.id, member(u, [], now - (200 - i) * 86_400_000)));

		this.callbackDeadlineMs = options.callbackDeadlineMs ?? 3000;
		this.tokenLifetimeMs = options.tokenLifetimeMs ?? 15 * 60_000;
		this.attachmentSizeLimit = options.attachmentSizeLimit ?? DEFAULT_LIMIT;
		this.guildLocale = options.guildLocale ?? 'en-US';
		this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
		this.rateLimits = new RateLimiter({
			bucketLimit: options.bucketLimit ?? 50,
			bucketWindowMs: options.bucketWindowMs ?? 1000,
			globalLimit: options.globalRateLimit === false ? 0 : (options.globalRateLimit ?? 50),
			globalWindowMs: options.globalWindowMs ?? 1000,
			routeLimits: { ...(options.routeLimits ?? {}) },
		});
		this.allowedPrivileged = options.allowedPrivilegedIntents ?? PRIVILEGED_INTENTS;
		this.nonceWindowMs = options.nonceWindowMs ?? 5 * 60_000;
		this.recommendedShards = options.recommendedShards ?? 1;

		this.gateway = new FakeGateway(
			{
				token: () => this.token,
				heartbeatIntervalMs: () => this.heartbeatIntervalMs,
				allowedPrivilegedIntents: () => this.allowedPrivileged,
				readyPayload: (session, url) => this.readyPayload(session, url),
				guildCreates: (session) => this.guildIdsOn(session.shard).map((id) => this.guildCreatePayload(id)),
				homeGuildId: () => this.guild.id,
				members: (guildId) => (guildId === this.guild.id ? [...this.members.values()].map((m) => clone(m)) : []),
				onReady: () => {
					const waiters = this.readyWaiters;
					this.readyWaiters = [];
					for (const resolve of waiters) resolve();
				},
				onReceive: () => undefined,
			},
			() => this.gatewayUrl,
		);
		this.server = createServer((req, res) => {
			this.handle(req, res).catch((error: unknown) => {
				// A client that went away mid-request (a killed bot process) leaves nobody to answer,
				// as with Discord; anything else is the fake's own bug and answers 500.
				if (req.destroyed || res.destroyed) return;
				if (!res.headersSent)
					res
						.writeHead(500, { 'content-type': 'application/json' })
						.end(JSON.stringify({ message: `fake-discord internal error: ${String(error)}`, code: 0 }));
				else res.destroy();
			});
		});
		this.server.on('upgrade', (req, socket, head) => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			if (url.pathname === '/' || url.pathname === '') this.gateway.handleUpgrade(req, socket, head);
			else socket.destroy();
		});
		this.defineRoutes();
	}

	/** Starts the fake on an ephemeral loopback port. The OpenAPI spec is loaded once per process. */
	static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
		warmSpec();
		const fake = new FakeDiscord(options);
		await new Promise<void>((resolve, reject) => {
			fake.server.once('error', reject);
			fake.server.listen(0, '127.0.0.1', () => resolve());
		});
		const { port } = fake.server.address() as AddressInfo;
		fake.apiUrl = `http://127.0.0.1:${port}/api`;
		fake.cdnUrl = `http://127.0.0.1:${port}`;
		fake.gatewayUrl = `ws://127.0.0.1:${port}`;
		return fake;
	}

	async close(): Promise<void> {
		await this.gateway.close();
		this.cdn.close();
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	// ---------------------------------------------------------------------------------------------------------------
	// Knobs

	setTokenLifetime(ms: number): void {
		this.tokenLifetimeMs = ms;
	}

	setCallbackDeadline(ms: number): void {
		this.callbackDeadlineMs = ms;
	}

	/**
	 * The next `times` requests matching `route` answer 429. A string matches the route template exactly
	 * ('POST /channels/:channel/messages'); a RegExp is tested against the template and against 'METHOD /decoded/path'.
	 */
	rateLimit(route: string | RegExp, rule: RateLimitRule = {}): void {
		this.rateLimits.addKnob(route, rule);
	}

	/**
	 * Gives one route its own bucket size, e.g. Discord's 5 messages per 5 s per channel:
	 *   fake.setRouteLimit('POST /channels/:channel/messages', { limit: 5, windowMs: 5000 });
	 * Routes naming the same `bucket` share it. `undefined` goes back to the default (bucketLimit per bucketWindowMs).
	 */
	setRouteLimit(route: string, limit: RouteLimit | undefined): void {
		this.rateLimits.setRouteLimit(route, limit);
	}

	/**
	 * Takes the bot's permissions away in a channel: every route under /channels/{channelId} answers 403 with
	 * 50013 Missing Permissions (can't send) or 50001 Missing Access (can't see). The channel's permission
	 * overwrites change accordingly and a CHANNEL_UPDATE is dispatched, so discord.js's own permission view agrees.
	 */
	denyChannel(channelId: string, code: 50013 | 50001 = 50013): void {
		this.denied.set(channelId, code);
		const channel = this.channels.get(channelId);
		const botRole = this.roles[1];
		if (channel?.permission_overwrites && botRole) {
			channel.permission_overwrites = [
				...channel.permission_overwrites.filter((o) => o.id !== botRole.id),
				{ id: botRole.id, type: 0, allow: '0', deny: DENY_FOR[code].toString() },
			];
			this.gateway.dispatch('CHANNEL_UPDATE', () => clone(channel));
		}
	}

	/** Gives the channel back. */
	allowChannel(channelId: string): void {
		this.denied.delete(channelId);
		const channel = this.channels.get(channelId);
		const botRole = this.roles[1];
		if (channel?.permission_overwrites && botRole) {
			channel.permission_overwrites = channel.permission_overwrites.filter((o) => o.id !== botRole.id);
			this.gateway.dispatch('CHANNEL_UPDATE', () => clone(channel));
		}
	}

	/**
	 * Slows down the fake CDN / media proxy for one attachment or external image: `{ bytesPerSecond }` drips the
	 * body, `{ stallAfterBytes }` sends that many bytes and then nothing (the connection stays open), and
	 * `{ headersDelayMs }` delays the response headers. `target` is an attachment, its id, its url or proxy_url, or an
	 * external url registered with addExternalMedia. `undefined` serves it at full speed again.
	 *
	 *   fake.throttleMedia(attachment, { bytesPerSecond: 10_000 });
	 *   fake.throttleMedia(attachment.url, { stallAfterBytes: 1024 });
	 */
	throttleMedia(target: string | { id: string } | { url: string }, rule: DripRule | undefined): void {
		this.cdn.setDrip(target, rule);
	}

	/**
	 * Makes the fake's media proxy serve `source` (a fixture name or bytes) for the external `url`, so a message can
	 * carry an embed whose `url` is external while its `proxy_url` (on the fake's host) serves a real image. Returns
	 * the embed image object Discord would store: `{ url, proxy_url, width, height, content_type, flags }`.
	 *
	 *   const image = fake.addExternalMedia('https://example.com/cat.png', 'source-1024x576.png');
	 *   fake.dispatchMessageCreate({ embeds: [{ image: { url: image.url } }] }); // proxy_url filled in
	 */
	addExternalMedia(
		url: string,
		source: string | Buffer,
		opts: { contentType?: string } = {},
	): { url: string; proxy_url: string; width?: number; height?: number; content_type: string; flags: number } {
		const media = this.cdn.addExternal(url, typeof source === 'string' ? readNamedFixture(source) : source, opts.contentType);
		return {
			url,
			proxy_url: this.cdn.proxyUrl(url),
			...(media.width ? { width: media.width, height: media.height } : {}),
			content_type: media.contentType,
			flags: 0,
		};
	}

	/** The fake's media-proxy url for any url (what Discord puts in an embed image's `proxy_url`). */
	mediaProxyUrl(url: string): string {
		return this.cdn.proxyUrl(url);
	}

	// ---------------------------------------------------------------------------------------------------------------
	// Observation

	/** Resolves when a client has identified and received READY + GUILD_CREATE (immediately if one is connected). */
	ready(timeoutMs = 10_000): Promise<void> {
		for (const session of this.gateway.sessions.values()) {
			if (session.ready && session.socket) return Promise.resolve();
		}
		return new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('FakeDiscord.ready(): no client became ready')), timeoutMs);
			this.readyWaiters.push(() => {
				clearTimeout(timer);
				resolve();
			});
		});
	}

	/** Resolves with the first already-recorded or future request matching `predicate`. */
	waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
		const found = this.requests.find(predicate);
		if (found) return Promise.resolve(found);
		return new Promise<RecordedRequest>((resolve, reject) => {
			const waiter = {
				predicate,
				resolve: (r: RecordedRequest) => {
					clearTimeout(timer);
					this.waiters.delete(waiter);
					resolve(r);
				},
			};
			const timer = setTimeout(() => {
				this.waiters.delete(waiter);
				reject(new Error(`FakeDiscord.waitForRequest: no matching request within ${timeoutMs} ms`));
			}, timeoutMs);
			this.waiters.add(waiter);
		});
	}

	/**
	 * Calls `listener` after every message the fake stores, edits or deletes, whoever wrote it (the bot, a member,
	 * ephemeral interaction responses included), with the message as REST returns it. Returns the unsubscribe
	 * function. The playground streams these to its page; tests read `requests` instead.
	 */
	onMessage(listener: (change: MessageChange) => void): () => void {
		this.messageListeners.add(listener);
		return () => this.messageListeners.delete(listener);
	}

	interaction(id: string): InteractionState | undefined {
		const record = this.interactions.get(id);
		if (!record) return undefined;
		const original = record.originalMessageId ? this.messagesById.get(record.originalMessageId) : undefined;
		return {
			id: record.id,
			token: record.token,
			applicationId: this.application.id,
			type: record.type,
			payload: clone(record.payload),
			dispatchedAt: record.dispatchedAt,
			acknowledgedAt: record.acknowledgedAt,
			callbacks: clone(record.callbacks),
			original: original ? this.publicMessage(original) : undefined,
			followups: record.followupIds.flatMap((mid) => {
				const m = this.messagesById.get(mid);
				return m ? [this.publicMessage(m)] : [];
			}),
		};
	}

	/** Messages currently in a channel (oldest first), including ephemeral interaction responses. */
	messages(channelId: string = this.channelId): APIMessage[] {
		return (this.channelMessages.get(channelId) ?? []).flatMap((id) => {
			const m = this.messagesById.get(id);
			return m ? [this.publicMessage(m)] : [];
		});
	}

	message(id: string): APIMessage | undefined {
		const m = this.messagesById.get(id);
		return m ? this.publicMessage(m) : undefined;
	}

	/** Registered commands: global ones, or those of a guild. */
	commands(guildId?: string): StoredCommand[] {
		return clone(guildId === undefined ? this.globalCommands : (this.guildCommands.get(guildId) ?? []));
	}

	/** Channel object as Discord returns it. */
	channel(id: string = this.channelId): APIChannel | undefined {
		const c = this.channels.get(id);
		return c ? clone(c) : undefined;
	}

	/**
	 * CDN / media-proxy requests, in arrival order. An url of the fake's host counts requests for exactly that path
	 * (the CDN url and the proxy_url separately); an attachment, an attachment id or an external url counts every
	 * request for those bytes. `fake.mediaRequests(attachment.url).length` is the download count.
	 */
	mediaRequests(target: string | { id: string } | { url: string }): RecordedRequest[] {
		if (typeof target === 'string' && target.startsWith(`${this.cdnUrl}/`)) {
			const path = decodeURIComponent(new URL(target).pathname);
			return this.requests.filter((r) => r.mediaKey !== undefined && r.path === path);
		}
		const key = this.cdn.keyOf(target);
		return this.requests.filter((r) => r.mediaKey === key);
	}

	/** Bytes and content type behind an attachment id. */
	attachmentBytes(id: string): { bytes: Buffer; contentType: string } | undefined {
		const a = this.cdn.attachments.get(id);
		return a ? { bytes: a.bytes, contentType: a.contentType } : undefined;
	}

	// ---------------------------------------------------------------------------------------------------------------
	// Driving the bot

	/**
	 * Stores bytes on the fake CDN and returns the attachment object Discord would put in a message or in an
	 * interaction's `resolved.attachments`. The url is signed like Discord's (?ex=&is=&hm=) and served by the fake.
	 */
	addAttachment(
		source: string | Buffer,
		opts: {
			filename?: string;
			contentType?: string;
			width?: number;
			height?: number;
			channelId?: string;
			ephemeral?: boolean;
			description?: string;
			durationSecs?: number;
		} = {},
	): APIAttachment {
		const bytes = typeof source === 'string' ? readNamedFixture(source) : source;
		const filename = sanitizeFilename(opts.filename ?? (typeof source === 'string' ? source : 'file.bin'));
		const contentType = opts.contentType ?? detectContentType(bytes, filename) ?? 'application/octet-stream';
		return this.storeAttachment(bytes, filename, contentType, {
			width: opts.width,
			height: opts.height,
			channelId: opts.channelId ?? this.channelId,
			ephemeral: opts.ephemeral ?? false,
			description: opts.description,
			durationSecs: opts.durationSecs,
		});
	}

	/** Dispatches a complete slash-command INTERACTION_CREATE (type 2, data.type 1). */
	async dispatchChatInput(input: {
		name: string;
		options?: APIApplicationCommandInteractionDataOption[];
		attachments?: APIAttachment[];
		user?: APIUser;
		channelId?: string;
		locale?: string;
		attachmentSizeLimit?: number;
		/** Where it was used: 0 GUILD (default), 1 BOT_DM, 2 PRIVATE_CHANNEL (a group DM or another user's DM). */
		context?: InteractionContext;
		/** Which installation authorized it: 'guild' (default in a guild and the bot DM), 'user' (default in a private channel), or 'both'. */
		installation?: Installation;
	}): Promise<DispatchedInteraction> {
		const command = this.findCommand(input.name, 1);
		const data: Record<string, unknown> = {
			id: command?.id ?? snowflake(),
			name: input.name,
			type: 1,
			...(command?.guild_id ? { guild_id: command.guild_id } : {}),
		};
		if (input.options && input.options.length > 0) data.options = clone(input.options);
		const resolved: Record<string, unknown> = {};
		if (input.attachments && input.attachments.length > 0) {
			resolved.attachments = Object.fromEntries(input.attachments.map((a) => [a.id, clone(a)]));
		}
		// Channel options resolve to partial channels with the invoker's permissions there, like Discord's.
		const channelIds: string[] = [];
		const walk = (options: readonly APIApplicationCommandInteractionDataOption[] | undefined) => {
			for (const option of options ?? []) {
				if (option.type === ApplicationCommandOptionType.Channel && 'value' in option) channelIds.push(String(option.value));
				if ('options' in option) walk(option.options);
			}
		};
		walk(input.options);
		if (channelIds.length > 0) {
			resolved.channels = Object.fromEntries(
				channelIds.map((id) => {
					const channel = this.channelFor(id) as { id: string; name?: string; type: number; parent_id?: string | null };
					return [
						id,
						{ id, name: channel.name, type: channel.type, parent_id: channel.parent_id ?? null, permissions: String(this.channelPermissions(id)) },
					];
				}),
			);
		}
		if (Object.keys(resolved).length > 0) data.resolved = resolved;
		return this.dispatchInteraction(2, data, {
			user: input.user,
			channelId: input.channelId,
			locale: input.locale,
			attachmentSizeLimit: input.attachmentSizeLimit,
			context: input.context,
			installation: input.installation,
		});
	}

	/**
	 * Dispatches an APPLICATION_COMMAND_AUTOCOMPLETE interaction (type 4) while a member types: the
	 * options typed so far, one of them `focused` with its partial text, attachments unresolved.
	 * The bot must answer with a type-8 result within 3 s; `interaction(id).callbacks` holds it.
	 */
	async dispatchAutocomplete(input: {
		name: string;
		options: { name: string; type: number; value: string | number | boolean; focused?: boolean }[];
		user?: APIUser;
		channelId?: string;
		locale?: string;
	}): Promise<DispatchedInteraction> {
		const command = this.findCommand(input.name, 1);
		const data = {
			id: command?.id ?? snowflake(),
			name: input.name,
			type: 1,
			// Discord sends the focused value as typed (a string, even for number options).
			options: input.options.map((o) => (o.focused ? { ...o, value: String(o.value) } : o)),
			...(command?.guild_id ? { guild_id: command.guild_id } : {}),
		};
		return this.dispatchInteraction(4, data, { user: input.user, channelId: input.channelId, locale: input.locale });
	}

	/** Dispatches a message context-menu command (type 2, data.type 3) targeting `targetMessage`. */
	async dispatchMessageCommand(input: {
		name: string;
		targetMessage: APIMessage;
		user?: APIUser;
		channelId?: string;
		locale?: string;
	}): Promise<DispatchedInteraction> {
		const command = this.findCommand(input.name, 3);
		const target = clone(input.targetMessage) as APIMessage & Record<string, unknown>;
		const data = {
			id: command?.id ?? snowflake(),
			name: input.name,
			type: 3,
			target_id: target.id,
			resolved: { messages: { [target.id]: target } },
			...(command?.guild_id ? { guild_id: command.guild_id } : {}),
		};
		return this.dispatchInteraction(2, data, { user: input.user, channelId: input.channelId ?? target.channel_id, locale: input.locale });
	}

	/** Dispatches a button click (type 3 MESSAGE_COMPONENT, component_type 2) on `message`. */
	async dispatchButton(input: { customId: string; message: APIMessage; user?: APIUser; locale?: string }): Promise<DispatchedInteraction> {
		const data = { custom_id: input.customId, component_type: 2 };
		// Where the message is decides the context, as on Discord: a DM with the bot, a group DM (user installs only), or a server.
		const channelType = this.privateChannels.get(input.message.channel_id)?.type;
		const context = channelType === ChannelType.DM ? 1 : channelType === ChannelType.GroupDM ? 2 : 0;
		return this.dispatchInteraction(3, data, {
			user: input.user,
			channelId: input.message.channel_id,
			message: input.message,
			context,
			locale: input.locale,
		});
	}

	/** A human posts a message: stored and dispatched as MESSAGE_CREATE. */
	dispatchMessageCreate(partial: Partial<APIMessage> & { content?: string } = {}): APIMessage {
		const author = partial.author ?? this.users[0]!;
		const channelId = partial.channel_id ?? this.channelId;
		const attachments = (partial.attachments ?? []).map((a) => clone(a));
		const message = this.createMessage({
			channelId,
			author,
			content: partial.content ?? '',
			embeds: this.normalizeEmbeds(partial.embeds ?? [], attachments),
			attachments,
			type: partial.type ?? 0,
			extra: {
				...(partial as Record<string, unknown>),
				author,
				channel_id: channelId,
				attachments,
				embeds: this.normalizeEmbeds(partial.embeds ?? [], attachments),
			},
		});
		return this.publicMessage(message);
	}

	/**
	 * A member forwards `message` (from any channel) into `channelId`: a MESSAGE_CREATE whose `message_reference` has
	 * `type: 1` (FORWARD) and whose `message_snapshots: [{ message: { content, embeds, attachments, … } }]` carry a copy
	 * of the original without its author, flagged HAS_SNAPSHOT, as Discord sends forwards.
	 *
	 *   fake.dispatchForward({ message: fake.dispatchMessageCreate({ content: 'look', attachments: [img] }), channelId: fake.otherChannelId });
	 */
	dispatchForward(input: { message: APIMessage; channelId?: string; author?: APIUser }): APIMessage {
		const original = input.message;
		const snapshot: Record<string, unknown> = {
			type: original.type,
			content: original.content,
			embeds: clone(original.embeds ?? []),
			attachments: clone(original.attachments ?? []),
			timestamp: original.timestamp,
			edited_timestamp: original.edited_timestamp ?? null,
			flags: original.flags ?? 0,
			mentions: clone(original.mentions ?? []),
			mention_roles: clone(original.mention_roles ?? []),
			components: clone(original.components ?? []),
		};
		return this.dispatchMessageCreate({
			author: input.author,
			channel_id: input.channelId ?? original.channel_id,
			content: '',
			flags: 1 << 14, // HAS_SNAPSHOT
			message_reference: { type: 1, channel_id: original.channel_id, message_id: original.id, guild_id: this.guild.id },
			message_snapshots: [{ message: snapshot }],
		} as never);
	}

	/** A user adds a reaction: recorded on the stored message and dispatched as MESSAGE_REACTION_ADD. */
	dispatchReactionAdd(input: {
		messageId: string;
		channelId?: string;
		userId: string;
		emoji: string | { name: string; id?: string | null; animated?: boolean };
	}): void {
		const stored = this.messagesById.get(input.messageId);
		const channelId = input.channelId ?? stored?.channel_id ?? this.channelId;
		const emoji =
			typeof input.emoji === 'string'
				? { id: null, name: input.emoji }
				: { id: input.emoji.id ?? null, name: input.emoji.name, ...(input.emoji.animated ? { animated: true } : {}) };
		if (stored) this.addReaction(stored, emoji, input.userId === this.botUser.id);
		const member = this.members.get(input.userId);
		this.gateway.dispatch('MESSAGE_REACTION_ADD', (session) =>
			session.intents & Intent.GuildMessageReactions
				? {
						user_id: input.userId,
						type: 0,
						message_id: input.messageId,
						...(stored ? { message_author_id: stored.author.id } : {}),
						...(member ? { member: clone(member) } : {}),
						emoji,
						channel_id: channelId,
						burst: false,
						burst_colors: [],
						guild_id: this.guild.id,
					}
				: undefined,
		);
	}

	// ---------------------------------------------------------------------------------------------------------------
	// Gateway payloads

	/** @internal */ role(id: string, name: string, position: number, permissions: bigint): APIRole {
		return {
			id,
			name,
			color: 0,
			colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
			hoist: false,
			icon: null,
			unicode_emoji: null,
			position,
			permissions: permissions.toString(),
			managed: false,
			mentionable: false,
			flags: NO_FLAGS,
		};
	}

	/** @internal */ readyPayload(session: GatewaySession, url: string): Record<string, unknown> {
		return {
			v: 10,
			user_settings: {},
			user: { ...clone(this.botUser), verified: true, mfa_enabled: false, email: null },
			guilds: this.guildIdsOn(session.shard).map((id) => ({ id, unavailable: true })),
			guild_join_requests: [],
			presences: [],
			private_channels: [],
			relationships: [],
			session_id: session.id,
			session_type: 'normal',
			resume_gateway_url: url,
			shard: [...session.shard],
			application: { id: this.application.id, flags: this.application.flags },
			geo_ordered_rtc_regions: ['us-east', 'us-central'],
			auth_session_id_hash: randomBytes(16).toString('base64'),
			_trace: ['["gateway-prd-fake",{"micros":0.0}]'],
		};
	}

	/** More servers the bot is in (`addGuild` in second-guild.ts): each has its own text channel. */
	/** @internal */ readonly extraGuilds: { id: string; name: string }[] = [];

	/** The servers whose events go to this shard. */
	/** @internal */ guildIdsOn(shard: readonly [number, number]): string[] {
		return [this.guild.id, ...this.extraGuilds.map((g) => g.id)].filter((id) => shardFor(id, shard[1]) === shard[0]);
	}

	/** @internal */ guildCreatePayload(guildId: string = this.guild.id): Record<string, unknown> {
		if (guildId !== this.guild.id) return extraGuildPayload(this, guildId);
		const channels = [...this.channels.values()]
			.filter((c) => c.guild_id === this.guild.id)
			.map((c) => {
				const copy = clone(c) as unknown as Record<string, unknown>;
				delete copy.guild_id; // GUILD_CREATE channels omit guild_id
				return copy;
			});
		return {
			id: this.guild.id,
			name: this.guild.name,
			icon: null,
			splash: null,
			discovery_splash: null,
			banner: null,
			description: null,
			owner_id: this.users[0]!.id,
			afk_channel_id: null,
			afk_timeout: 300,
			widget_enabled: false,
			widget_channel_id: null,
			verification_level: 1,
			default_message_notifications: 1,
			explicit_content_filter: 2,
			roles: clone(this.roles),
			emojis: [],
			stickers: [],
			features: [],
			mfa_level: 0,
			application_id: null,
			system_channel_id: this.channelId,
			system_channel_flags: 0,
			rules_channel_id: null,
			public_updates_channel_id: null,
			safety_alerts_channel_id: null,
			vanity_url_code: null,
			premium_tier: 0,
			premium_subscription_count: 0,
			preferred_locale: this.guildLocale,
			nsfw_level: 0,
			nsfw: false,
			premium_progress_bar_enabled: false,
			max_members: 500_000,
			max_video_channel_users: 25,
			max_stage_video_channel_users: 50,
			hub_type: null,
			incidents_data: null,
			latest_onboarding_question_id: null,
			inventory_settings: null,
			home_header: null,
			version: Date.now(),
			joined_at: iso(this.guildJoinedAt),
			large: false,
			unavailable: false,
			lazy: true,
			member_count: this.members.size,
			voice_states: [],
			members: [...this.members.values()].map((m) => clone(m)),
			channels,
			threads: [],
			presences: [],
			stage_instances: [],
			guild_scheduled_events: [],
			soundboard_sounds: [],
			embedded_activities: [],
			activity_instances: [],
			application_command_counts: {},
		};
	}

	/** @internal */ channelPermissions(channelId: string): bigint {
		let perms = 0n;
		const bot = this.members.get(this.botUser.id);
		for (const role of this.roles) {
			if (role.id === this.guild.id || bot?.roles.includes(role.id)) perms |= BigInt(role.permissions);
		}
		const channel = this.channels.get(channelId);
		for (const o of channel?.permission_overwrites ?? []) {
			if (o.id === this.guild.id || bot?.roles.includes(o.id) || o.id === this.botUser.id) {
				perms &= ~BigInt(o.deny);
				perms |= BigInt(o.allow);
			}
		}
		return perms;
	}

	// ---------------------------------------------------------------------------------------------------------------
	// Interactions

	/** Every user an interaction came from: Discord knows them all (the bot may open a DM with any of them). */
	/** @internal */ readonly seenUsers = new Map<string, APIUser>();

	/** Members whose DMs are closed to the bot: posting in their DM answers 403 50007, as Discord does. */
	readonly closedDMs = new Set<string>();

	/** @internal */ assertCanSendDM(channelId: string): void {
		const channel = this.privateChannels.get(channelId) as { type: number; recipients?: APIUser[] } | undefined;
		if (channel?.type === ChannelType.DM && channel.recipients?.some((u) => this.closedDMs.has(u.id))) throw Errors.cannotSendToUser();
	}

	/** The bot's DM channel (type 1) with `user`, created on first use. */
	dmChannelFor(user: APIUser): APIChannel {
		for (const c of this.privateChannels.values()) {
			if (c.type === ChannelType.DM && (c as unknown as { recipients: APIUser[] }).recipients[0]?.id === user.id) return clone(c);
		}
		const id = snowflake();
		const channel = { id, type: 1, last_message_id: null, flags: 0, recipients: [clone(user)] };
		this.privateChannels.set(id, channel as never);
		this.channelMessages.set(id, []);
		return clone(channel) as unknown as APIChannel;
	}

	/** @internal */ findCommand(name: string, type: number): StoredCommand | undefined {
		return (
			(this.guildCommands.get(this.guild.id) ?? []).find((c) => c.name === name && c.type === type) ??
			this.globalCommands.find((c) => c.name === name && c.type === type)
		);
	}

	/** @internal */ async dispatchInteraction(
		type: number,
		data: Record<string, unknown>,
		opts: {
			user?: APIUser;
			channelId?: string;
			message?: APIMessage;
			locale?: string;
			attachmentSizeLimit?: number;
			context?: InteractionContext;
			installation?: Installation;
		},
	): Promise<DispatchedInteraction> {
		const user = opts.user ?? this.users[0]!;
		this.seenUsers.set(user.id, clone(user));
		const context = opts.context ?? 0;
		const installation = opts.installation ?? (context === 2 ? 'user' : 'guild');
		if (context === 2 && installation !== 'user')
			throw new Error('FakeDiscord: only a user installation can be used in a private channel (context 2)');
		const channelId = opts.channelId ?? (context === 0 ? this.channelId : context === 1 ? this.dmChannelFor(user).id : this.groupDmId);
		const channel = this.channels.get(channelId) ?? this.privateChannels.get(channelId);
		if (!channel) throw new Error(`FakeDiscord: unknown channel ${channelId}`);
		// A channel of another server (addGuild) puts the interaction in that server, on its shard.
		const guildId = (channel as { guild_id?: string }).guild_id ?? this.guild.id;
		const owners: Record<string, string> = {};
		if (installation !== 'user') owners['0'] = context === 0 ? guildId : '0';
		if (installation !== 'guild') owners['1'] = user.id;
		const id = snowflake();
		const token = base64url(Buffer.from(`interaction:${id}:${randomBytes(96).toString('base64url')}`));
		const memberRecord = this.members.get(user.id);
		const member = {
			...(memberRecord
				? clone(memberRecord)
				: {
						roles: [],
						nick: null,
						avatar: null,
						banner: null,
						joined_at: iso(Date.now()),
						premium_since: null,
						deaf: false,
						mute: false,
						flags: 0,
						pending: false,
						communication_disabled_until: null,
					}),
			user: clone(user),
			permissions: EVERYONE_PERMISSIONS.toString(),
			unusual_dm_activity_until: null,
		};
		const limit = opts.attachmentSizeLimit ?? this.attachmentSizeLimit;
		const channelCopy = clone(channel) as unknown as Record<string, unknown>;
		const payload: Record<string, unknown> = {
			app_permissions: this.channelPermissions(channelId).toString(),
			application_id: this.application.id,
			attachment_size_limit: limit,
			authorizing_integration_owners: owners,
			channel: channelCopy,
			channel_id: channelId,
			context,
			data,
			entitlement_sku_ids: [],
			entitlements: [],
			guild: { features: [], id: guildId, locale: this.guildLocale },
			guild_id: guildId,
			guild_locale: this.guildLocale,
			id,
			locale: opts.locale ?? 'en-US',
			member,
			token,
			type,
			version: 1,
		};
		if (context !== 0) {
			// Outside a guild: `user` instead of `member`, no guild fields, and the fixed DM permissions.
			for (const k of ['guild', 'guild_id', 'guild_locale', 'member']) delete payload[k];
			payload.user = clone(user);
			payload.app_permissions = (P.ATTACH_FILES | P.EMBED_LINKS | P.MENTION_EVERYONE | (context === 1 ? P.USE_EXTERNAL_EMOJIS : 0n)).toString();
		}
		if (opts.message) payload.message = clone(opts.message);
		const record: InteractionRecord = {
			id,
			token,
			type,
			commandType: type === 2 ? (data.type as number) : undefined,
			payload,
			channelId,
			user,
			dispatchedAt: Date.now(),
			acknowledgedAt: undefined,
			callbacks: [],
			responseType: undefined,
			originalMessageId: undefined,
			sourceMessageId: opts.message?.id,
			followupIds: [],
			attachmentSizeLimit: limit,
			owners,
		};
		this.interactions.set(id, record);
		this.interactionsByToken.set(token, record);
		const sent = this.gateway.dispatch('INTERACTION_CREATE', () => clone(payload), context === 0 ? guildId : this.guild.id);
		if (sent === 0) throw new Error('FakeDiscord: no connected gateway client to receive INTERACTION_CREATE (await fake.ready() first)');
		// Start the 3-second clock when the event is on the wire.
		record.dispatchedAt = Date.now();
		return { id, token, applicationId: this.application.id };
	}

	/** @internal */ interactionMessageType(record: InteractionRecord): number {
		if (record.type === 2) return record.commandType === 1 ? 20 : 23;
		return 19;
	}

	/** @internal */ interactionMetadata(record: InteractionRecord): Record<string, unknown> {
		const data = record.payload.data as { name?: string; type?: number; target_id?: string };
		return {
			id: record.id,
			type: record.type,
			user: clone(record.user),
			authorizing_integration_owners: clone(record.owners),
			...(record.type === 2 ? { name: data.name, command_type: data.type } : {}),
			...(record.type === 2 && data.type === 3 ? { target_message_id: data.target_id } : {}),
			...(record.type === 3 && record.sourceMessageId ? { interacted_message_id: record.sourceMessageId } : {}),
		};
	}

	/** @internal */ webhookInteraction(appId: string, token: string): InteractionRecord {
		if (appId !== this.application.id) throw Errors.unknownWebhook();
		const record = this.interactionsByToken.get(token);
		if (!record) throw Errors.invalidWebhookToken();
		if (Date.now() - record.dispatchedAt > this.tokenLifetimeMs) throw Errors.invalidWebhookToken();
		return record;
	}

	// ---------------------------------------------------------------------------------------------------------------
	// Messages and attachments

	/** @internal */ storeAttachment(
		bytes: Buffer,
		filename: string,
		contentType: string,
		opts: { width?: number; height?: number; channelId: string; ephemeral: boolean; description?: string; durationSecs?: number; title?: string },
	): APIAttachment {
		const id = snowflake();
		const pathname = opts.ephemeral
			? `/ephemeral-attachments/${this.application.id}/${id}/${encodeURIComponent(filename)}`
			: `/attachments/${opts.channelId}/${id}/${encodeURIComponent(filename)}`;
		this.cdn.attachments.set(id, { bytes, contentType, pathname });
		const dims = opts.width !== undefined && opts.height !== undefined ? { width: opts.width, height: opts.height } : imageDimensions(bytes);
		const attachment: Record<string, unknown> = {
			id,
			filename,
			size: bytes.length,
			url: this.signedUrl(pathname),
			proxy_url: this.signedUrl(`/media${pathname}`, pathname),
			content_type: contentType,
			...(dims ? { width: dims.width, height: dims.height } : {}),
			...(opts.description ? { description: opts.description } : {}),
			...(opts.title ? { title: opts.title } : {}),
			...(opts.durationSecs !== undefined ? { duration_secs: opts.durationSecs } : {}),
			...(opts.ephemeral ? { ephemeral: true } : {}),
			...(dims ? { placeholder: randomBytes(18).toString('base64').slice(0, 24), placeholder_version: 1 } : {}),
		};
		if (filename.startsWith('SPOILER_')) attachment.flags = 1 << 3;
		return attachment as unknown as APIAttachment;
	}

	/** @internal */ signedUrl(urlPath: string, signedPath: string = urlPath): string {
		return this.cdn.signedUrl(urlPath, signedPath);
	}

	/** @internal */ uploadAttachments(
		files: UploadedFile[],
		meta: unknown,
		channelId: string,
		limit: number,
		ephemeral: boolean,
	): Map<string, APIAttachment> {
		if (files.length > 10) throw Errors.formBody([{ path: ['files'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' }]);
		for (const file of files) if (file.size > limit) throw Errors.tooLarge();
		const metadata = Array.isArray(meta)
			? (meta as { id?: unknown; filename?: string; description?: string; title?: string; duration_secs?: number }[])
			: [];
		const created = new Map<string, APIAttachment>();
		files.forEach((file, position) => {
			const key = file.index ?? String(position);
			const m = metadata.find((a) => String(a.id) === key);
			const filename = sanitizeFilename(m?.filename ?? file.filename);
			const contentType = detectContentType(file.bytes, filename) ?? (file.contentType || 'application/octet-stream');
			created.set(
				key,
				this.storeAttachment(file.bytes, filename, contentType, {
					channelId,
					ephemeral,
					description: m?.description ?? undefined,
					title: m?.title ?? undefined,
					durationSecs: m?.duration_secs ?? undefined,
				}),
			);
		});
		return created;
	}

	/**
	 * Resolves `attachment://name` references in embeds to the uploaded attachment, as Discord does, and gives every
	 * image / thumbnail / video a `proxy_url` on the fake's media proxy (like media.discordapp.net), with the
	 * dimensions and content type when the fake knows the bytes (see addExternalMedia).
	 */
	/** @internal */ normalizeEmbeds(embeds: unknown, attachments: APIAttachment[]): APIEmbed[] {
		if (!Array.isArray(embeds)) return [];
		return (embeds as Record<string, unknown>[]).map((e) => {
			const embed: Record<string, unknown> = { type: 'rich', ...clone(e) };
			for (const key of ['image', 'thumbnail', 'video'] as const) {
				const media = embed[key] as { url?: string; proxy_url?: string } | undefined;
				if (media?.url?.startsWith('attachment://')) {
					const a = attachments.find((x) => x.filename === media.url!.slice('attachment://'.length));
					embed[key] = a
						? { url: a.url, proxy_url: a.proxy_url, ...(a.width ? { width: a.width, height: a.height } : {}), content_type: a.content_type, flags: 0 }
						: { url: media.url, flags: 0 };
				} else if (media?.url) {
					const known = this.cdn.external.get(media.url);
					embed[key] = {
						...(known ? { width: known.width, height: known.height, content_type: known.contentType } : {}),
						flags: 0,
						...media,
						proxy_url: media.proxy_url?.startsWith(`${this.cdnUrl}/`) ? media.proxy_url : this.cdn.proxyUrl(media.url),
					};
				}
			}
			for (const k of Object.keys(embed)) if (embed[k] === null || embed[k] === undefined) delete embed[k];
			return embed;
		});
	}

	/** Adds numeric component ids like Discord does for components in responses. */
	/** @internal */ normalizeComponents(components: unknown): unknown[] {
		if (!Array.isArray(components)) return [];
		const walk = (c: Record<string, unknown>): Record<string, unknown> => {
			const copy: Record<string, unknown> = { ...c };
			if (copy.id === undefined || copy.id === null) copy.id = ++this.componentId;
			if (Array.isArray(copy.components)) copy.components = (copy.components as Record<string, unknown>[]).map(walk);
			return copy;
		};
		return (clone(components) as Record<string, unknown>[]).map(walk);
	}

	/** @internal */ createMessage(input: {
		channelId: string;
		author: APIUser;
		content: string;
		embeds: APIEmbed[];
		attachments: APIAttachment[];
		components?: unknown[];
		flags?: number;
		type: number;
		nonce?: string | number;
		extra?: Record<string, unknown>;
	}): APIMessage & { guild_id?: string } {
		const id = snowflake();
		const message = {
			type: input.type,
			content: input.content,
			mentions: [],
			mention_roles: [],
			attachments: input.attachments,
			embeds: input.embeds,
			timestamp: iso(Date.now()),
			edited_timestamp: null,
			flags: input.flags ?? 0,
			components: input.components ?? [],
			...(input.extra ?? {}),
			id,
			channel_id: input.channelId,
			author: clone(input.author),
			pinned: false,
			mention_everyone: false,
			tts: false,
			...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
		} as unknown as APIMessage & { guild_id?: string };
		this.messagesById.set(id, message);
		const list = this.channelMessages.get(input.channelId) ?? [];
		list.push(id);
		this.channelMessages.set(input.channelId, list);
		const channel = this.channels.get(input.channelId) as { last_message_id?: string } | undefined;
		if (channel && !((message.flags ?? 0) & EPHEMERAL)) channel.last_message_id = id;
		this.dispatchMessageEvent('MESSAGE_CREATE', message);
		this.notifyMessage('create', message);
		return message;
	}

	/** A stored message as REST returns it (no guild_id/member). */
	/** @internal */ publicMessage(message: APIMessage & { guild_id?: string }): APIMessage {
		const copy = clone(message) as APIMessage & { guild_id?: string; member?: unknown };
		delete copy.guild_id;
		delete copy.member;
		return copy;
	}

	/**
	 * A message as the REST API shows it to this app: like the gateway, an app without the Message
	 * Content intent enabled gets other users' messages without content, embeds, attachments or
	 * components unless it is mentioned.
	 */
	/** @internal */ readableMessage(message: APIMessage): APIMessage {
		const view = this.publicMessage(message);
		const mentioned = (message.mentions ?? []).some((u) => u.id === this.botUser.id);
		if (!(this.allowedPrivileged & Intent.MessageContent) && message.author.id !== this.botUser.id && !mentioned) {
			return { ...view, content: '', embeds: [], attachments: [], components: [] };
		}
		return view;
	}

	/** MESSAGE_CREATE/UPDATE with guild_id + member; content stripped without the MessageContent intent. */
	/** @internal */ dispatchMessageEvent(event: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: APIMessage): void {
		if ((message.flags ?? 0) & EPHEMERAL) return;
		const privateChannel = this.privateChannels.get(message.channel_id);
		if (privateChannel) {
			// The bot only hears its own DM channel (DIRECT_MESSAGES intent, no guild); never a group DM it is not in.
			if (privateChannel.type !== ChannelType.DM) return;
			this.gateway.dispatch(event, (session) => (session.intents & Intent.DirectMessages ? clone(message) : undefined), null);
			return;
		}
		const member = this.members.get(message.author.id);
		this.gateway.dispatch(event, (session) => {
			if (!(session.intents & Intent.GuildMessages)) return undefined;
			const payload = { ...clone(message), guild_id: this.guild.id } as Record<string, unknown>;
			if (member && !message.webhook_id) {
				const m = clone(member) as unknown as Record<string, unknown>;
				delete m.user;
				payload.member = m;
			}
			const mentioned = (message.mentions ?? []).some((u) => u.id === this.botUser.id);
			if (!(session.intents & Intent.MessageContent) && message.author.id !== this.botUser.id && !mentioned) {
				payload.content = '';
				payload.embeds = [];
				payload.attachments = [];
				payload.components = [];
			}
			return payload;
		});
	}

	/** @internal */ addReaction(message: APIMessage, emoji: { id: string | null; name: string }, me: boolean): void {
		const reactions = (message.reactions ??= []);
		const existing = reactions.find((r) => r.emoji.name === emoji.name && (r.emoji.id ?? null) === emoji.id);
		if (existing) {
			existing.count += 1;
			existing.count_details.normal += 1;
			if (me) existing.me = true;
		} else {
			reactions.push({ count: 1, count_details: { burst: 0, normal: 1 }, me, me_burst: false, burst_colors: [], emoji });
		}
	}

	/** Builds a message from a create/reply payload (content, embeds, components, flags, files). */
	/** @internal */ payloadToMessage(
		body: Record<string, unknown>,
		files: UploadedFile[],
		channelId: string,
		limit: number,
		ephemeral: boolean,
	): { content: string; embeds: APIEmbed[]; attachments: APIAttachment[]; components: unknown[]; flags: number } {
		const uploaded = this.uploadAttachments(files, body.attachments, channelId, limit, ephemeral);
		const attachments = [...uploaded.values()];
		return {
			content: typeof body.content === 'string' ? body.content : '',
			embeds: this.normalizeEmbeds(body.embeds, attachments),
			attachments,
			components: this.normalizeComponents(body.components),
			flags: typeof body.flags === 'number' ? body.flags : Number(body.flags ?? 0) || 0,
		};
	}

	/** @internal */ assertNotEmpty(body: Record<string, unknown>, files: UploadedFile[]): void {
		const has = (v: unknown) => (Array.isArray(v) ? v.length > 0 : typeof v === 'string' ? v.length > 0 : v !== undefined && v !== null);
		if (!has(body.content) && !has(body.embeds) && !has(body.components) && !has(body.sticker_ids) && !has(body.poll) && files.length === 0) {
			throw Errors.emptyMessage();
		}
	}

	/** Applies an edit (PATCH) to a stored message, following Discord's `attachments` keep-list semantics. */
	/** @internal */ editMessage(message: APIMessage, body: Record<string, unknown>, files: UploadedFile[], limit: number): APIMessage {
		const limits = messageLimitErrors(body);
		if (limits.length > 0) throw Errors.formBody(limits);
		const ephemeral = ((message.flags ?? 0) & EPHEMERAL) !== 0;
		const uploaded = this.uploadAttachments(files, body.attachments, message.channel_id, limit, ephemeral);
		const wasLoading = ((message.flags ?? 0) & LOADING) !== 0;
		if ('content' in body) message.content = typeof body.content === 'string' ? body.content : '';
		let attachments = message.attachments;
		if (Array.isArray(body.attachments)) {
			const keep = new Set((body.attachments as { id?: unknown }[]).map((a) => String(a.id)));
			attachments = attachments.filter((a) => keep.has(a.id));
		}
		attachments = [...attachments, ...uploaded.values()];
		message.attachments = attachments;
		if ('embeds' in body) message.embeds = this.normalizeEmbeds(body.embeds ?? [], attachments);
		if ('components' in body) message.components = this.normalizeComponents(body.components ?? []) as never;
		if (typeof body.flags === 'number') {
			// Only SUPPRESS_EMBEDS (and IS_COMPONENTS_V2 on a fresh response) may change; ephemeral never does.
			message.flags = ((message.flags ?? 0) & ~(1 << 2)) | (body.flags & ((1 << 2) | (1 << 15)));
		}
		if (wasLoading) {
			message.flags = (message.flags ?? 0) & ~LOADING;
		} else {
			message.edited_timestamp = iso(Date.now());
		}
		if (!(message.content || message.embeds.length || message.attachments.length || (message.components ?? []).length)) {
			throw Errors.emptyMessage();
		}
		this.dispatchMessageEvent('MESSAGE_UPDATE', message);
		this.notifyMessage('update', message);
		return this.publicMessage(message);
	}

	/** @internal */ notifyMessage(kind: MessageChange['kind'], message: APIMessage): void {
		for (const listener of this.messageListeners) listener({ kind, message: this.publicMessage(message) });
	}

	/** @internal */ deleteMessage(message: APIMessage): void {
		this.messagesById.delete(message.id);
		const list = this.channelMessages.get(message.channel_id);
		if (list) {
			const i = list.indexOf(message.id);
			if (i >= 0) list.splice(i, 1);
		}
		if (!((message.flags ?? 0) & EPHEMERAL)) {
			this.gateway.dispatch('MESSAGE_DELETE', (session) =>
				session.intents & Intent.GuildMessages ? { id: message.id, channel_id: message.channel_id, guild_id: this.guild.id } : undefined,
			);
		}
		this.notifyMessage('delete', message);
	}

	/** @internal */ channelFor(channelId: string): APIChannel {
		if (!isSnowflake(channelId))
			throw Errors.formBody([{ path: ['channel_id'], code: 'NUMBER_TYPE_COERCE', message: `Value "${channelId}" is not snowflake.` }]);
		const channel = this.channels.get(channelId) ?? this.privateChannels.get(channelId);
		if (!channel) throw Errors.unknownChannel();
		// A group DM the bot is not in (a user-installed app's interactions only): channel routes answer 50001.
		if (channel.type === ChannelType.GroupDM) throw Errors.missingAccess();
		const denied = this.denied.get(channelId);
		if (denied === 50001) throw Errors.missingAccess();
		if (denied === 50013) throw Errors.missingPermissions();
		return channel;
	}

	/** @internal */ channelMessage(channelId: string, messageId: string): APIMessage {
		if (!isSnowflake(messageId))
			throw Errors.formBody([{ path: ['message_id'], code: 'NUMBER_TYPE_COERCE', message: `Value "${messageId}" is not snowflake.` }]);
		const message = this.messagesById.get(messageId);
		if (!message || message.channel_id !== channelId || (message.flags ?? 0) & EPHEMERAL) throw Errors.unknownMessage();
		return message;
	}

	// ---------------------------------------------------------------------------------------------------------------
	// HTTP

	/** @internal */ route(method: string, pattern: string, handler: Route['handler'], auth = true): void {
		const params: string[] = [];
		const regex = new RegExp(
			'^' +
				pattern
					.split('/')
					.map((segment) => {
						if (segment.startsWith(':')) {
							params.push(segment.slice(1));
							return '([^/]+)';
						}
						return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
					})
					.join('/') +
				'$',
		);
		this.routes.push({ method, pattern, name: `${method} ${pattern}`, regex, params, auth, handler });
	}

	/** @internal */ defineRoutes(): void {
		defineAppRoutes(this, this.route.bind(this));
		defineInteractionRoutes(this, this.route.bind(this));
		defineChannelRoutes(this, this.route.bind(this));

		// Literal segments win over parameters (@me / @original before :user / :message).
		this.routes.sort((a, b) => {
			const lit = (r: Route) => r.pattern.split('/').filter((s) => s && !s.startsWith(':')).length;
			return b.pattern.split('/').length - a.pattern.split('/').length || lit(b) - lit(a);
		});
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const at = Date.now();
		const method = (req.method ?? 'GET').toUpperCase();
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks);
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
		let decodedPath: string;
		try {
			decodedPath = url.pathname
				.split('/')
				.map((s) => decodeURIComponent(s))
				.join('/');
		} catch {
			decodedPath = url.pathname;
		}
		const record: RecordedRequest = {
			method,
			path: decodedPath.startsWith(API_PREFIX) ? decodedPath.slice(API_PREFIX.length) || '/' : decodedPath,
			route: 'UNKNOWN',
			at,
			status: 0,
			query: Object.fromEntries(url.searchParams),
			headers,
			body: undefined,
			files: [],
			responseHeaders: {},
		};
		const send = (status: number, body: unknown, extraHeaders: Record<string, string> = {}) => {
			record.status = status;
			record.response = body;
			const outHeaders: Record<string, string> = { via: '1.1 google', 'x-fake-discord': '1', ...extraHeaders };
			let payload: Buffer | undefined;
			if (status !== 204 && body !== undefined) {
				payload = Buffer.from(JSON.stringify(body));
				outHeaders['content-type'] = 'application/json';
				outHeaders['content-length'] = String(payload.length);
			}
			record.responseHeaders = outHeaders;
			res.writeHead(status, outHeaders);
			res.end(payload);
			this.recordRequest(record);
		};

		// The fake CDN and media proxy
		if (this.cdn.handles(method, url.pathname)) {
			await this.cdn.serve(req, res, url, record, () => this.recordRequest(record));
			return;
		}

		try {
			if (!decodedPath.startsWith(`${API_PREFIX}/`)) throw Errors.notFound();
			const path = record.path;
			const candidates = this.routes.filter((r) => r.regex.test(path));
			const route = candidates.find((r) => r.method === method);
			if (!route) throw candidates.length > 0 ? Errors.methodNotAllowed() : Errors.notFound();
			record.route = route.name;
			const match = route.regex.exec(path);
			const params: Record<string, string> = {};
			route.params.forEach((name, i) => {
				params[name] = match?.[i + 1] ?? '';
			});
			if (route.auth && headers.authorization !== `Bot ${this.token}`) throw Errors.unauthorized();

			const decision = this.rateLimits.check(route, method, path, params, route.auth ? this.token : undefined);
			if ('limited' in decision) {
				send(decision.limited.status, decision.limited.body, decision.limited.headers);
				return;
			}
			const bucket = { headers: decision.headers };

			const parsed = await parseBody(raw, req.headers).catch((error: unknown) => {
				throw error instanceof ApiError ? new ApiError(error.status, error.code, error.message, error.errors, bucket.headers) : error;
			});
			record.body = parsed.body;
			record.files = parsed.files.map((f) => ({ field: f.field, filename: f.filename, size: f.size, sha256: f.sha256, contentType: f.contentType }));

			try {
				// Path snowflakes (Discord answers 50035 for a malformed id in the path)
				for (const name of ['channel', 'guild', 'app', 'id', 'command', 'user']) {
					const value = params[name];
					if (value !== undefined && value !== '@me' && !isSnowflake(value)) {
						const field =
							{ channel: 'channel_id', guild: 'guild_id', app: 'application_id', id: 'interaction_id', command: 'command_id', user: 'user_id' }[
								name
							] ?? name;
						throw Errors.formBody([{ path: [field], code: 'NUMBER_TYPE_COERCE', message: `Value "${value}" is not snowflake.` }]);
					}
				}
				for (const name of ['with_response', 'wait', 'with_components']) {
					const value = url.searchParams.get(name);
					if (value !== null && !['true', 'false', 'True', 'False', '1', '0'].includes(value)) {
						throw Errors.formBody([{ path: [name], code: 'BOOLEAN_TYPE_CONVERT', message: `Value "${value}" is not bool.` }]);
					}
				}
				if (parsed.body !== undefined) {
					const op = findOperation(method, path);
					if (op) {
						const errors = validateBody(method, op.template, parsed.body);
						if (errors.length > 0) throw Errors.formBody(errors);
					}
				}
				const reply = await route.handler({ params, query: url.searchParams, body: parsed.body, files: parsed.files, record });
				send(reply.status, reply.body, bucket.headers);
			} catch (error) {
				if (error instanceof ApiError) send(error.status, error.body(), { ...bucket.headers, ...error.headers });
				else throw error;
			}
		} catch (error) {
			if (error instanceof ApiError) {
				send(error.status, error.body(), error.headers);
			} else {
				send(500, { message: `500: Internal Server Error (fake: ${error instanceof Error ? error.message : String(error)})`, code: 0 });
			}
		}
	}

	/** @internal */ recordRequest(record: RecordedRequest): void {
		this.requests.push(record);
		for (const waiter of [...this.waiters]) {
			if (waiter.predicate(record)) waiter.resolve(record);
		}
	}
}
