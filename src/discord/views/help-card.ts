import { EmbedBuilder } from 'discord.js';
import type { MessageId, Messages } from './i18n/index.js';
import { DISCORD_LIMITS, fitEmbed } from './truncate.js';

/** The /animate options the catalogue describes: an option without a description there does not compile. */
export type DescribedOption = Extract<MessageId, `option.${string}`> extends `option.${infer Name}` ? Name : never;

export interface OptionHelp {
	readonly name: DescribedOption;
	readonly required: boolean;
}

/** Lines gathered into as few field values as fit, a line never split; longer words need more fields. */
function inFields(lines: readonly string[]): string[] {
	const values: string[] = [];
	for (const line of lines) {
		const last = values.at(-1);
		if (last !== undefined && last.length + 1 + line.length <= DISCORD_LIMITS.fieldValue) values[values.length - 1] = `${last}\n${line}`;
		else values.push(line);
	}
	return values;
}

/** What the bot does, and every /animate option. */
export function renderHelp(options: readonly OptionHelp[], m: Messages): EmbedBuilder {
	const lines = options.map(({ name, required }) => m['help.option']({ name, required, description: m[`option.${name}`]() }));
	// Fields after the first carry on the list under a blank name (a zero-width space: Discord requires one).
	const fields = inFields(lines).map((value, i) => ({ name: i === 0 ? m['help.options-title']() : '\u200b', value }));
	const text = fitEmbed({ title: m['help.title'](), description: m['help.about'](), fields });
	return new EmbedBuilder()
		.setTitle(text.title!)
		.setDescription(text.description!)
		.addFields([...text.fields!]);
}
