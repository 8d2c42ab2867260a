/** Discord's limits on message text (answered with 400 50035 when exceeded). */
export const DISCORD_LIMITS = {
	content: 2000,
	embedTitle: 256,
	embedDescription: 4096,
	fieldName: 256,
	fieldValue: 1024,
	footer: 2048,
	buttonLabel: 80,
	/** Autocomplete and option choice names and values. */
	choice: 100,
	/** Choices one autocomplete answer may offer. */
	choices: 25,
} as const;

/**
 * Cuts text to at most `max` characters, ending with "…" when cut, never inside an emoji. Counted
 * in UTF-16 units, which discord.js's builders check and which is never less than Discord's own
 * count, so the result fits both.
 */
export function truncate(text: string, max: number): string {
	if (text.length <= max) return text;
	let kept = '';
	for (const char of text) {
		if (kept.length + char.length > max - 1) break;
		kept += char;
	}
	return `${kept}…`;
}

export interface EmbedText {
	readonly title?: string;
	readonly description?: string;
	readonly fields?: readonly { readonly name: string; readonly value: string; readonly inline?: boolean }[];
	readonly footer?: string;
}

/** The one gate every embed passes: each text within its Discord limit. */
export function fitEmbed(embed: EmbedText): EmbedText {
	return {
		...(embed.title === undefined ? {} : { title: truncate(embed.title, DISCORD_LIMITS.embedTitle) }),
		...(embed.description === undefined ? {} : { description: truncate(embed.description, DISCORD_LIMITS.embedDescription) }),
		...(embed.fields === undefined
			? {}
			: {
					fields: embed.fields.map((field) => ({
						...field,
						name: truncate(field.name, DISCORD_LIMITS.fieldName),
						value: truncate(field.value, DISCORD_LIMITS.fieldValue),
					})),
				}),
		...(embed.footer === undefined ? {} : { footer: truncate(embed.footer, DISCORD_LIMITS.footer) }),
	};
}
