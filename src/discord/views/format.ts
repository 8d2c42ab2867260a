/** Discord markup the catalogue's messages share, the same in every language (numbers and lists: i18n/formats.ts). */

/** `<t:…:R>`: the member's client shows "in 5 minutes" in their own language and keeps it ticking. */
export const relative = (at: number): string => `<t:${Math.floor(at / 1000)}:R>`;
export const longDate = (at: number): string => `<t:${Math.floor(at / 1000)}:D>`;
export const channel = (id: string): string => `<#${id}>`;
export const user = (id: string): string => `<@${id}>`;
export const code = (text: string): string => `\`${text.replaceAll('`', 'ˋ')}\``;
