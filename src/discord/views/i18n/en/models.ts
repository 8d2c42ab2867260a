/** The words of model choices and prices (part of the message catalogue). */
import { usd } from './format.js';

export const enModels = {
	'model.choice': (p: { label: string; price: string }) => `${p.label} · ${p.price}`,
	'model.choice-default': (p: { label: string; price: string }) => `${p.label} · ${p.price} · server default`,
	'model.price.video': (p: { usd: number; resolution?: string }) => `${usd(p.usd)} / video${p.resolution ? ` at ${p.resolution}` : ''}`,
	'model.price.second': (p: { usd: number; resolution?: string }) => `${usd(p.usd)} / s${p.resolution ? ` at ${p.resolution}` : ''}`,
	'model.price.seconds': (p: { usd: number; seconds: number; resolution?: string }) =>
		`${usd(p.usd)} / ${p.seconds} s${p.resolution ? ` at ${p.resolution}` : ''}`,
	'model.price.unpublished': (p: { usd: number }) => `about ${usd(p.usd)} / video (fal publishes no price)`,
	'model.value-default': (p: { value: string }) => `${p.value} (default)`,
} as const;
