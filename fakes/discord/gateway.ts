import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { deflateSync } from 'node:zlib';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/** Gateway intents the fake looks at. */
export const Intent = {
	Guilds: 1 << 0,
	GuildMembers: 1 << 1,
	GuildPresences: 1 << 8,
	GuildMessages: 1 << 9,
	GuildMessageReactions: 1 << 10,
	DirectMessages: 1 << 12,
	MessageContent: 1 << 15,
} as const;

export const PRIVILEGED_INTENTS = Intent.GuildMembers | Intent.GuildPresences | Intent.MessageContent;

export interface GatewayPayload {
	op: number;
	d: unknown;
	s: number | null;
	t: string | null;
}

/** A gateway session (one IDENTIFY); it outlives its socket so it can be resumed. */
export interface GatewaySession {
	id: string;
	intents: number;
	seq: number;
	/** Every dispatch sent in this session, for RESUME replay. */
	log: GatewayPayload[];
	socket: WebSocket | undefined;
	compress: boolean;
	/** READY + GUILD_CREATE were sent. */
	ready: boolean;
	identifiedAt: number;
	/** [shard_id, num_shards] from IDENTIFY (default [0, 1]). */
	shard: [number, number];
}

/**
 * A text frame's payload as a string. ws hands text frames over as one Buffer (binaryType 'nodebuffer', the default);
 * its RawData type also allows the fragments and ArrayBuffer of the other binary types.
 */
function frameText(raw: RawData): string {
	if (Buffer.isBuffer(raw)) return raw.toString();
	if (Array.isArray(raw)) return Buffer.concat(raw).toString();
	return Buffer.from(raw).toString();
}

/** The shard a guild's events go to: (guild_id >> 22) % num_shards (DMs go to shard 0). */
export function shardFor(guildId: string | null, numShards: number): number {
	if (guildId === null) return 0;
	return Number((BigInt(guildId) >> 22n) % BigInt(numShards));
}

export interface GatewayHooks {
	token(): string;
	heartbeatIntervalMs(): number;
	allowedPrivilegedIntents(): number;
	/** Payload of READY for a new session. */
	readyPayload(session: GatewaySession, url: string): Record<string, unknown>;
	/** GUILD_CREATE payloads (one per guild) for a new session. */
	guildCreates(session: GatewaySession): Record<string, unknown>[];
	/** Members for op 8 REQUEST_GUILD_MEMBERS. */
	members(guildId: string): unknown[];
	onReady(session: GatewaySession): void;
	onReceive(session: GatewaySession | undefined, payload: GatewayPayload): void;
	/** Guild whose events dispatch() sends when the caller names none. */
	homeGuildId(): string;
}

/**
 * The gateway half of the fake: HELLO, heartbeats, IDENTIFY (4004 on a bad token, 4014 on disallowed intents),
 * READY + GUILD_CREATE, RESUME with replay (or op 9), dispatches with increasing sequence numbers.
 */
export class FakeGateway {
	readonly sessions = new Map<string, GatewaySession>();
	readonly received: { at: number; op: number; d: unknown; sessionId?: string }[] = [];
	private readonly wss = new WebSocketServer({ noServer: true });
	private readonly timers = new Set<NodeJS.Timeout>();

