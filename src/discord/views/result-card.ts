import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import type { ResultCard } from '../../jobs/ports.js';
import { customId, type ButtonAction } from '../custom-ids.js';
import { messages as m } from './messages.js';
import { DISCORD_LIMITS, fitEmbed, truncate } from './truncate.js';

/** Ends the footer of a result embed, so a restarted bot can recognise what it already posted. */
export const resultFooter = (jobId: string): string => `result of job ${jobId}`;

/** 🔁 reroll, ➕/➖ motion and 🗑️ delete, under every posted video. */
export function resultButtons(jobId: string) {
	const button = (action: ButtonAction, emoji: string, label: string, style = ButtonStyle.Secondary) =>
		new ButtonBuilder().setCustomId(customId(action, jobId)).setEmoji(emoji).setLabel(truncate(label, DISCORD_LIMITS.buttonLabel)).setStyle(style);
	return [
		new ActionRowBuilder<ButtonBuilder>().addComponents(
			button('reroll', '🔁', m['button.reroll']()),
			button('more', '➕', m['button.more']()),
			button('less', '➖', m['button.less']()),
			button('delete', '🗑️', m['button.delete'](), ButtonStyle.Danger),
		),
	];
}

function resultEmbed({ job, model, seed, link }: ResultCard): EmbedBuilder {
	const fields = [
		{ name: m['result.seed'](), value: `\`${seed}\``, inline: true },
		{ name: m['result.motion'](), value: String(job.motion), inline: true },
		{ name: m['result.noise'](), value: String(job.noise), inline: true },
	];
	if (model.options.has('steps')) fields.push({ name: m['result.steps'](), value: String(job.steps), inline: true });
	if (job.fps !== null) fields.push({ name: m['result.fps'](), value: String(job.fps), inline: true });
	if (job.maskUrl) fields.push({ name: m['result.mask'](), value: job.sources.mask?.name ?? m['result.mask-yes'](), inline: true });
	if (job.depthFrames) fields.push({ name: m['result.depth-maps'](), value: m['result.frames']({ frames: job.depthFrames }), inline: true });
	// The job id stays whole at the end of the footer: a restarted bot looks for it there.
	const footer = `${truncate(`${model.label} · ${model.id}`, DISCORD_LIMITS.footer - 64)} · ${resultFooter(job.id)}`;
	const text = fitEmbed({ title: m['result.title']({ file: job.sources.image.name }), fields, footer });
	const embed = new EmbedBuilder()
		.setTitle(text.title!)
		.setColor(0x57f287)
		.addFields([...text.fields!])
		.setFooter({ text: text.footer! });
	return link ? embed.setURL(link.url) : embed;
}

/** The message a finished video is posted with. */
export function renderResult(card: ResultCard) {
	const { job, link } = card;
	const content = link
		? m['result.ready-link']({ userId: job.userId, size: link.size, limit: link.limit, url: link.url })
		: m['result.ready']({ userId: job.userId });
	return {
		content: truncate(content, DISCORD_LIMITS.content),
		embeds: [resultEmbed(card)],
		components: resultButtons(job.id),
		allowedMentions: { users: [job.userId] },
	};
}

export type ResultPayload = ReturnType<typeof renderResult>;
