import { estimateUsd, priceBasis } from '../../domain/catalogue/index.js';
import type { ModelSpec } from '../../domain/models.js';
import type { Messages } from './i18n/index.js';
import { DISCORD_LIMITS, truncate } from './truncate.js';

/** A model's price in one short phrase: "$0.21 / 5 s", "$0.045 / s at 768P", "$0.075 / video". */
export function priceLabel(model: ModelSpec, m: Messages): string {
	if (model.flatPriceUsd !== undefined) return m['model.price.video']({ usd: model.flatPriceUsd });
	const basis = priceBasis(model);
	if (!basis) return m['model.price.unpublished']({ usd: estimateUsd(model, {}) });
	const at = basis.resolution !== undefined ? { resolution: basis.resolution } : {};
	if (basis.per === 'video') return m['model.price.video']({ usd: basis.usd, ...at });
	if (basis.per === 'second') return m['model.price.second']({ usd: basis.usd, ...at });
	return m['model.price.seconds']({ usd: basis.usd, seconds: basis.per.seconds, ...at });
}

export interface Choice {
	readonly name: string;
	readonly value: string;
}

/** An autocomplete entry for a model: "Kling 2.5 Turbo · $0.21 / 5 s". */
export function modelChoice(model: ModelSpec, isDefault: boolean, m: Messages): Choice {
	const words = { label: model.label, price: priceLabel(model, m) };
	const name = isDefault ? m['model.choice-default'](words) : m['model.choice'](words);
	return { name: truncate(name, DISCORD_LIMITS.choice), value: model.id };
}

/** An autocomplete entry for one of a model's values (a duration, a resolution…). */
export function valueChoice(value: string, isDefault: boolean, m: Messages): Choice {
	return { name: truncate(isDefault ? m['model.value-default']({ value }) : value, DISCORD_LIMITS.choice), value };
}
