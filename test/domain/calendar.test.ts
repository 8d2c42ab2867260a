import { describe, expect, it } from 'vitest';
import { monthBounds, startOfNextUtcDay, startOfUtcDay } from '../../src/domain/calendar.js';

const utc = (y: number, m: number, d: number, h = 0, min = 0, s = 0, ms = 0) => Date.UTC(y, m - 1, d, h, min, s, ms);

describe('startOfNextUtcDay', () => {
	it('is the next UTC midnight, from anywhere in the day', () => {
		expect(startOfNextUtcDay(utc(2025, 6, 10, 0, 0, 0, 0))).toBe(utc(2025, 6, 11));
		expect(startOfNextUtcDay(utc(2025, 6, 10, 13, 45))).toBe(utc(2025, 6, 11));
		expect(startOfNextUtcDay(utc(2025, 6, 10, 23, 59, 59, 999))).toBe(utc(2025, 6, 11));
	});

	it('rolls over month ends, leap days and the year end', () => {
		expect(startOfNextUtcDay(utc(2025, 4, 30, 12))).toBe(utc(2025, 5, 1));
		expect(startOfNextUtcDay(utc(2024, 2, 28, 12))).toBe(utc(2024, 2, 29));
		expect(startOfNextUtcDay(utc(2024, 2, 29, 12))).toBe(utc(2024, 3, 1));
		expect(startOfNextUtcDay(utc(2025, 2, 28, 12))).toBe(utc(2025, 3, 1));
		expect(startOfNextUtcDay(utc(2025, 12, 31, 23, 59, 59, 999))).toBe(utc(2026, 1, 1));
	});

	it('pairs with startOfUtcDay: one day apart, the day containing the time', () => {
		for (const now of [utc(2025, 12, 31, 23, 59, 59, 999), utc(2026, 1, 1), utc(2024, 2, 29, 6)]) {
			const start = startOfUtcDay(now);
			expect(start).toBeLessThanOrEqual(now);
			expect(startOfNextUtcDay(now) - start).toBe(86_400_000);
			expect(new Date(start).toISOString()).toMatch(/T00:00:00\.000Z$/);
		}
	});
});

describe('monthBounds', () => {
	it('is the calendar month in UTC, the start included and the next month’s start excluded', () => {
		expect(monthBounds(utc(2025, 6, 15, 10))).toEqual({ start: utc(2025, 6, 1), next: utc(2025, 7, 1) });
		expect(monthBounds(utc(2025, 6, 1))).toEqual({ start: utc(2025, 6, 1), next: utc(2025, 7, 1) });
		expect(monthBounds(utc(2025, 6, 30, 23, 59, 59, 999))).toEqual({ start: utc(2025, 6, 1), next: utc(2025, 7, 1) });
		expect(monthBounds(utc(2025, 7, 1)).start).toBe(utc(2025, 7, 1));
	});

	it('crosses the year at both ends', () => {
		expect(monthBounds(utc(2025, 12, 31, 23, 59, 59, 999))).toEqual({ start: utc(2025, 12, 1), next: utc(2026, 1, 1) });
		expect(monthBounds(utc(2026, 1, 1))).toEqual({ start: utc(2026, 1, 1), next: utc(2026, 2, 1) });
		expect(monthBounds(utc(2026, 1, 1) - 1).start).toBe(utc(2025, 12, 1));
	});

	it('knows February’s length in leap and common years', () => {
		expect(monthBounds(utc(2024, 2, 29, 12))).toEqual({ start: utc(2024, 2, 1), next: utc(2024, 3, 1) });
		expect(monthBounds(utc(2025, 2, 28, 12))).toEqual({ start: utc(2025, 2, 1), next: utc(2025, 3, 1) });
		expect(monthBounds(utc(2024, 3, 1)).start - monthBounds(utc(2024, 2, 1)).start).toBe(29 * 86_400_000);
	});

	it('does not depend on the local time zone', () => {
		const zone = process.env['TZ'];
		try {
			// Already February at UTC+14, still January at UTC-8: the bounds stay UTC's.
			for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
				process.env['TZ'] = tz;
				expect(monthBounds(utc(2025, 1, 31, 23, 30))).toEqual({ start: utc(2025, 1, 1), next: utc(2025, 2, 1) });
				expect(monthBounds(utc(2025, 2, 1, 0, 30))).toEqual({ start: utc(2025, 2, 1), next: utc(2025, 3, 1) });
				expect(startOfNextUtcDay(utc(2025, 1, 31, 23, 30))).toBe(utc(2025, 2, 1));
				expect(startOfNextUtcDay(utc(2025, 2, 1, 0, 30))).toBe(utc(2025, 2, 2));
			}
		} finally {
			if (zone === undefined) delete process.env['TZ'];
			else process.env['TZ'] = zone;
		}
	});
});
