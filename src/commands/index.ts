import animate from './animate/index.js';
import help from './help/index.js';
import type { ChatInputCommand } from './types.js';

/** Every slash command the bot registers and answers, by name. */
export const commands: ReadonlyMap<string, ChatInputCommand> = new Map(
	([animate, help] as ChatInputCommand[]).map((command) => [command.definition.name, command]),
);
