/** Discord's epoch (2015-01-01T00:00:00.000Z) in ms since the Unix epoch. */
export const DISCORD_EPOCH = 1_420_070_400_000n;

let increment = 0n;

/**
 * A real-looking Discord snowflake: (ms since Discord epoch) << 22 | worker << 17 | process << 12 | increment.
 * With a current timestamp this is 18–19 decimal digits, like every id Discord hands out today.
 */
export function snowflake(at: number = Date.now()): string {
	increment = (increment + 1n) & 0xfffn;
	const ms = BigInt(Math.floor(at)) - DISCORD_EPOCH;
	return ((ms << 22n) | (1n << 17n) | (0n << 12n) | increment).toString();
}

/** ms since the Unix epoch encoded in a snowflake. */
export function snowflakeTimestamp(id: string): number {
	return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/**
 * Discord ids as they arrive in paths and bodies: 17–20 digits, no leading zero. A plain boolean, not a `value is
 * string` guard: a string that fails the check is still a string (a guard would narrow it to never).
 */
export function isSnowflake(value: unknown): boolean {
	return typeof value === 'string' && /^[1-9][0-9]{16,19}$/.test(value);
}
