import type { ClientEvents } from 'discord.js';
import type { Services } from '../context.js';

export interface BotEvent<K extends keyof ClientEvents = keyof ClientEvents> {
	readonly name: K;
	readonly once?: boolean;
	execute(services: Services, ...args: ClientEvents[K]): Promise<void> | void;
}
