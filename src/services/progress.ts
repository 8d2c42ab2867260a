import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, time, TimestampStyles } from 'discord.js';

export type Phase = 'preparing' | 'waiting' | 'queued' | 'running' | 'delivering' | 'done' | 'failed' | 'cancelled';

/** What the requester sees about a job; everything in the progress reply comes from this. */
export interface ProgressView {
	readonly jobId: string;
	readonly phase: Phase;
	readonly startedAt: number;
	readonly queuePosition?: number;
	/** Place in the bot's own queue, while the job waits for a free fal slot. */
	readonly localPosition?: number;
	readonly step?: number;
	readonly totalSteps?: number;
	/** One line of extra context: a warning, the failure reason, where the video went. */
	readonly note?: string;
	readonly resultUrl?: string;
	readonly retryable?: boolean;
}

const TITLE: Record<Phase, string> = {
	preparing: '🧰 Preparing your image',
	waiting: '⏳ Waiting for a free slot',
	queued: '⏳ Waiting in the fal queue',
	running: '🎬 Generating your video',
	delivering: '📤 Posting your video',
	done: '✅ Video ready',
	failed: '⚠️ The video could not be made',
	cancelled: '🛑 Cancelled',
};

const COLOR: Record<Phase, number> = {
	preparing: 0x5865f2,
	waiting: 0x5865f2,
	queued: 0x5865f2,
	running: 0xfee75c,
	delivering: 0xfee75c,
	done: 0x57f287,
	failed: 0xed4245,
	cancelled: 0x99aab5,
};

/** Ends the footer of a result embed, so a restarted bot can recognise what it already posted. */
export const resultFooter = (jobId: string) => `result of job ${jobId}`;

/** Buttons on progress cards and results: the job id rides in the custom id, so they outlive restarts. */
export const BUTTON_ACTIONS = ['cancel', 'retry', 'reroll', 'more', 'less', 'delete'] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

export const customId = (action: ButtonAction, jobId: string) => `animate:${action}:${jobId}`;

export function parseCustomId(id: string): { action: ButtonAction; jobId: string } | undefined {
	const match = /^animate:([a-z]+):([\w-]{1,64})$/.exec(id);
	const action = match?.[1] as ButtonAction | undefined;
	return match && action && BUTTON_ACTIONS.includes(action) ? { action, jobId: match[2]! } : undefined;
}

/** 🔁 reroll, ➕/➖ motion and 🗑️ delete, under every posted video. */
export function resultButtons(jobId: string) {
	const button = (action: ButtonAction, emoji: string, label: string, style = ButtonStyle.Secondary) =>
		new ButtonBuilder().setCustomId(customId(action, jobId)).setEmoji(emoji).setLabel(label).setStyle(style);
	return [
		new ActionRowBuilder<ButtonBuilder>().addComponents(
			button('reroll', '🔁', 'Reroll'),
			button('more', '➕', 'More motion'),
			button('less', '➖', 'Less motion'),
			button('delete', '🗑️', 'Delete', ButtonStyle.Danger),
		),
	];
}

const BAR_WIDTH = 12;

