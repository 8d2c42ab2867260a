import { ApplicationIntegrationType, InteractionContextType } from 'discord.js';

/** Every command here is installed to servers and used in them: jobs, limits and settings are per server. */
export const IN_SERVERS: { contexts: InteractionContextType[]; integration_types: ApplicationIntegrationType[] } = {
	contexts: [InteractionContextType.Guild],
	integration_types: [ApplicationIntegrationType.GuildInstall],
};
