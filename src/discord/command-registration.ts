import type { ApplicationCommandData, ClientApplication, RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import type { Logger } from '../logger.js';

/**
 * Overwrites the registered commands only when they differ from ours: a bulk overwrite on every
 * start would burn the daily command-create limit and make clients re-sync for nothing.
 */
export async function registerCommands(
	application: ClientApplication,
	definitions: readonly RESTPostAPIApplicationCommandsJSONBody[],
	guildId: string | undefined,
	log: Logger,
): Promise<'unchanged' | 'updated'> {
	// Discord leaves localizations out of the list unless asked, and ours carry some: without them
	// equals() would see a difference on every start and re-register for nothing.
	const registered = await application.commands.fetch({ withLocalizations: true, ...(guildId ? { guildId } : {}) });
	// equals() reads both the API's snake_case and discord.js's camelCase shapes; the cast only bridges the typings.
	const unchanged =
		registered.size === definitions.length &&
		definitions.every((definition) =>
			registered.find((command) => command.name === definition.name)?.equals(definition as ApplicationCommandData, true),
		);
	if (unchanged) {
		log.info({ guildId, count: definitions.length }, 'commands unchanged');
		return 'unchanged';
	}
	const list = [...definitions];
	await (guildId ? application.commands.set(list, guildId) : application.commands.set(list));
	log.info({ guildId, count: definitions.length }, guildId ? 'commands registered to guild' : 'commands registered globally');
	return 'updated';
}
