import type {
	ApplicationCommandOptionType,
	Attachment,
	AutocompleteInteraction,
	ChatInputCommandInteraction,
	MessageContextMenuCommandInteraction,
	RESTPostAPIChatInputApplicationCommandsJSONBody,
	RESTPostAPIContextMenuApplicationCommandsJSONBody,
	User,
} from 'discord.js';
import type { Services } from '../context.js';

export type ChatInputDefinition = RESTPostAPIChatInputApplicationCommandsJSONBody;

interface OptionShape {
	readonly name: string;
	readonly type: ApplicationCommandOptionType;
	readonly required?: boolean;
}

type OptionValue<T extends ApplicationCommandOptionType> = T extends ApplicationCommandOptionType.Attachment
	? Attachment
	: T extends ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number
		? number
		: T extends ApplicationCommandOptionType.String
			? string
			: T extends ApplicationCommandOptionType.Boolean
				? boolean
				: T extends ApplicationCommandOptionType.User
					? User
					: never;

type OptionsOf<D> = D extends { readonly options: readonly OptionShape[] } ? D['options'][number] : never;

/** The handler's arguments, derived from the command's definition so the two cannot drift apart. */
export type ArgsOf<D> = {
	[O in OptionsOf<D> as O extends { readonly required: true } ? O['name'] : never]: OptionValue<O['type']>;
} & {
	[O in OptionsOf<D> as O extends { readonly required: true } ? never : O['name']]?: OptionValue<O['type']>;
};

/** A command used in servers that have the bot: the interaction comes with the cached server. */
interface ServerChatInputCommand<D extends ChatInputDefinition> {
	readonly definition: D;
	readonly anywhere?: false;
	execute(interaction: ChatInputCommandInteraction<'cached'>, args: ArgsOf<D>, services: Services): Promise<void>;
	autocomplete?(interaction: AutocompleteInteraction<'cached'>, services: Services): Promise<void>;
}

/** A command that also works in DMs, group DMs and servers without the bot (user installs). */
interface AnywhereChatInputCommand<D extends ChatInputDefinition> {
	readonly definition: D;
	readonly anywhere: true;
	execute(interaction: ChatInputCommandInteraction, args: ArgsOf<D>, services: Services): Promise<void>;
	/** Answers the options declared with `autocomplete: true`. */
	autocomplete?(interaction: AutocompleteInteraction, services: Services): Promise<void>;
}

export type ChatInputCommand<D extends ChatInputDefinition = ChatInputDefinition> = ServerChatInputCommand<D> | AnywhereChatInputCommand<D>;

export type MessageCommandDefinition = RESTPostAPIContextMenuApplicationCommandsJSONBody;

export type MessageCommand<D extends MessageCommandDefinition = MessageCommandDefinition> =
	| {
			readonly definition: D;
			readonly anywhere?: false;
			execute(interaction: MessageContextMenuCommandInteraction<'cached'>, services: Services): Promise<void>;
	  }
	| {
			readonly definition: D;
			readonly anywhere: true;
			execute(interaction: MessageContextMenuCommandInteraction, services: Services): Promise<void>;
	  };
