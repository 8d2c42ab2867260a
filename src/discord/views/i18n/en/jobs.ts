/** The words of a job: the notes and progress card, the posted video, and short answers to commands and buttons. */
import { code, relative, user } from '../../format.js';
import { falFailure, type FalFailure } from '../fal-failures.js';
import type { Formats } from '../formats.js';

/** fal's reasons in plain words. */
const FAL_FAILURES: Record<FalFailure, string> = {
	timeout: 'fal gave up on it: the model took too long',
	'content-policy': "fal's content checker refused this image",
	'image-too-small': 'fal says the image is too small for this model',
	'image-too-large': 'fal says the image is too large for this model',
	unreadable: 'fal could not read the image',
	download: 'fal could not download the image',
	'no-video': 'The model finished without making a video',
	'no-face': 'The model needs a face in the image and found none',
	other: 'fal reported an error while making it',
};

export type CancelStage = 'queued' | 'running' | 'before-submit';

export const enJobs = (f: Formats) => ({
	// Notes on a job's card.
	'note.many-images': (p: { count: number }) => `That post has ${f.number(p.count)} images; I animated the first one.`,
	'note.estimated-cost': (p: { priceUsd: number; usedUsd: number; capUsd: number }) =>
		`Estimated cost ${f.usd(p.priceUsd)}; this server has used ${f.usd(p.usedUsd)} of its ${f.usd(p.capUsd)} monthly cap.`,
	'note.first-frame': (p: { file: string }) => `${code(p.file)} is animated, so its first frame was used.`,
	/** Written by a version that stored notes as text (in English): shown as it was. */
	'note.text': (p: { text: string }) => p.text,
	'note.dm-if-late': () => "I'm not in this channel, so if it takes more than 15 minutes I'll send the video to your DMs.",
	'note.sent-by-dm': () => 'The video was sent to your DMs.',
	'note.cancelled': (p: { stage: CancelStage }) =>
		({
			queued: 'Cancelled while waiting in the queue.',
			running: "Stopped waiting for it; fal may finish it, but it won't be posted.",
			'before-submit': 'Cancelled before it was submitted.',
		})[p.stage],
	'note.timed-out': () => 'It took too long, so I gave up on it.',
	'note.fal-outage-gave-up': (p: { minutes: number }) => `fal.ai was unreachable for over ${f.number(p.minutes)} minutes, so I gave up on this one.`,
	'note.fal-waiting': (p: { nextTryAt: number }) =>
		`fal.ai isn't answering right now. Your job is kept and continues when it is back (next try ${relative(p.nextTryAt)}).`,
	'note.fal-failed': (p: { errorType: string; errorId: string }) => `${FAL_FAILURES[falFailure(p.errorType)]} (error id ${code(p.errorId)}).`,
	'note.internal-error': (p: { errorId: string }) => `Something went wrong on our side (error id ${code(p.errorId)}).`,
	'note.posted-as-follow-up': () => "I couldn't post in this channel, so the video is in the reply below.",

	// The progress card.
	'card.title.preparing': () => '🧰 Preparing your image',
	'card.title.waiting': () => '⏳ Waiting for a free slot',
	'card.title.queued': () => '⏳ Waiting in the fal queue',
	'card.title.running': () => '🎬 Generating your video',
	'card.title.delivering': () => '📤 Posting your video',
	'card.title.delivered': () => '✅ Video ready',
	'card.title.failed': () => '⚠️ The video could not be made',
	'card.title.cancelled': () => '🛑 Cancelled',
	'card.local-position': (p: { position: number }) =>
		`The bot is busy: **${f.number(p.position)}** ${f.plural(p.position, { one: 'job', other: 'jobs' })} ahead of yours here, before the fal queue.`,
	'card.next-for-slot': () => 'Next up for a fal slot.',
	'card.queue-position': (p: { position: number }) =>
		`**${f.number(p.position)}** ${f.plural(p.position, { one: 'request', other: 'requests' })} ahead of yours.`,
	'card.next-in-line': () => 'Next in line: a GPU is being assigned.',
	'card.in-queue': () => 'Waiting for fal to give its place in the queue.',
	'card.step': (p: { bar: string; step: number; total: number }) => `${p.bar} (step ${f.number(p.step)}/${f.number(p.total)})`,
	'card.working': () => 'The model is working on it.',
	'card.video-here': (p: { url: string }) => `Your video is here: ${p.url}`,
	'card.video-posted': () => 'Your video has been posted.',
	'card.took': (p: { ms: number }) => `Took ${f.elapsed(p.ms)}.`,
	'card.started': (p: { at: number; ms: number }) => `Started ${relative(p.at)} · ${f.elapsed(p.ms)} so far`,
	'card.footer': (p: { jobId: string }) => `job ${p.jobId}`,
	'card.footer-model': (p: { jobId: string; model: string; priceUsd: number }) =>
		`${p.model}${p.priceUsd > 0 ? ` · about ${f.usd(p.priceUsd)}` : ''} · job ${p.jobId}`,
	'button.cancel': () => 'Cancel',
	'button.retry': () => 'Try again',

	// The posted video.
	'result.ready': (p: { userId: string }) => `${user(p.userId)} your video is ready.`,
	'result.ready-link': (p: { userId: string; size: number; limit: number; url: string }) =>
		`${user(p.userId)} your video is ready. At ${f.bytes(p.size)} it is over this server's ${f.bytes(p.limit)} upload limit, so here is a link: ${p.url}`,
	'result.title': (p: { file: string }) => `🎬 ${p.file}`,
	/**
	 * Ends the footer of a posted video: a restarted bot recognises what it already posted by this
	 * text in the job's language, so rewording it leaves the posts of jobs in flight across the
	 * upgrade unrecognised (Discord's enforced nonce still stops a second post for a few minutes).
	 */
	'result.footer': (p: { jobId: string }) => `result of job ${p.jobId}`,
	'result.seed': () => 'Seed',
	'result.motion': () => 'Motion',
	'result.noise': () => 'Noise',
	'result.steps': () => 'Steps',
	'result.fps': () => 'FPS',
	'result.mask': () => 'Mask',
	'result.mask-yes': () => 'yes',
	'result.depth-maps': () => 'Depth maps',
	'result.frames': (p: { frames: number }) => `${f.number(p.frames)} ${f.plural(p.frames, { one: 'frame', other: 'frames' })}`,
	'result.prompt': () => 'Prompt',
	'result.negative-prompt': () => 'Avoid',
	'result.duration': () => 'Duration',
	'result.seconds': (p: { seconds: number }) => `${f.number(p.seconds)} s`,
	'result.resolution': () => 'Resolution',
	'result.aspect-ratio': () => 'Aspect ratio',
	'result.end-image': () => 'End frame',
	'result.loop': () => 'Loop',
	'result.yes': () => 'yes',
	'result.no': () => 'no',
	'button.reroll': () => 'Reroll',
	'button.loop': () => 'Loop',
	'button.more': () => 'More motion',
	'button.less': () => 'Less motion',
	'button.delete': () => 'Delete',

	// Answers to commands and buttons.
	'error.unexpected': (p: { errorId: string }) => `Something went wrong on our side (error id ${code(p.errorId)}). Please try again in a moment.`,
	'mention.prefix': (p: { userId: string; text: string }) => `${user(p.userId)} ${p.text}`,
	'optout.done': () => 'Done: others can no longer animate your images. Run `/animate-optout undo:True` to allow it again.',
	'optout.undone': () => 'Done: others may animate your images again.',
	'delete.done': () => 'Deleted.',
});

export type JobMessages = ReturnType<typeof enJobs>;