	constructor(
		private readonly hooks: GatewayHooks,
		private readonly url: () => string,
	) {
		this.wss.on('connection', (socket: WebSocket, request: IncomingMessage) => this.onConnection(socket, request));
	}

	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const version = url.searchParams.get('v');
		const encoding = url.searchParams.get('encoding') ?? 'json';
		this.wss.handleUpgrade(request, socket, head, (ws) => {
			if (encoding !== 'json') {
				ws.close(4002, 'Decode error.');
				return;
			}
			if (version !== null && version !== '10' && version !== '9') {
				ws.close(4012, 'Invalid API version.');
				return;
			}
			this.wss.emit('connection', ws, request);
		});
	}

	private send(socket: WebSocket, payload: GatewayPayload, compress: boolean): void {
		if (socket.readyState !== socket.OPEN) return;
		const text = JSON.stringify(payload);
		if (compress) socket.send(deflateSync(text), { binary: true });
		else socket.send(text);
	}

	private onConnection(socket: WebSocket, _request: IncomingMessage): void {
		let session: GatewaySession | undefined;
		let lastHeartbeat = Date.now();
		const interval = this.hooks.heartbeatIntervalMs();
		this.send(socket, { op: 10, d: { heartbeat_interval: interval, _trace: ['["gateway-prd-fake",{"micros":0.0}]'] }, s: null, t: null }, false);
		// Like Discord: a connection that neither identifies nor heartbeats in time is dropped (4009 after ~1.5 intervals, 4003 before identify).
		const watchdog = setInterval(
			() => {
				if (Date.now() - lastHeartbeat > interval * 1.5 + 1000)
					socket.close(session ? 4009 : 4003, session ? 'Session timed out.' : 'Not authenticated.');
			},
			Math.max(250, Math.min(interval, 5000)),
		);
		this.timers.add(watchdog);
		socket.on('close', () => {
			clearInterval(watchdog);
			this.timers.delete(watchdog);
			if (session && session.socket === socket) session.socket = undefined;
		});
		socket.on('message', (raw, isBinary) => {
			let payload: GatewayPayload;
			try {
				if (isBinary) throw new Error('binary payloads are etf');
				payload = JSON.parse(frameText(raw)) as GatewayPayload;
				if (typeof payload !== 'object' || payload === null || typeof payload.op !== 'number') throw new Error('no op');
			} catch {
				socket.close(4002, 'Error while decoding payload.');
				return;
			}
			this.received.push({ at: Date.now(), op: payload.op, d: payload.d, sessionId: session?.id });
			this.hooks.onReceive(session, payload);
			switch (payload.op) {
				case 1: {
					lastHeartbeat = Date.now();
					this.send(socket, { op: 11, d: null, s: null, t: null }, session?.compress ?? false);
					return;
				}
				case 2: {
					if (session) {
						socket.close(4005, 'Already authenticated.');
						return;
					}
					const d = (payload.d ?? {}) as { token?: unknown; intents?: unknown; compress?: unknown; shard?: unknown };
					const token = typeof d.token === 'string' ? d.token.replace(/^Bot /, '') : '';
					if (token !== this.hooks.token()) {
						socket.close(4004, 'Authentication failed.');
						return;
					}
					if (typeof d.intents !== 'number' || !Number.isInteger(d.intents) || d.intents < 0 || d.intents >= 2 ** 26) {
						socket.close(4013, 'Invalid intent(s).');
						return;
					}
					if ((d.intents & PRIVILEGED_INTENTS & ~this.hooks.allowedPrivilegedIntents()) !== 0) {
						socket.close(4014, 'Disallowed intent(s).');
						return;
					}
					const shard = d.shard === undefined ? [0, 1] : d.shard;
					if (
						!Array.isArray(shard) ||
						shard.length !== 2 ||
						!shard.every((n) => Number.isInteger(n)) ||
						(shard[1] as number) < 1 ||
						(shard[0] as number) < 0 ||
						(shard[0] as number) >= (shard[1] as number)
					) {
						socket.close(4010, 'Invalid shard.');
						return;
					}
					lastHeartbeat = Date.now();
					session = {
						id: randomBytes(16).toString('hex'),
						intents: d.intents,
						seq: 0,
						log: [],
						socket,
						compress: d.compress === true,
						ready: false,
						identifiedAt: Date.now(),
						shard: [shard[0] as number, shard[1] as number],
					};
					this.sessions.set(session.id, session);
					const current = session;
					this.dispatchTo(current, 'READY', this.hooks.readyPayload(current, this.url()));
					// Discord streams the guilds shortly after READY.
					const timer = setTimeout(() => {
						this.timers.delete(timer);
						for (const guild of this.hooks.guildCreates(current)) this.dispatchTo(current, 'GUILD_CREATE', guild);
						current.ready = true;
						this.hooks.onReady(current);
					}, 5);
					this.timers.add(timer);
					return;
				}
				case 6: {
					const d = (payload.d ?? {}) as { token?: unknown; session_id?: unknown; seq?: unknown };
					const token = typeof d.token === 'string' ? d.token.replace(/^Bot /, '') : '';
					if (token !== this.hooks.token()) {
						socket.close(4004, 'Authentication failed.');
						return;
					}
					const existing = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
					if (!existing || typeof d.seq !== 'number' || d.seq > existing.seq) {
						this.send(socket, { op: 9, d: false, s: null, t: null }, false);
						return;
					}
					existing.socket?.close(4000, 'Session resumed elsewhere.');
					existing.socket = socket;
					session = existing;
					lastHeartbeat = Date.now();
					const seq = d.seq;
					for (const missed of existing.log.filter((p) => (p.s ?? 0) > seq)) this.send(socket, missed, existing.compress);
					this.dispatchTo(existing, 'RESUMED', { _trace: ['["gateway-prd-fake",{"micros":0.0}]'] });
					return;
				}
				case 3: // presence update
				case 4: // voice state update
					if (!session) socket.close(4003, 'Not authenticated.');
					return;
				case 8: {
					if (!session) {
						socket.close(4003, 'Not authenticated.');
						return;
					}
					const d = (payload.d ?? {}) as { guild_id?: string; nonce?: string; user_ids?: string | string[] };
					let members = this.hooks.members(String(d.guild_id)) as { user: { id: string } }[];
					if (d.user_ids) {
						const ids = ([] as string[]).concat(d.user_ids);
						members = members.filter((m) => ids.includes(m.user.id));
					}
					this.dispatchTo(session, 'GUILD_MEMBERS_CHUNK', {
						guild_id: d.guild_id,
						members,
						chunk_index: 0,
						chunk_count: 1,
						not_found: [],
						...(d.nonce ? { nonce: d.nonce } : {}),
					});
					return;
				}
				default:
					socket.close(4001, 'Unknown opcode.');
			}
		});
	}

	/** Sends a dispatch (op 0) to one session, numbering it; buffered for replay when the socket is gone. */
	dispatchTo(session: GatewaySession, event: string, data: unknown): void {
		session.seq += 1;
		const payload: GatewayPayload = { op: 0, t: event, s: session.seq, d: data };
		session.log.push(payload);
		if (session.log.length > 1000) session.log.shift();
		if (session.socket) this.send(session.socket, payload, session.compress);
	}

	/**
	 * Sends a dispatch to every READY session of the shard that owns `guildId` ((guild_id >> 22) % num_shards;
	 * null: a DM event, shard 0). With one unsharded connection that is every session. `data` returns undefined to
	 * skip a session.
	 */
	dispatch(event: string, data: (session: GatewaySession) => unknown, guildId: string | null = this.hooks.homeGuildId()): number {
		let sent = 0;
		for (const session of this.sessions.values()) {
			if (!session.ready) continue;
			if (shardFor(guildId, session.shard[1]) !== session.shard[0]) continue;
			const payload = data(session);
			if (payload === undefined) continue;
			this.dispatchTo(session, event, payload);
			if (session.socket) sent += 1;
		}
		return sent;
	}

	/** Asks every connected client to reconnect (op 7), as Discord does on gateway restarts. */
	requestReconnect(): void {
		for (const session of this.sessions.values()) {
			if (session.socket) this.send(session.socket, { op: 7, d: null, s: null, t: null }, session.compress);
		}
	}

	/** Drops every socket with the given close code (sessions stay resumable unless the code forbids it). */
	disconnectAll(code = 4000): void {
		for (const client of this.wss.clients) client.close(code, 'Closed by fake.');
	}

	async close(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		for (const client of this.wss.clients) client.terminate();
		await new Promise<void>((resolve) => this.wss.close(() => resolve()));
	}
}
