import interactionCreate from './interaction-create.js';
import reactionAdd from './reaction-add.js';
import ready from './ready.js';
import type { BotEvent } from './types.js';

export const events: readonly BotEvent[] = [ready, interactionCreate, reactionAdd] as BotEvent[];
