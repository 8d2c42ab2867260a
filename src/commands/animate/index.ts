import type { AnimateRequest, ModelChoices } from '../../domain/job.js';
import { refuse } from '../../domain/refusal.js';
import type { ArgsOf, ChatInputCommand } from '../types.js';
import { autocompleteAnimate } from './autocomplete.js';
import { AnimateCommand } from './definition.js';
import { deferAndStart, originOf } from './origin.js';

type Args = ArgsOf<typeof AnimateCommand>;

const source = (attachment: { url: string; name: string }) => ({ url: attachment.url, name: attachment.name });

/** Only what was given, so "left out" stays distinguishable from any value. */
function pick<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
	return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}

/** The member's /animate options as a request; the model's schema checks them on acceptance. */
export function requestOf(args: Args): AnimateRequest {
	const choices: ModelChoices = {
		...pick('prompt', args.prompt),
		...pick('negative_prompt', args.negative_prompt),
		...pick('duration', args.duration),
		...pick('resolution', args.resolution),
		...pick('aspect_ratio', args.aspect_ratio),
		...pick('loop', args.loop),
	};
	return {
		image: source(args.image),
		...pick('model', args.model),
		...(Object.keys(choices).length > 0 ? { choices } : {}),
		...(args.mask ? { mask: source(args.mask) } : {}),
		...(args.depth_maps ? { depthMaps: source(args.depth_maps) } : {}),
		...(args.end_image ? { endImage: source(args.end_image) } : {}),
		...pick('motion', args.motion),
		...pick('noise', args.noise),
		...pick('seed', args.seed),
		...pick('steps', args.steps),
		...pick('fps', args.fps),
	};
}

export default {
	definition: AnimateCommand,
	anywhere: true,
	async execute(interaction, args, { engine, log }) {
		// Only fast, local checks before the defer: Discord allows 3 seconds for it. A channel the bot
		// does not see (a user installation) is a DM or a text channel: Discord offers the command nowhere else.
		if (interaction.inCachedGuild() && (!interaction.channel?.isTextBased() || interaction.channel.isVoiceBased()))
			refuse({ kind: 'not-text-channel' });
		const job = await engine.accept(requestOf(args), originOf(interaction, 'command'));
		log.info({ jobId: job.id, userId: job.userId, guildId: job.guildId, model: job.model }, 'job accepted');
		await deferAndStart(interaction, job.id, engine, log);
	},
	autocomplete: autocompleteAnimate,
} satisfies ChatInputCommand<typeof AnimateCommand>;
