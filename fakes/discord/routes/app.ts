/** Routes for the gateway URL, users, the application and its commands. */
import type { FakeDiscord } from '../index.js';
import { Errors } from '../http.js';
import { snowflake } from '../snowflake.js';
import type { RouteAdder, StoredCommand } from '../types.js';
import { clone } from '../util.js';
import { commandErrors, type FormError } from '../validation.js';

export function appGuards(fake: FakeDiscord) {
	const app = (p: Record<string, string>) => {
		if (p.app !== fake.application.id) throw Errors.missingAccess();
	};
	const guild = (p: Record<string, string>) => {
		if (p.guild !== fake.guild.id) throw Errors.unknownGuild();
	};
	return { app, guild };
}

export function defineAppRoutes(fake: FakeDiscord, route: RouteAdder): void {
	const { app, guild } = appGuards(fake);

	route('GET', '/gateway', () => ({ status: 200, body: { url: fake.gatewayUrl } }), false);
	route('GET', '/gateway/bot', () => ({
		status: 200,
		body: {
			url: fake.gatewayUrl,
			shards: fake.recommendedShards,
			session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
		},
	}));
	route('GET', '/users/@me', () => ({
		status: 200,
		body: { ...clone(fake.botUser), verified: true, mfa_enabled: false, bio: '', banner: null, accent_color: null, locale: 'en-US', email: null },
	}));
	// A DM with a member, as a bot opens one before messaging them (discord.js: user.createDM()).
	route('POST', '/users/@me/channels', ({ body }) => {
		// The spec's validation has already refused a recipient that is not a snowflake.
		const recipient = (body as { recipient_id?: string | null } | undefined)?.recipient_id;
		if (recipient === undefined || recipient === null)
			throw Errors.formBody([{ path: ['recipient_id'], code: 'CHANNEL_RECIPIENT_REQUIRED', message: 'A recipient is required.' }]);
		const user = fake.users.find((u) => u.id === recipient) ?? fake.seenUsers.get(recipient);
		if (!user) throw Errors.invalidRecipients();
		return { status: 200, body: fake.dmChannelFor(user) };
	});
	route('GET', '/users/:user', ({ params }) => {
		const user = params.user === fake.botUser.id ? fake.botUser : fake.users.find((u) => u.id === params.user);
		if (!user) throw Errors.unknownUser();
		return { status: 200, body: clone(user) };
	});
	route('GET', '/applications/@me', () => ({
		status: 200,
		body: {
			...clone(fake.application),
			type: null,
			summary: '',
			hook: true,
			is_monetized: false,
			is_verified: false,
			is_discoverable: false,
			bot: clone(fake.botUser),
			owner: clone(fake.users[0]),
			team: null,
			approximate_guild_count: 1,
			approximate_user_install_count: 0,
			redirect_uris: [],
			interactions_endpoint_url: null,
			integration_types_config: { '0': {} },
			tags: [],
		},
	}));

	// Application commands
	for (const base of ['/applications/:app/commands', '/applications/:app/guilds/:guild/commands']) {
		const isGuild = base.includes(':guild');
		const list = (p: Record<string, string>) => (isGuild ? (fake.guildCommands.get(p.guild ?? '') ?? []) : fake.globalCommands);
		route('GET', base, ({ params }) => {
			app(params);
			if (isGuild) guild(params);
			return { status: 200, body: clone(list(params)) };
		});
		route('PUT', base, ({ params, body }) => {
			app(params);
			if (isGuild) guild(params);
			return { status: 200, body: overwriteCommands(fake, body, isGuild ? params.guild : undefined) };
		});
		route('POST', base, ({ params, body }) => {
			app(params);
			if (isGuild) guild(params);
			const command = (body ?? {}) as Record<string, unknown>;
			const errors = commandErrors(command);
			if (errors.length > 0) throw Errors.formBody(errors);
			const current = list(params);
			const stored = storeCommand(fake, command, isGuild ? params.guild : undefined, current);
			const index = current.findIndex((c) => c.id === stored.id);
			const created = index < 0;
			if (created) current.push(stored);
			else current[index] = stored;
			if (isGuild && !fake.guildCommands.has(params.guild ?? '')) fake.guildCommands.set(params.guild ?? '', current);
			return { status: created ? 201 : 200, body: clone(stored) };
		});
		route('GET', `${base}/:command`, ({ params }) => {
			app(params);
			if (isGuild) guild(params);
			const found = list(params).find((c) => c.id === params.command);
			if (!found) throw Errors.unknownCommand();
			return { status: 200, body: clone(found) };
		});
		route('PATCH', `${base}/:command`, ({ params, body }) => {
			app(params);
			if (isGuild) guild(params);
			const current = list(params);
			const index = current.findIndex((c) => c.id === params.command);
			const found = current[index];
			if (!found) throw Errors.unknownCommand();
			const merged = { ...found, ...(body as Record<string, unknown>) };
			const errors = commandErrors(merged);
			if (errors.length > 0) throw Errors.formBody(errors);
			const stored = { ...storeCommand(fake, merged, isGuild ? params.guild : undefined, current), id: found.id };
			current[index] = stored;
			return { status: 200, body: clone(stored) };
		});
		route('DELETE', `${base}/:command`, ({ params }) => {
			app(params);
			if (isGuild) guild(params);
			const current = list(params);
			const index = current.findIndex((c) => c.id === params.command);
			if (index < 0) throw Errors.unknownCommand();
			current.splice(index, 1);
			return { status: 204 };
		});
	}
}

