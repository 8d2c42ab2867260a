/** Die Modelle und ihre Preise auf Deutsch. */
import type { ModelMessages } from '../en/models.js';
import type { Formats } from '../formats.js';

export const deModels = (f: Formats): ModelMessages => {
	const at = (resolution?: string) => (resolution ? ` bei ${resolution}` : '');
	return {
		'model.choice': (p) => `${p.label} · ${p.price}`,
		'model.choice-default': (p) => `${p.label} · ${p.price} · Serverstandard`,
		'model.price.video': (p) => `${f.usd(p.usd)} / Video${at(p.resolution)}`,
		'model.price.second': (p) => `${f.usd(p.usd)} / s${at(p.resolution)}`,
		'model.price.seconds': (p) => `${f.usd(p.usd)} / ${f.number(p.seconds)} s${at(p.resolution)}`,
		'model.price.unpublished': (p) => `etwa ${f.usd(p.usd)} / Video (kein veröffentlichter Preis)`,
		'model.value-default': (p) => `${p.value} (Standard)`,
	};
};
