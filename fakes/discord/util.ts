/** Constants and small helpers shared by the fake's modules. */

export const API_PREFIX = '/api/v10';
export const DEFAULT_LIMIT = 10 * 1024 * 1024;
export const LOADING = 1 << 7;
export const EPHEMERAL = 1 << 6;
/**
 * An empty flags bitfield, as Discord sends it. discord-api-types' flag enums (UserFlags, ChannelFlags, RoleFlags) have
 * no member for 0 and TypeScript refuses a literal outside an enum's members, but takes a `number`.
 */
export const NO_FLAGS: number = 0;

// Permission bits (as BigInt) for roles and app_permissions.
export const P = {
	CREATE_INSTANT_INVITE: 1n << 0n,
	ADD_REACTIONS: 1n << 6n,
	VIEW_CHANNEL: 1n << 10n,
	SEND_MESSAGES: 1n << 11n,
	MANAGE_MESSAGES: 1n << 13n,
	EMBED_LINKS: 1n << 14n,
	ATTACH_FILES: 1n << 15n,
	READ_MESSAGE_HISTORY: 1n << 16n,
	MENTION_EVERYONE: 1n << 17n,
	USE_EXTERNAL_EMOJIS: 1n << 18n,
	CHANGE_NICKNAME: 1n << 26n,
	USE_APPLICATION_COMMANDS: 1n << 31n,
	SEND_MESSAGES_IN_THREADS: 1n << 38n,
	ADMINISTRATOR: 1n << 3n,
};
export const EVERYONE_PERMISSIONS =
	P.CREATE_INSTANT_INVITE |
	P.ADD_REACTIONS |
	P.VIEW_CHANNEL |
	P.SEND_MESSAGES |
	P.EMBED_LINKS |
	P.ATTACH_FILES |
	P.READ_MESSAGE_HISTORY |
	P.MENTION_EVERYONE |
	P.USE_EXTERNAL_EMOJIS |
	P.CHANGE_NICKNAME |
	P.USE_APPLICATION_COMMANDS |
	P.SEND_MESSAGES_IN_THREADS;
export const BOT_ROLE_PERMISSIONS = EVERYONE_PERMISSIONS;
export const DENY_FOR = {
	50013: P.SEND_MESSAGES | P.ATTACH_FILES | P.EMBED_LINKS | P.ADD_REACTIONS | P.SEND_MESSAGES_IN_THREADS,
	50001: P.VIEW_CHANNEL,
} as const;

export function base64url(bytes: Buffer): string {
	return bytes.toString('base64url');
}

export function iso(ms: number): string {
	return new Date(ms).toISOString().replace('Z', '+00:00');
}

export function clone<T>(value: T): T {
	return structuredClone(value);
}

/** Discord replaces characters it doesn't keep in attachment filenames. */
export function sanitizeFilename(name: string): string {
	const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '');
	return cleaned.length > 0 ? cleaned : 'unknown';
}
