/** The kinds of value a setting can take, each with the one message that says what is expected. */
import { z } from 'zod';

// An empty line in .env (`FAL_KEY=`) means "not set", not "set to nothing".
export const optional = <T extends z.ZodType>(schema: T) =>
	z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());

export const httpUrl = z
	.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
	// discord.js and @fal-ai/client append their own paths.
	.transform((url) => url.replace(/\/+$/, ''));

export const secret = (what: string) =>
	z
		.string({ error: 'missing' })
		.trim()
		.min(1, 'missing')
		.refine((value) => !/\s/.test(value), `${what} must not contain spaces`);

/**
 * A number within bounds, with one message that states them whatever is wrong (not a number, a
 * fraction, too small, too big), so an operator fixes it in one go. Every number has an upper bound
 * because the durations end up in setTimeout, which fires at once past 2^31 ms (about 24.8 days).
 */
export function bounded<Fallback extends number | undefined>(options: {
	/** The value when unset; `undefined` keeps an optional setting unset. */
	readonly fallback: Fallback;
	readonly min: number;
	readonly max: number;
	/** Whole numbers only; otherwise fractions are fine and `min` itself is excluded. */
	readonly whole: boolean;
	/** The unit and a plain-words reading of `max`, as the message says them. */
	readonly unit?: string;
	readonly maxInWords?: string;
}) {
	const { min, max, whole, unit, maxInWords } = options;
	const bound = `${max}${unit ? ` ${unit}` : ''}${maxInWords ? ` (${maxInWords})` : ''}`;
	const message = whole ? `must be a whole number between ${min} and ${bound}` : `must be more than ${min} and at most ${bound}`;
	const base = z.coerce.number({ error: message });
	const number = whole ? base.int(message).min(min, message) : base.gt(min, message);
	return optional(number.max(max, message)).transform((value): number | Fallback => value ?? options.fallback);
}

const WEEK_IN_MINUTES = 7 * 24 * 60;
export const minutes = (fallback: number) =>
	bounded({ fallback, min: 0, max: WEEK_IN_MINUTES, whole: false, unit: 'minutes', maxInWords: 'a week' }).transform((value) => value * 60_000);

// A webhook URL is used as given (fal calls exactly it), so unlike the API bases it keeps its slashes.
export const webhookUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
