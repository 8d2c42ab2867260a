import WebSocket from 'ws';
import type { BotProcess } from '../test/support/bot-process.js';

/**
 * The bot's V8 inspector, opened the way Node allows for any running process (SIGUSR1), so the
 * bot is still started exactly as `npm start` starts it. Used only to force a full garbage
 * collection before a memory reading, so the reading compares live data, not garbage that V8 has
 * not collected yet, and to read the V8 heap.
 */
export class Inspector {
	private nextId = 1;
	private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

	private constructor(private readonly socket: WebSocket) {
		socket.on('message', (data: Buffer) => {
			const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
			const call = message.id === undefined ? undefined : this.pending.get(message.id);
			if (!call) return;
			this.pending.delete(message.id!);
			if (message.error) call.reject(new Error(message.error.message));
			else call.resolve(message.result);
		});
	}

	/** undefined when the inspector cannot be opened (e.g. port 9229 is taken). */
	public static async attach(bot: BotProcess): Promise<Inspector | undefined> {
		try {
			const listening = bot.waitForStderr(/Debugger listening on (ws:\/\/\S+)/);
			process.kill(bot.pid, 'SIGUSR1');
			const [, url] = await listening;
			const socket = new WebSocket(url!);
			await new Promise<void>((resolve, reject) => {
				socket.once('open', () => resolve());
				socket.once('error', reject);
			});
			return new Inspector(socket);
		} catch {
			return undefined;
		}
	}

	private call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
		const id = this.nextId++;
		return new Promise<T>((resolve, reject) => {
			this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
			this.socket.send(JSON.stringify({ id, method, params }));
		});
	}

	/** A full, compacting collection. */
	public async collectGarbage(): Promise<void> {
		await this.call('HeapProfiler.collectGarbage');
	}

	/** Bytes of live objects on the V8 heap (used), and the heap V8 has reserved for them (total). */
	public async heap(): Promise<{ used: number; total: number }> {
		const { usedSize, totalSize } = await this.call<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage');
		return { used: usedSize, total: totalSize };
	}

	public close(): void {
		this.socket.close();
	}
}
