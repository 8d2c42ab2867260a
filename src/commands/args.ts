import { ApplicationCommandOptionType, type ChatInputCommandInteraction } from 'discord.js';
import type { ArgsOf, ChatInputDefinition } from './types.js';

/** Reads every option the definition declares, by its declared type; absent options are left out. */
export function readArgs<D extends ChatInputDefinition>(interaction: ChatInputCommandInteraction, definition: D): ArgsOf<D> {
	const args: Record<string, unknown> = {};
	for (const option of definition.options ?? []) {
		const { name } = option;
		let value: unknown;
		switch (option.type) {
			case ApplicationCommandOptionType.Attachment:
				value = interaction.options.getAttachment(name);
				break;
			case ApplicationCommandOptionType.Integer:
				value = interaction.options.getInteger(name);
				break;
			case ApplicationCommandOptionType.Number:
				value = interaction.options.getNumber(name);
				break;
			case ApplicationCommandOptionType.String:
				value = interaction.options.getString(name);
				break;
			case ApplicationCommandOptionType.Boolean:
				value = interaction.options.getBoolean(name);
				break;
			case ApplicationCommandOptionType.User:
				value = interaction.options.getUser(name);
				break;
			default:
				continue;
		}
		if (value !== null && value !== undefined) args[name] = value;
	}
	return args as ArgsOf<D>;
}
