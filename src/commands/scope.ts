import { ApplicationIntegrationType, InteractionContextType } from 'discord.js';

type Scope = { contexts: InteractionContextType[]; integration_types: ApplicationIntegrationType[] };

/** Settings and opt-outs are per server: these commands are installed to servers and used in them. */
export const IN_SERVERS: Scope = {
	contexts: [InteractionContextType.Guild],
	integration_types: [ApplicationIntegrationType.GuildInstall],
};

/**
 * Making videos works anywhere: installed to a server or by a member for themselves, and used in
 * servers, the bot's DM and group DMs (where a user installation answers through the interaction).
 */
export const EVERYWHERE: Scope = {
	contexts: [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel],
	integration_types: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
};
