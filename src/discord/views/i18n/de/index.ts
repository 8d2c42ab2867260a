import type { Catalogue } from '../en/index.js';
import { deHelp } from './help.js';
import { deJobs } from './jobs.js';
import { deModels } from './models.js';
import { deRefusals } from './refusals.js';
import { deSettings } from './settings.js';

/** German: Discord's own words ("Server", "Kanal"), and "du" as Discord's German interface says. */
export const de: Catalogue = {
	units: { byte: { one: 'Byte', other: 'Byte' }, kilobyte: 'KB', megabyte: 'MB' },
	build: (f) => ({ ...deRefusals(f), ...deJobs(f), ...deSettings(f), ...deHelp(f), ...deModels(f) }),
};
