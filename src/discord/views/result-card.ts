import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import { durationSeconds } from '../../domain/catalogue/index.js';
import type { JobRow } from '../../domain/job.js';
import { takes, type ModelSpec } from '../../domain/models.js';
import type { ResultCard } from '../../jobs/ports.js';
import { customId, type ButtonAction } from '../custom-ids.js';
import type { Messages } from './i18n/index.js';
import { DISCORD_LIMITS, fitEmbed, truncate } from './truncate.js';

/** Ends the footer of a result embed, so a restarted bot can recognise what it already posted (in the job's language). */
export const resultFooter = (jobId: string, m: Messages): string => m['result.footer']({ jobId });

/** 🔁 reroll everywhere, ➕/➖ motion where the model has it, 🔂 loop where it has that, 🗑️ delete. */
export function resultButtons(job: JobRow, model: ModelSpec, m: Messages) {
	const button = (action: ButtonAction, emoji: string, label: string, style = ButtonStyle.Secondary) =>
		new ButtonBuilder().setCustomId(customId(action, job.id)).setEmoji(emoji).setLabel(truncate(label, DISCORD_LIMITS.buttonLabel)).setStyle(style);
	const motion = takes(model, 'motion') ? [button('more', '➕', m['button.more']()), button('less', '➖', m['button.less']())] : [];
	const loop = takes(model, 'loop') && job.choices.loop !== true ? [button('loop', '🔂', m['button.loop']())] : [];
	return [
		new ActionRowBuilder<ButtonBuilder>().addComponents(
			button('reroll', '🔁', m['button.reroll']()),
			...motion,
			...loop,
			button('delete', '🗑️', m['button.delete'](), ButtonStyle.Danger),
		),
	];
}

interface Field {
	name: string;
	value: string;
	inline: boolean;
}

/** The options the video was made with, as its model took them (defaults included where they matter). */
function usedOptions(job: JobRow, model: ModelSpec, seed: number | undefined, m: Messages): Field[] {
	const fields: Field[] = [];
	const add = (name: string, value: string, inline = true) => fields.push({ name, value, inline });
	const { choices, sources } = job;
	const choice = (option: 'duration' | 'resolution' | 'aspect_ratio') => {
		const spec = model.options[option];
		return choices[option] ?? (spec?.kind === 'choice' ? spec.default : undefined);
	};
	if (seed !== undefined) add(m['result.seed'](), `\`${seed}\``);
	if (choices.prompt) add(m['result.prompt'](), choices.prompt, false);
	if (choices.negative_prompt) add(m['result.negative-prompt'](), choices.negative_prompt, false);
	const seconds = takes(model, 'duration') ? durationSeconds(model, choice('duration')) : undefined;
	if (seconds !== undefined) add(m['result.duration'](), m['result.seconds']({ seconds }));
	const resolution = choice('resolution');
	if (resolution) add(m['result.resolution'](), resolution);
	const aspect = choice('aspect_ratio');
	if (aspect) add(m['result.aspect-ratio'](), aspect);
	if (job.endImageUrl) add(m['result.end-image'](), sources.endImage?.name ?? m['result.yes']());
	if (takes(model, 'loop')) add(m['result.loop'](), choices.loop ? m['result.yes']() : m['result.no']());
	if (takes(model, 'motion')) add(m['result.motion'](), String(job.motion));
	if (takes(model, 'noise')) add(m['result.noise'](), String(job.noise));
	if (takes(model, 'steps')) add(m['result.steps'](), String(job.steps));
	if (job.fps !== null && takes(model, 'fps')) add(m['result.fps'](), String(job.fps));
	if (job.maskUrl) add(m['result.mask'](), sources.mask?.name ?? m['result.mask-yes']());
	if (job.depthFrames) add(m['result.depth-maps'](), m['result.frames']({ frames: job.depthFrames }));
	return fields;
}

function resultEmbed({ job, model, seed, link }: ResultCard, m: Messages): EmbedBuilder {
	// The job id stays whole at the end of the footer: a restarted bot looks for it there.
	const footer = `${truncate(`${model.label} · ${model.id}`, DISCORD_LIMITS.footer - 64)} · ${resultFooter(job.id, m)}`;
	const text = fitEmbed({ title: m['result.title']({ file: job.sources.image.name }), fields: usedOptions(job, model, seed, m), footer });
	const embed = new EmbedBuilder()
		.setTitle(text.title!)
		.setColor(0x57f287)
		.addFields([...text.fields!])
		.setFooter({ text: text.footer! });
	return link ? embed.setURL(link.url) : embed;
}

/** The message a finished video is posted with. */
export function renderResult(card: ResultCard, m: Messages) {
	const { job, link } = card;
	const content = link
		? m['result.ready-link']({ userId: job.userId, size: link.size, limit: link.limit, url: link.url })
		: m['result.ready']({ userId: job.userId });
	return {
		content: truncate(content, DISCORD_LIMITS.content),
		embeds: [resultEmbed(card, m)],
		components: resultButtons(job, card.model, m),
		allowedMentions: { users: [job.userId] },
	};
}

export type ResultPayload = ReturnType<typeof renderResult>;
