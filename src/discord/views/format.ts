/** Discord markup and number formats the catalogue's messages share. */

/** `<t:…:R>`: the member's client shows "in 5 minutes" in their own language and keeps it ticking. */
export const relative = (at: number): string => `<t:${Math.floor(at / 1000)}:R>`;
export const longDate = (at: number): string => `<t:${Math.floor(at / 1000)}:D>`;
export const channel = (id: string): string => `<#${id}>`;
export const user = (id: string): string => `<@${id}>`;
export const code = (text: string): string => `\`${text.replaceAll('`', 'ˋ')}\``;
/** Dollars with cents, and a third decimal only where fal's price has one ($0.075). */
export const usd = (amount: number): string => {
	const cents = Math.round(amount * 100_000) / 1000;
	return `$${Number.isInteger(cents) ? amount.toFixed(2) : amount.toFixed(3)}`;
};

export function bytes(size: number): string {
	if (size < 1024) return `${size} bytes`;
	if (size < 1024 * 1024) return `${(size / 1024).toFixed(0)} KB`;
	return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

export function elapsed(ms: number): string {
	const seconds = Math.max(0, Math.round(ms / 1000));
	return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** "a", "a and b", "a, b and c" would need a language; lists are joined with commas. */
export const list = (items: readonly string[]): string => items.join(', ');