export function progressBar(done: number, total: number, width = BAR_WIDTH): string {
	const filled = Math.max(0, Math.min(width, Math.round((done / total) * width)));
	return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)} ${Math.round((done / total) * 100)}%`;
}

function formatElapsed(ms: number): string {
	const seconds = Math.max(0, Math.round(ms / 1000));
	return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

function describe(view: ProgressView): string {
	switch (view.phase) {
		case 'waiting':
			return view.localPosition
				? `The bot is busy: **${view.localPosition}** ${view.localPosition === 1 ? 'job' : 'jobs'} ahead of yours here, before the fal queue.`
				: 'Next up for a fal slot.';
		case 'queued':
			return view.queuePosition !== undefined && view.queuePosition > 0
				? `**${view.queuePosition}** ${view.queuePosition === 1 ? 'request' : 'requests'} ahead of yours.`
				: 'Next in line: a GPU is being assigned.';
		case 'running':
			return view.step !== undefined && view.totalSteps
				? `${progressBar(view.step, view.totalSteps)} (step ${view.step}/${view.totalSteps})`
				: 'The model is working on it.';
		case 'done':
			return view.resultUrl ? `Your video is here: ${view.resultUrl}` : 'Your video has been posted.';
		default:
			return '';
	}
}

/**
 * The part of the view whose change the user can see. Elapsed time is left out on purpose: the
 * relative timestamp already ticks in the client, so time alone never justifies an edit.
 */
export function viewSignature(view: ProgressView): string {
	// Steps count only as far as the bar shows them, so 1/100 → 2/100 is not worth an edit.
	const bar = view.step !== undefined && view.totalSteps ? Math.floor((view.step / view.totalSteps) * BAR_WIDTH) : undefined;
	return JSON.stringify([view.phase, view.queuePosition, view.localPosition, bar, view.note, view.resultUrl, view.retryable]);
}

export function renderProgress(view: ProgressView, now = Date.now()) {
	const final = view.phase === 'done' || view.phase === 'failed' || view.phase === 'cancelled';
	const lines = [describe(view), view.note ?? ''].filter(Boolean);
	const started = new Date(view.startedAt);
	lines.push(
		final
			? `Took ${formatElapsed(now - view.startedAt)}.`
			: `Started ${time(started, TimestampStyles.RelativeTime)} · ${formatElapsed(now - view.startedAt)} so far`,
	);
	const embed = new EmbedBuilder()
		.setTitle(TITLE[view.phase])
		.setColor(COLOR[view.phase])
		.setDescription(lines.join('\n'))
		.setFooter({ text: `job ${view.jobId}` });
	const components = [];
	if (!final) {
		components.push(
			new ActionRowBuilder<ButtonBuilder>().addComponents(
				new ButtonBuilder().setCustomId(customId('cancel', view.jobId)).setLabel('Cancel').setStyle(ButtonStyle.Danger),
			),
		);
	} else if (view.phase === 'failed' && view.retryable) {
		components.push(
			new ActionRowBuilder<ButtonBuilder>().addComponents(
				new ButtonBuilder().setCustomId(customId('retry', view.jobId)).setLabel('Try again').setStyle(ButtonStyle.Primary),
			),
		);
	}
	return { content: '', embeds: [embed], components };
}

export type ProgressPayload = ReturnType<typeof renderProgress>;

/**
 * Edits a message only when what the user sees changed, and at most once per interval: a burst of
 * queue updates becomes one edit carrying the latest state. The interval grows by a quarter after
 * each edit (2.5 s, 3.1 s, 3.9 s … up to 15 s): early changes show fast, and a 60-second job costs
 * about eight edits, so a job stays within a dozen Discord calls and far from the rate limit.
 */
export class ThrottledProgress {
	private lastSignature: string | undefined;
	private lastEditAt = 0;
	private edits = 0;
	private pending: ProgressView | undefined;
	private timer: NodeJS.Timeout | undefined;
	private inFlight: Promise<void> = Promise.resolve();

	public constructor(
		private readonly edit: (payload: ProgressPayload) => Promise<void>,
		private readonly minIntervalMs = 2_500,
		private readonly onError: (error: unknown) => void = () => undefined,
		private readonly maxIntervalMs = minIntervalMs * 6,
	) {}

	private get interval(): number {
		return Math.min(this.maxIntervalMs, this.minIntervalMs * 1.25 ** Math.max(0, this.edits - 1));
	}

	public update(view: ProgressView): void {
		if (viewSignature(view) === (this.pending ? viewSignature(this.pending) : this.lastSignature)) return;
		this.pending = view;
		if (this.timer) return;
		const wait = Math.max(0, this.lastEditAt + this.interval - Date.now());
		this.timer = setTimeout(() => {
			this.timer = undefined;
			void this.send();
		}, wait);
	}

	/** Sends the latest state now (final states must not wait for the timer) and waits for it. */
	public async flush(view?: ProgressView): Promise<void> {
		if (view) this.pending = view;
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		await this.send();
	}

	private send(): Promise<void> {
		this.inFlight = this.inFlight.then(async () => {
			const view = this.pending;
			this.pending = undefined;
			if (!view || viewSignature(view) === this.lastSignature) return;
			this.lastSignature = viewSignature(view);
			this.lastEditAt = Date.now();
			this.edits += 1;
			try {
				await this.edit(renderProgress(view));
			} catch (error) {
				this.onError(error);
			}
		});
		return this.inFlight;
	}
}
