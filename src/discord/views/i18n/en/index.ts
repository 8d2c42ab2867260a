import type { Formats, UnitWords } from '../formats.js';
import { enHelp } from './help.js';
import { enJobs } from './jobs.js';
import { enModels } from './models.js';
import { enRefusals } from './refusals.js';
import { enSettings } from './settings.js';

const build = (f: Formats) => ({ ...enRefusals(f), ...enJobs(f), ...enSettings(f), ...enHelp(f), ...enModels(f) });

/** Every message the bot words, by id: English's ids and parameters, which every language must have. */
export type Messages = ReturnType<typeof build>;
export type MessageId = keyof Messages;

/** A language: its unit words, and its messages built on the formats of the member's locale. */
export interface Catalogue {
	readonly units: UnitWords;
	readonly build: (f: Formats) => Messages;
}

/** English, the reference catalogue. */
export const en: Catalogue = { units: { byte: { one: 'byte', other: 'bytes' }, kilobyte: 'KB', megabyte: 'MB' }, build };
