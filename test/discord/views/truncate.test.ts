import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, fitEmbed, truncate } from '../../../src/discord/views/truncate.js';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('truncate', () => {
	it('returns text within the limit unchanged, up to exactly the limit', () => {
		expect(truncate('', 5)).toBe('');
		expect(truncate('abc', 5)).toBe('abc');
		expect(truncate('abcde', 5)).toBe('abcde');
		// Counted in UTF-16 units, as discord.js's builders check: two emoji fill a limit of four.
		expect(truncate('😀😀', 4)).toBe('😀😀');
		expect(truncate('😀😀😀', 5)).toBe('😀😀…');
	});

	it('cuts longer text to the limit, ending with an ellipsis', () => {
		expect(truncate('abcdef', 5)).toBe('abcd…');
		expect(truncate('x'.repeat(5000), 2000)).toBe(`${'x'.repeat(1999)}…`);
	});

	it('never splits a surrogate pair, wherever the cut falls', () => {
		const text = 'a😀b🎬c🧰'.repeat(40) + '𝒳'.repeat(50);
		for (let max = 1; max < text.length; max += 1) {
			const cut = truncate(text, max);
			// At most the limit, and at most one unit short of it (an emoji that did not fit whole).
			expect(cut.length).toBeLessThanOrEqual(max);
			expect(cut.length).toBeGreaterThanOrEqual(max - 1);
			expect(cut.endsWith('…')).toBe(true);
			expect(cut).not.toMatch(LONE_SURROGATE);
			expect(text.startsWith(cut.slice(0, -1))).toBe(true);
		}
	});

	it('cuts a text of only emoji on a code point boundary', () => {
		const cut = truncate('😀'.repeat(300), 256);
		expect(cut).toBe(`${'😀'.repeat(127)}…`);
		expect(cut).not.toMatch(LONE_SURROGATE);
	});
});

describe('fitEmbed', () => {
	it('brings every text of an embed within its limit and leaves absent parts absent', () => {
		const fitted = fitEmbed({
			title: 't'.repeat(300),
			description: '🎬'.repeat(5000),
			fields: [
				{ name: 'n'.repeat(300), value: 'v'.repeat(2000), inline: true },
				{ name: 'short', value: 'short' },
			],
			footer: 'f'.repeat(3000),
		});
		expect(fitted.title!.length).toBe(DISCORD_LIMITS.embedTitle);
		expect(fitted.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
		expect(fitted.description!.length).toBeGreaterThanOrEqual(DISCORD_LIMITS.embedDescription - 1);
		expect(fitted.description).not.toMatch(LONE_SURROGATE);
		expect(fitted.fields![0]!.name.length).toBe(DISCORD_LIMITS.fieldName);
		expect(fitted.fields![0]!.value.length).toBe(DISCORD_LIMITS.fieldValue);
		expect(fitted.fields![0]!.inline).toBe(true);
		expect(fitted.fields![1]).toEqual({ name: 'short', value: 'short' });
		expect(fitted.footer!.length).toBe(DISCORD_LIMITS.footer);
		expect(fitEmbed({ title: 'only a title' })).toEqual({ title: 'only a title' });
	});
});
