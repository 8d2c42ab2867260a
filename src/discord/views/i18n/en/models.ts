/** The words of model choices and prices, in autocomplete and on the settings card. */
import type { Formats } from '../formats.js';

export const enModels = (f: Formats) => {
	const at = (resolution?: string) => (resolution ? ` at ${resolution}` : '');
	return {
		'model.choice': (p: { label: string; price: string }) => `${p.label} · ${p.price}`,
		'model.choice-default': (p: { label: string; price: string }) => `${p.label} · ${p.price} · server default`,
		'model.price.video': (p: { usd: number; resolution?: string }) => `${f.usd(p.usd)} / video${at(p.resolution)}`,
		'model.price.second': (p: { usd: number; resolution?: string }) => `${f.usd(p.usd)} / s${at(p.resolution)}`,
		'model.price.seconds': (p: { usd: number; seconds: number; resolution?: string }) =>
			`${f.usd(p.usd)} / ${f.number(p.seconds)} s${at(p.resolution)}`,
		'model.price.unpublished': (p: { usd: number }) => `about ${f.usd(p.usd)} / video (fal publishes no price)`,
		'model.value-default': (p: { value: string }) => `${p.value} (default)`,
	};
};

export type ModelMessages = ReturnType<typeof enModels>;
