/** Les modèles et leurs prix, en français. */
import type { ModelMessages } from '../en/models.js';
import type { Formats } from '../formats.js';

export const frModels = (f: Formats): ModelMessages => {
	const at = (resolution?: string) => (resolution ? ` en ${resolution}` : '');
	return {
		'model.choice': (p) => `${p.label} · ${p.price}`,
		'model.choice-default': (p) => `${p.label} · ${p.price} · par défaut`,
		'model.price.video': (p) => `${f.usd(p.usd)} / vidéo${at(p.resolution)}`,
		'model.price.second': (p) => `${f.usd(p.usd)} / s${at(p.resolution)}`,
		'model.price.seconds': (p) => `${f.usd(p.usd)} / ${f.number(p.seconds)} s${at(p.resolution)}`,
		'model.price.unpublished': (p) => `environ ${f.usd(p.usd)} / vidéo (prix non publié)`,
		'model.value-default': (p) => `${p.value} (par défaut)`,
	};
};
