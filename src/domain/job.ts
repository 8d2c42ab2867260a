/**
 * A job's one state vocabulary: the row, the card and the engine all speak it. Written before the
 * step that depends on it, so a restart can carry the job on from wherever it was.
 */
export const JOB_STATES = ['accepted', 'uploading', 'waiting', 'queued', 'running', 'delivering', 'delivered', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const FINAL_STATES: ReadonlySet<JobState> = new Set(['delivered', 'failed', 'cancelled']);
export const isFinal = (state: JobState): boolean => FINAL_STATES.has(state);

/** What started a job: the slash command, the message context menu, a reaction, or a button on a result. */
export type JobTrigger = 'command' | 'context-menu' | 'reaction' | 'button';

/** Largest seed SVD accepts (unsigned 32-bit). */
export const MAX_SEED = 4_294_967_295;
/** How far ➕/➖ move motion_bucket_id, and the range it stays in. */
export const MOTION_STEP = 40;
export const MOTION_RANGE = { min: 1, max: 255 } as const;

export interface SourceRef {
	readonly url: string;
	readonly name: string;
}

/** What the member attached, as Discord URLs (signed, expiring): only needed until uploaded to fal. */
export interface JobSources {
	readonly image: SourceRef;
	readonly mask?: SourceRef;
	readonly depthMaps?: SourceRef;
	/** The last frame, for models that take one (`end_image`). */
	readonly endImage?: SourceRef;
}

/**
 * The model options members type as words or switches, as given (after normalising to the model's
 * own spelling, e.g. "9" → "9s"); fal applies its defaults to the rest.
 */
export interface ModelChoices {
	readonly prompt?: string;
	readonly negative_prompt?: string;
	readonly duration?: string;
	readonly resolution?: string;
	readonly aspect_ratio?: string;
	readonly loop?: boolean;
}

/**
 * How a job can talk to its member. `channel`: the bot sees the channel (a server that has the bot,
 * or the bot's own DM). `interaction`: only through the interaction (a user installation in a
 * server or group DM the bot is not in): the card is the deferred reply, the video its follow-up,
 * and after the 15-minute token the member's DMs.
 */
export type JobReach = 'channel' | 'interaction';

/** One line of context a job carries on its card, as data: the views layer words it. */
export type JobNote =
	| { readonly kind: 'many-images'; readonly count: number }
	| { readonly kind: 'estimated-cost'; readonly priceUsd: number; readonly usedUsd: number; readonly capUsd: number }
	| { readonly kind: 'first-frame'; readonly file: string }
	/** A job that can reach its member only through the interaction: past 15 minutes, the video goes to their DMs. */
	| { readonly kind: 'dm-if-late' }
	/** Written by a version that stored notes as text. */
	| { readonly kind: 'text'; readonly text: string };

/** One /animate job as stored; every field a restart needs to carry the job to its end. */
export interface JobRow {
	readonly id: string;
	readonly state: JobState;
	/** The server whose settings and limits apply; empty where none does (DMs, user installs in servers without the bot). */
	readonly guildId: string;
	readonly reach: JobReach;
	readonly channelId: string;
	readonly userId: string;
	/**
	 * The Discord locale the job answers in (`fr`, `es-419`, `en-US`…), chosen when it was
	 * accepted: its card is reworded long after the interaction, after restarts too.
	 */
	readonly locale: string;
	readonly interactionId: string;
	readonly applicationId: string;
	/** Secret for 15 minutes after interactionAt; kept so a restarted bot can still edit the reply. */
	readonly interactionToken: string;
	readonly interactionAt: number;
	/** Set once the interaction token was refused (50027): edits and posts go through channel routes. */
	readonly tokenExpired: boolean;
	readonly attachmentSizeLimit: number;
	readonly progressMessageId: string | null;
	readonly model: string;
	readonly requestId: string | null;
	/**
	 * Written just before each submit: fal's queue takes no idempotency key, so a process that dies
	 * between fal accepting a submit and its request id being written leaves this as the only
	 * trace. It travels in the webhook URL, so fal's webhook can name the job (see jobs/interrupted-submit.ts).
	 */
	readonly submitAttempt: string | null;
	readonly submitAttemptAt: number | null;
	readonly sources: JobSources;
	readonly imageUrl: string | null;
	readonly maskUrl: string | null;
	readonly depthMapsUrl: string | null;
	readonly depthFrames: number | null;
	readonly endImageUrl: string | null;
	readonly choices: ModelChoices;
	readonly notes: readonly JobNote[];
	readonly motion: number;
	readonly noise: number;
	readonly seed: number;
	readonly steps: number;
	readonly fps: number | null;
	readonly deliveredMessageId: string | null;
	readonly error: string | null;
	readonly trigger: JobTrigger;
	/** The post whose image is animated (context menu, reaction); the card replies to it. */
	readonly sourceMessageId: string | null;
	/** Who posted the image: may delete the result, and may have opted out. */
	readonly sourceAuthorId: string | null;
	/** Estimated price: counted against the server's monthly cap while in flight, kept once fal made the video. */
	readonly costUsd: number;
	/** When fal handed over the video: from then on it is paid for. */
	readonly producedAt: number | null;
	/** Time spent at fal while a process watched it: what JOB_TIMEOUT_MINUTES counts (downtime does not). */
	readonly falWatchMs: number;
	/** Set before a delivery through the interaction is tried, so a restart knows where the video may be. */
	readonly deliveryRoute: 'follow-up' | 'dm' | null;
	readonly createdAt: number;
	readonly updatedAt: number;
	readonly submittedAt: number | null;
	readonly finishedAt: number | null;
}

/** The fields a new job is created with; the rest start empty. */
export type NewJob = Omit<
	JobRow,
	| 'state'
	| 'tokenExpired'
	| 'progressMessageId'
	| 'requestId'
	| 'deliveredMessageId'
	| 'error'
	| 'createdAt'
	| 'updatedAt'
	| 'submittedAt'
	| 'finishedAt'
	| 'producedAt'
	| 'falWatchMs'
	| 'deliveryRoute'
	| 'submitAttempt'
	| 'submitAttemptAt'
> &
	Partial<Pick<JobRow, 'state' | 'requestId' | 'submittedAt'>>;

export type JobPatch = Partial<Omit<JobRow, 'id' | 'createdAt' | 'updatedAt'>>;

/** What the member asked for, as typed; server defaults fill in the rest when the job is accepted. */
export interface AnimateRequest {
	/** A catalogue model id; the server's default model when absent. */
	readonly model?: string;
	readonly image: SourceRef;
	readonly mask?: SourceRef;
	readonly depthMaps?: SourceRef;
	readonly endImage?: SourceRef;
	readonly choices?: ModelChoices;
	readonly motion?: number;
	readonly noise?: number;
	readonly seed?: number;
	readonly steps?: number;
	readonly fps?: number;
	readonly notes?: readonly JobNote[];
}

/** Where a job comes from and answers to: plain ids, so a restarted bot can still reach it. */
export interface JobOrigin {
	/** The server whose settings and limits apply: one that installed the bot; empty otherwise. */
	readonly guildId: string;
	readonly reach: JobReach;
	readonly channelId: string;
	readonly userId: string;
	/** The locale the member is answered in: theirs, else the server's, else English (see views/i18n). */
	readonly locale: string;
	readonly trigger: JobTrigger;
	/** Absent for a reaction: the job then talks in the channel, replying to the post. */
	readonly interaction?: { readonly id: string; readonly applicationId: string; readonly token: string; readonly createdAt: number };
	readonly attachmentSizeLimit: number;
	/** The post whose image is animated, and its author. */
	readonly source?: { readonly messageId: string; readonly authorId: string };
}

/** What a button on a finished job asks for. */
export type FollowUpKind = 'retry' | 'reroll' | 'more' | 'less' | 'loop';
