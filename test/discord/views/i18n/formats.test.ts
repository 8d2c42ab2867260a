import { describe, expect, it } from 'vitest';
import { formatsFor, type UnitWords } from '../../../../src/discord/views/i18n/formats.js';

const units: UnitWords = { byte: { one: 'byte', other: 'bytes' }, kilobyte: 'KB', megabyte: 'MB' };
const en = formatsFor('en-US', units);
const fr = formatsFor('fr', { byte: { one: 'octet', other: 'octets' }, kilobyte: 'Ko', megabyte: 'Mo' });

describe('formatsFor', () => {
	it('writes dollars with cents, and a third decimal only where the price has one', () => {
		expect([0.21, 0.075, 50, 0.0751, 1000, 12_500.5].map(en.usd)).toEqual(['$0.21', '$0.075', '$50.00', '$0.075', '$1000.00', '$12,500.50']);
		expect(fr.usd(0.075)).toBe('0,075\u00a0$US');
	});

	it('writes sizes as bytes, whole KB or MB to a tenth, in the language’s units', () => {
		expect([1, 512, 1023, 1024, 700 * 1024, 1024 * 1024, 25 * 1024 * 1024].map(en.bytes)).toEqual([
			'1 byte',
			'512 bytes',
			'1023 bytes',
			'1 KB',
			'700 KB',
			'1.0 MB',
			'25.0 MB',
		]);
		expect(fr.bytes(1)).toBe('1 octet');
		expect(fr.bytes(25 * 1024 * 1024)).toBe('25,0 Mo');
	});

	it('writes durations in seconds, then minutes and seconds', () => {
		expect([0, 4_400, 59_600, 65_000, -5].map(en.elapsed)).toEqual(['0 s', '4 s', '1 min 0 s', '1 min 5 s', '0 s']);
	});

	it('picks the plural category of the language, falling back to `other`', () => {
		expect(en.plural(1, { one: 'video', other: 'videos' })).toBe('video');
		expect(en.plural(0, { one: 'video', other: 'videos' })).toBe('videos');
		expect(fr.plural(0, { one: 'vidéo', other: 'vidéos' })).toBe('vidéo');
		// French has a `many` category for millions; a word without one uses `other`.
		expect(fr.plural(1_000_000, { one: 'vidéo', other: 'vidéos' })).toBe('vidéos');
	});

	it('lists side by side, with "and" or with "or", as the language does', () => {
		expect(en.list(['a', 'b', 'c'])).toBe('a, b, c');
		expect(en.and(['a', 'b', 'c'])).toBe('a, b, and c');
		expect(en.or(['a', 'b'])).toBe('a or b');
		expect(fr.and(['a', 'b', 'c'])).toBe('a, b et c');
		expect(fr.or(['a', 'b'])).toBe('a ou b');
	});
});
