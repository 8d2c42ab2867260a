import type { AutocompleteInteraction } from 'discord.js';
import type { Services } from '../../context.js';
import { messagesOf } from '../../discord/views/i18n/index.js';
import { modelChoice, valueChoice, type Choice } from '../../discord/views/model-choices.js';
import { DISCORD_LIMITS } from '../../discord/views/truncate.js';
import { modelSpec } from '../../domain/models.js';
import { policyServer } from './origin.js';

const CHOICE_OPTIONS: ReadonlySet<string> = new Set(['duration', 'resolution', 'aspect_ratio']);

const matches = (typed: string, ...texts: string[]) => texts.some((text) => text.toLowerCase().includes(typed));

/**
 * What /animate offers as the member types: the models this server allows (with their price), or
 * the chosen model's own durations, resolutions and aspect ratios. Reads only the settings: it
 * must answer within Discord's 3 seconds, and no one waits on it.
 */
export async function autocompleteAnimate(interaction: AutocompleteInteraction, { settings, config }: Services): Promise<void> {
	const focused = interaction.options.getFocused(true);
	const typed = focused.value.trim().toLowerCase();
	const server = await settings.get(policyServer(interaction));
	const m = messagesOf(interaction);
	let choices: Choice[] = [];
	if (focused.name === 'model') {
		choices = server.models
			.map((id) => modelSpec(id, config.falPrices))
			.filter((model) => matches(typed, model.label, model.id))
			.map((model) => modelChoice(model, model.id === server.model, m));
	} else if (CHOICE_OPTIONS.has(focused.name)) {
		const model = modelSpec(interaction.options.getString('model') ?? server.model);
		const spec = model.options[focused.name as 'duration' | 'resolution' | 'aspect_ratio'];
		if (spec?.kind === 'choice')
			choices = spec.values.filter((value) => matches(typed, value)).map((value) => valueChoice(value, value === spec.default, m));
	}
	await interaction.respond(choices.slice(0, DISCORD_LIMITS.choices));
}
