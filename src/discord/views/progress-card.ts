import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import { isFinal, type JobState } from '../../domain/job.js';
import type { JobProgress } from '../../domain/progress.js';
import { customId } from '../custom-ids.js';
import type { Messages } from './i18n/index.js';
import { noteText } from './notes.js';
import { fitEmbed, truncate, DISCORD_LIMITS } from './truncate.js';

type CardTitle = Extract<keyof Messages, `card.title.${string}`>;

/** Accepted and uploading look the same to the member: the image is being prepared. */
const TITLE: Record<JobState, CardTitle> = {
	accepted: 'card.title.preparing',
	uploading: 'card.title.preparing',
	waiting: 'card.title.waiting',
	queued: 'card.title.queued',
	running: 'card.title.running',
	delivering: 'card.title.delivering',
	delivered: 'card.title.delivered',
	failed: 'card.title.failed',
	cancelled: 'card.title.cancelled',
};

const COLOR: Record<JobState, number> = {
	accepted: 0x5865f2,
	uploading: 0x5865f2,
	waiting: 0x5865f2,
	queued: 0x5865f2,
	running: 0xfee75c,
	delivering: 0xfee75c,
	delivered: 0x57f287,
	failed: 0xed4245,
	cancelled: 0x99aab5,
};

/** What the member sees of a state (accepted and uploading look alike). */
export const visibleState = (state: JobState): CardTitle => TITLE[state];

export const BAR_WIDTH = 12;

export function progressBar(done: number, total: number, width = BAR_WIDTH): string {
	const filled = Math.max(0, Math.min(width, Math.round((done / total) * width)));
	return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)} ${Math.round((done / total) * 100)}%`;
}

function describe(view: JobProgress, m: Messages): string {
	switch (view.state) {
		case 'waiting':
			return view.localPosition ? m['card.local-position']({ position: view.localPosition }) : m['card.next-for-slot']();
		case 'queued':
			// Until fal reports a position the card says only that it waits, never "next in line".
			if (view.queuePosition === undefined) return m['card.in-queue']();
			return view.queuePosition > 0 ? m['card.queue-position']({ position: view.queuePosition }) : m['card.next-in-line']();
		case 'running':
			return view.step !== undefined && view.totalSteps
				? m['card.step']({ bar: progressBar(view.step, view.totalSteps), step: view.step, total: view.totalSteps })
				: m['card.working']();
		case 'delivered':
			return view.resultUrl ? m['card.video-here']({ url: view.resultUrl }) : m['card.video-posted']();
		default:
			return '';
	}
}

const button = (label: string, id: string, style: ButtonStyle) =>
	new ActionRowBuilder<ButtonBuilder>().addComponents(
		new ButtonBuilder().setCustomId(id).setLabel(truncate(label, DISCORD_LIMITS.buttonLabel)).setStyle(style),
	);

const footer = ({ jobId, model }: JobProgress, m: Messages) =>
	model ? m['card.footer-model']({ jobId, model: model.label, priceUsd: model.priceUsd }) : m['card.footer']({ jobId });

/** A job's card: what it is doing, its notes, how long it has taken, and Cancel or Try again. */
export function renderProgress(view: JobProgress, m: Messages, now = Date.now()) {
	const final = isFinal(view.state);
	const lines = [describe(view, m), ...(view.notes ?? []).map((note) => noteText(note, m))].filter(Boolean);
	lines.push(final ? m['card.took']({ ms: now - view.startedAt }) : m['card.started']({ at: view.startedAt, ms: now - view.startedAt }));
	const text = fitEmbed({ title: m[TITLE[view.state]](), description: lines.join('\n'), footer: footer(view, m) });
	const embed = new EmbedBuilder()
		.setTitle(text.title!)
		.setColor(COLOR[view.state])
		.setDescription(text.description!)
		.setFooter({ text: text.footer! });
	const components = [];
	if (!final) components.push(button(m['button.cancel'](), customId('cancel', view.jobId), ButtonStyle.Danger));
	else if (view.state === 'failed' && view.retryable)
		components.push(button(m['button.retry'](), customId('retry', view.jobId), ButtonStyle.Primary));
	return { content: '', embeds: [embed], components };
}

export type ProgressPayload = ReturnType<typeof renderProgress>;