export function overwriteCommands(fake: FakeDiscord, body: unknown, guildId: string | undefined): StoredCommand[] {
	const list = (Array.isArray(body) ? body : []) as Record<string, unknown>[];
	const errors: FormError[] = [];
	const seen = new Set<string>();
	list.forEach((command, i) => {
		errors.push(...commandErrors(command, [String(i)]));
		// The body passed the schema: type is an ApplicationCommandType, a numeric string (coerced like Discord's form
		// parser) or null/absent (a chat-input command).
		const type = command.type ?? 1;
		const key = `${typeof type === 'number' || typeof type === 'string' ? type : 1}:${String(command.name)}`;
		if (seen.has(key))
			errors.push({ path: [String(i), 'name'], code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: 'Application command names must be unique' });
		seen.add(key);
	});
	if (errors.length > 0) throw Errors.formBody(errors);
	const current = guildId ? (fake.guildCommands.get(guildId) ?? []) : fake.globalCommands;
	const next = list.map((command) => storeCommand(fake, command, guildId, current));
	if (guildId) fake.guildCommands.set(guildId, next);
	else fake.globalCommands.splice(0, fake.globalCommands.length, ...next);
	return clone(next);
}

export function storeCommand(
	fake: FakeDiscord,
	command: Record<string, unknown>,
	guildId: string | undefined,
	current: StoredCommand[],
): StoredCommand {
	const type = typeof command.type === 'number' ? command.type : 1;
	const existing = current.find((c) => c.name === command.name && c.type === type);
	const dmp = command.default_member_permissions;
	const stored: StoredCommand = {
		id: existing?.id ?? snowflake(),
		application_id: fake.application.id,
		version: snowflake(),
		// The schema admits an integer or a numeric string bitfield (a PATCH merges over the stored string), or null.
		default_member_permissions: typeof dmp === 'number' || typeof dmp === 'string' ? String(dmp) : null,
		type,
		name: String(command.name),
		name_localizations: command.name_localizations ?? null,
		description: typeof command.description === 'string' ? command.description : '',
		description_localizations: command.description_localizations ?? null,
		...(guildId ? { guild_id: guildId } : { dm_permission: command.dm_permission ?? true }),
		contexts: command.contexts ?? null,
		integration_types: command.integration_types ?? [0],
		nsfw: command.nsfw ?? false,
		...(Array.isArray(command.options) && command.options.length > 0 ? { options: clone(command.options) } : {}),
	};
	if (command.handler !== undefined && command.handler !== null) stored.handler = command.handler;
	return stored;
}
