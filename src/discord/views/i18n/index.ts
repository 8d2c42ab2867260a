import { en, type Catalogue } from './catalogue.js';
import { enModels } from './catalogue-models.js';
import { enSettings } from './catalogue-settings.js';

const english = { ...en, ...enSettings, ...enModels } as const;

export type Messages = typeof english;
export type { Catalogue };

/** The catalogue views word their texts from (English; translations plug in here). */
export const messages: Messages = english;
