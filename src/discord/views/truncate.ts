/** Discord's limits on message text (answered with 400 50035 when exceeded). */
export const DISCORD_LIMITS = {
	content: 2000,
	embedTitle: 256,
	embedDescription: 4096,
	fieldName: 256,
	fieldValue: 1024,
	footer: 2048,
	buttonLabel: 80,
} as const;

/** Cuts text to at most `max` characters (code points, never half an emoji), ending with "…" when cut. */
export function truncate(text: string, max: number): string {
	const chars = [...text];
	return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
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
