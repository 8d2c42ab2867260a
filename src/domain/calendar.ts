const DAY_MS = 86_400_000;

/** Per-day limits count UTC days. */
export const startOfNextUtcDay = (now: number): number => {
	const day = new Date(now);
	return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1);
};

export const startOfUtcDay = (now: number): number => startOfNextUtcDay(now) - DAY_MS;

/** Spend caps are per calendar month, UTC. */
export const monthBounds = (now: number): { start: number; next: number } => {
	const day = new Date(now);
	return { start: Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1), next: Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1) };
};
