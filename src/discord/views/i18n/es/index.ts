import type { Catalogue } from '../en/index.js';
import { esHelp } from './help.js';
import { esJobs } from './jobs.js';
import { esModels } from './models.js';
import { esRefusals } from './refusals.js';
import { esSettings } from './settings.js';

/**
 * Spanish, for Spain (es-ES) and Latin America (es-419) alike: Discord's own words ("servidor",
 * "canal"), "tú" as Discord's Spanish interface says; numbers and prices follow the member's locale.
 */
export const es: Catalogue = {
	units: { byte: { one: 'byte', other: 'bytes' }, kilobyte: 'KB', megabyte: 'MB' },
	build: (f) => ({ ...esRefusals(f), ...esJobs(f), ...esSettings(f), ...esHelp(f), ...esModels(f) }),
};
