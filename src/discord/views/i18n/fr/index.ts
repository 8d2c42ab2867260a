import type { Catalogue } from '../en/index.js';
import { frHelp } from './help.js';
import { frJobs } from './jobs.js';
import { frModels } from './models.js';
import { frRefusals } from './refusals.js';
import { frSettings } from './settings.js';

/** French: Discord's own words ("serveur", "salon"), and "tu" as Discord's French interface says. */
export const fr: Catalogue = {
	units: { byte: { one: 'octet', other: 'octets' }, kilobyte: 'Ko', megabyte: 'Mo' },
	build: (f) => ({ ...frRefusals(f), ...frJobs(f), ...frSettings(f), ...frHelp(f), ...frModels(f) }),
};
