/**
 * Numbers, prices, sizes, durations, lists and plurals written the way a locale writes them, with
 * the platform's Intl data (CLDR). Each language's catalogue is built on the formats of the
 * member's locale; the words around them stay in the catalogue.
 */

/** A word in each plural category the language uses; `other` is the one every language has. */
export type PluralForms = { readonly [K in Intl.LDMLPluralRule]?: string } & { readonly other: string };

/** The few unit words Intl writes in ways members would not expect ("kB", "o"): each language gives its own. */
export interface UnitWords {
	readonly byte: PluralForms;
	readonly kilobyte: string;
	readonly megabyte: string;
}

/** Free functions (no `this`): catalogues pass them around, e.g. `items.map(f.usd)`. */
export interface Formats {
	readonly locale: string;
	/** A count or amount in the locale's digits: 12,345 / 12 345 / 12.345. */
	readonly number: (value: number, fractionDigits?: number) => string;
	/** US dollars with cents, and a third decimal only where fal's price has one ($0.075). */
	readonly usd: (amount: number) => string;
	/** A file size: 512 bytes, 12 KB, 10.0 MB. */
	readonly bytes: (size: number) => string;
	/** A duration: 42 s, 1 min 5 s. */
	readonly elapsed: (ms: number) => string;
	/** Items side by side, as CLDR lists units: English "a, b, c", French "a, b et c". */
	readonly list: (items: readonly string[]) => string;
	/** "a, b and c". */
	readonly and: (items: readonly string[]) => string;
	/** "a, b or c". */
	readonly or: (items: readonly string[]) => string;
	/** The word that goes with `count` in this language (Intl.PluralRules): 1 video, 2 videos; 0 vidéo. */
	readonly plural: (count: number, forms: PluralForms) => string;
}

/**
 * Digits grouped from five on (1000, 10,000), as Spanish writes them anyway: four-digit numbers read
 * the same in every language, and English stays exactly as the bot wrote it before it spoke others.
 */
const GROUPING = { useGrouping: 'min2' } as const;

/** Formats for one locale (a valid BCP 47 tag, as pickLocale returns). */
export function formatsFor(locale: string, units: UnitWords): Formats {
	const numbers = new Map<number, Intl.NumberFormat>();
	const number = (value: number, fractionDigits?: number) => {
		const key = fractionDigits ?? -1;
		let format = numbers.get(key);
		if (!format) {
			const digits =
				fractionDigits === undefined
					? { maximumFractionDigits: 3 }
					: { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits };
			format = new Intl.NumberFormat(locale, { ...GROUPING, ...digits });
			numbers.set(key, format);
		}
		return format.format(value);
	};
	const dollars = [2, 3].map(
		(digits) =>
			new Intl.NumberFormat(locale, {
				...GROUPING,
				style: 'currency',
				currency: 'USD',
				minimumFractionDigits: digits,
				maximumFractionDigits: digits,
			}),
	) as [Intl.NumberFormat, Intl.NumberFormat];
	const lists = {
		unit: new Intl.ListFormat(locale, { type: 'unit', style: 'short' }),
		conjunction: new Intl.ListFormat(locale, { type: 'conjunction' }),
		disjunction: new Intl.ListFormat(locale, { type: 'disjunction' }),
	};
	const rules = new Intl.PluralRules(locale);
	const plural = (count: number, forms: PluralForms) => forms[rules.select(count)] ?? forms.other;
	return {
		locale,
		number,
		usd(amount) {
			// Cents to a thousandth: a whole number of cents shows two decimals, $0.075 shows three.
			const cents = Math.round(amount * 100_000) / 1000;
			return (Number.isInteger(cents) ? dollars[0] : dollars[1]).format(amount);
		},
		bytes(size) {
			if (size < 1024) return `${number(size)} ${plural(size, units.byte)}`;
			if (size < 1024 * 1024) return `${number(size / 1024, 0)} ${units.kilobyte}`;
			return `${number(size / (1024 * 1024), 1)} ${units.megabyte}`;
		},
		elapsed(ms) {
			// "s" and "min" are the same symbols in every catalogued language.
			const seconds = Math.max(0, Math.round(ms / 1000));
			return seconds < 60 ? `${number(seconds)} s` : `${number(Math.floor(seconds / 60))} min ${number(seconds % 60)} s`;
		},
		list: (items) => lists.unit.format(items),
		and: (items) => lists.conjunction.format(items),
		or: (items) => lists.disjunction.format(items),
		plural,
	};
}
