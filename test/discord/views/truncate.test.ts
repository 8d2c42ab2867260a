import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, fitEmbed, truncate } from '../../../src/discord/views/truncate.js';

const codePoints = (text: string) => [...text].length;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('truncate', () => {
	it('returns text within the limit unchanged, up to exactly the limit', () => {
		expect(truncate('', 5)).toBe('');
		expect(truncate('abc', 5)).toBe('abc');
		expect(truncate('abcde', 5)).toBe('abcde');
		// Five code points, ten UTF-16 units: still within a limit of five characters.
		expect(truncate('😀😀😀😀😀', 5)).toBe('😀😀😀😀😀');
	});

	it('cuts longer text to the limit, ending with an ellipsis', () => {
		expect(truncate('abcdef', 5)).toBe('abcd…');
		expect(truncate('x'.repeat(5000), 2000)).toBe(`${'x'.repeat(1999)}…`);
	});

	it('never splits a surrogate pair, wherever the cut falls', () => {
		const text = 'a😀b🎬c🧰'.repeat(40) + '𝒳'.repeat(50);
		for (let max = 1; max < codePoints(text); max += 1) {
			const cut = truncate(text, max);
			expect(codePoints(cut)).toBe(max);
			expect(cut.endsWith('…')).toBe(true);
			expect(cut).not.toMatch(LONE_SURROGATE);
			expect(text.startsWith(cut.slice(0, -1))).toBe(true);
		}
	});

	it('cuts a text of only emoji on a code point boundary', () => {
		const cut = truncate('😀'.repeat(300), 256);
		expect(cut).toBe(`${'😀'.repeat(255)}…`);
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
		expect(codePoints(fitted.title!)).toBe(DISCORD_LIMITS.embedTitle);
		expect(codePoints(fitted.description!)).toBe(DISCORD_LIMITS.embedDescription);
		expect(fitted.description).not.toMatch(LONE_SURROGATE);
		expect(codePoints(fitted.fields![0]!.name)).toBe(DISCORD_LIMITS.fieldName);
		expect(codePoints(fitted.fields![0]!.value)).toBe(DISCORD_LIMITS.fieldValue);
		expect(fitted.fields![0]!.inline).toBe(true);
		expect(fitted.fields![1]).toEqual({ name: 'short', value: 'short' });
		expect(codePoints(fitted.footer!)).toBe(DISCORD_LIMITS.footer);
		expect(fitEmbed({ title: 'only a title' })).toEqual({ title: 'only a title' });
	});
});
