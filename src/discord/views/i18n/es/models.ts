/** Los modelos y sus precios en español. */
import type { ModelMessages } from '../en/models.js';
import type { Formats } from '../formats.js';

export const esModels = (f: Formats): ModelMessages => {
	const at = (resolution?: string) => (resolution ? ` en ${resolution}` : '');
	return {
		'model.choice': (p) => `${p.label} · ${p.price}`,
		'model.choice-default': (p) => `${p.label} · ${p.price} · predeterminado`,
		'model.price.video': (p) => `${f.usd(p.usd)} / vídeo${at(p.resolution)}`,
		'model.price.second': (p) => `${f.usd(p.usd)} / s${at(p.resolution)}`,
		'model.price.seconds': (p) => `${f.usd(p.usd)} / ${f.number(p.seconds)} s${at(p.resolution)}`,
		'model.price.unpublished': (p) => `unos ${f.usd(p.usd)} / vídeo (precio no publicado)`,
		'model.value-default': (p) => `${p.value} (predeterminado)`,
	};
};
