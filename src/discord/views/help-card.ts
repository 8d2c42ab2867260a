import { EmbedBuilder } from 'discord.js';
import { messages as m } from './messages.js';
import { fitEmbed } from './truncate.js';

export interface OptionHelp {
	readonly name: string;
	readonly description: string;
	readonly required: boolean;
}

/** What the bot does, and every /animate option. */
export function renderHelp(options: readonly OptionHelp[]): EmbedBuilder {
	const text = fitEmbed({
		title: m['help.title'](),
		description: m['help.about'](),
		fields: [{ name: m['help.options-title'](), value: options.map((option) => m['help.option'](option)).join('\n') }],
	});
	return new EmbedBuilder()
		.setTitle(text.title!)
		.setDescription(text.description!)
		.addFields([...text.fields!]);
}
