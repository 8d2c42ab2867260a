/**
 * Every word the bot says to members, by message id. Views pick messages from here and nothing
 * else builds user-facing text; a translation is another object of the same type.
 */
import type { FileKind } from '../../domain/media.js';
import { bytes, channel, code, elapsed, list, longDate, relative, user, usd } from './format.js';

const fileKind: Record<FileKind, string> = {
	png: 'a PNG image',
	jpeg: 'a JPEG image',
	webp: 'a WebP image',
	gif: 'a GIF image',
	zip: 'a zip archive',
	mp4: 'a video',
	pdf: 'a PDF document',
	text: 'a text file',
	unknown: 'a file of a kind I do not recognise',
};

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

const range = (min?: number, max?: number) =>
	min !== undefined && max !== undefined ? `between ${min} and ${max}` : min !== undefined ? `at least ${min}` : `at most ${max ?? '?'}`;

/** What a missing required option is for, with an example, so the member can fill it in at once. */
const optionNeed = (option: string) =>
	option === 'prompt'
		? 'a `prompt`: describe the motion, e.g. “the waves roll in slowly while the camera pans left”.'
		: option === 'end_image'
			? 'an `end_image`: the picture the video should end on.'
			: `the ${code(option)} option.`;

/** fal's documented error types, in plain words; anything else is "fal reported an error". */
const FAL_FAILURES: readonly [RegExp, string][] = [
	[/^(request_timeout|startup_timeout|generation_timeout)$/, 'fal gave up on it: the model took too long'],
	[/^content_policy_violation$/, "fal's content checker refused this image"],
	[/^image_too_small$/, 'fal says the image is too small for this model'],
	[/^(image_too_large|file_too_large)$/, 'fal says the image is too large for this model'],
	[/^(image_load_error|unsupported_image_format|invalid_archive)$/, 'fal could not read the image'],
	[/^file_download_error$/, 'fal could not download the image'],
	[/^no_media_generated$/, 'The model finished without making a video'],
	[/^face_detection_error$/, 'The model needs a face in the image and found none'],
];
const falFailure = (errorType: string) => FAL_FAILURES.find(([pattern]) => pattern.test(errorType))?.[1] ?? 'fal reported an error while making it';

export const en = {
	// Refusals of a new job.
	'refusal.channel-not-allowed': (p: { allowed: readonly string[] }) =>
		`Videos can't be made in this channel. This server allows them in ${list(p.allowed.map(channel))}.`,
	'refusal.opted-out': (p: { posterId: string }) =>
		`${user(p.posterId)} has asked that their images not be animated by others, so I'll leave this one alone.`,
	'refusal.options-not-taken': (p: { model: string; options: readonly string[] }) =>
		`${p.model} does not take ${list(p.options.map(code))}. Run /animate again without ${p.options.length === 1 ? 'it' : 'them'}, or pick a model that takes ${p.options.length === 1 ? 'it' : 'them'}.`,
	'refusal.unknown-model': (p: { model: string }) => `I don't know the model ${code(p.model)}. Pick one from the list /animate offers as you type.`,
	'refusal.model-not-allowed': (p: { model: string; allowed: readonly string[] }) =>
		`${p.model} is not available in this server. Members here can use ${list(p.allowed)}.`,
	'refusal.option-required': (p: { model: string; option: string }) => `${p.model} needs ${optionNeed(p.option)}`,
	'refusal.option-out-of-range': (p: { model: string; option: string; min?: number; max?: number }) =>
		`${code(p.option)} must be ${range(p.min, p.max)} for ${p.model}.`,
	'refusal.option-length': (p: { model: string; option: string; min?: number; max?: number; length: number }) =>
		`${code(p.option)} is ${p.length} characters; ${p.model} takes ${range(p.min, p.max)} characters.`,
	'refusal.option-not-a-choice': (p: { model: string; option: string; values: readonly string[] }) =>
		`${p.model} takes ${code(p.option)} as one of ${list(p.values.map(code))}.`,
	'refusal.too-many-jobs': (p: { active: number; limit: number }) =>
		`You already have ${p.active} ${plural(p.active, 'video', 'videos')} in the works (the limit is ${p.limit}). You can start another as soon as one of them is done.`,
	'refusal.cooldown': (p: { until: number }) => `Easy there: one video at a time. You can start another ${relative(p.until)}.`,
	'refusal.daily-limit': (p: { limit: number; resetsAt: number }) =>
		`This server has made its ${p.limit} videos for today. More can be made ${relative(p.resetsAt)}.`,
	'refusal.spend-cap': (p: { capUsd: number; usedUsd: number; resetsAt: number }) =>
		`This server has reached its ${usd(p.capUsd)} monthly spend cap for videos (${usd(p.usedUsd)} used). ` +
		`It resets on ${longDate(p.resetsAt)} (${relative(p.resetsAt)}).`,
	// Refusals of buttons and commands.
	'refusal.follow-up-unavailable': () => 'That video can no longer be used for this. Please run /animate again.',
	'refusal.retry-not-yours': () => 'Only the person who started this job can retry it.',
	'refusal.cancel-not-yours': () => 'Only the person who started this job can cancel it.',
	'refusal.cancel-finished': () => 'That job has already finished.',
	'refusal.cancel-too-late': () => 'Too late: the video is already being posted.',
	'refusal.delete-not-allowed': () => 'Only the person who asked for this video, the poster of the image, or a moderator can delete it.',
	'refusal.no-image': () => 'That message has no image I can animate (PNG, JPEG, WebP or GIF, attached or embedded).',
	'refusal.not-text-channel': () => '/animate works in text channels and threads.',
	'refusal.invalid-emoji': (p: { text: string }) => `${code(p.text)} doesn't look like an emoji. Pick one from the emoji picker, e.g. 🎬.`,
	'refusal.forbid-default': (p: { model: string }) =>
		`${p.model} is this server's default model. Pick another default first (\`/animate-settings models default:…\`), then forbid it.`,
	'refusal.restarting': () => 'animate-bot is restarting; please try again in a minute.',
	'refusal.not-available-here': () =>
		"I can't work here yet: I make videos only in servers animate-bot has been added to. Add it to your server, or use it in one that has it.",
	// Refusals of the member's files.
	'refusal.file-too-large': (p: { file: string; size: number; limit: number }) =>
		`${code(p.file)} is ${bytes(p.size)}; the limit is ${bytes(p.limit)}. Please attach a smaller file.`,
	'refusal.source-unavailable': (p: { file: string }) =>
		`I couldn't download ${code(p.file)} from Discord (it took too long or Discord refused). Please try again, or attach the file again.`,
	'refusal.source-not-allowed': (p: { file: string }) =>
		`${code(p.file)} is not hosted by Discord, so I won't fetch it. Attach the image to a message instead of linking it.`,
	'refusal.not-an-image': (p: { file: string; actual: FileKind }) =>
		`${code(p.file)} is ${fileKind[p.actual]}, not an image. Please attach a PNG, JPEG or WebP picture.`,
	'refusal.image-damaged': (p: { file: string; actual: FileKind }) =>
		`${code(p.file)} looks like ${fileKind[p.actual]} but it is damaged or cut short, so it can't be read. Try exporting it again.`,
	'refusal.image-too-small': (p: { file: string; width: number; height: number; min: number }) =>
		`${code(p.file)} is ${p.width}×${p.height} pixels; images need at least ${p.min} pixels on each side.`,
	'refusal.image-too-large': (p: { file: string; width: number; height: number; max: number }) =>
		`${code(p.file)} is ${p.width}×${p.height} pixels; images can be at most ${p.max} pixels on a side.`,
	'refusal.mask-shape': (p: { mask: { width: number; height: number }; image: { width: number; height: number } }) =>
		`The mask is ${p.mask.width}×${p.mask.height} but the image is ${p.image.width}×${p.image.height}; the mask must have the same shape as the image.`,
	'refusal.not-a-zip': (p: { file: string; actual: FileKind }) =>
		`${code(p.file)} is ${fileKind[p.actual]}, not a zip. Attach a .zip of depth-map images, one per frame.`,
	'refusal.zip-too-many-files': (p: { file: string; max: number }) =>
		`${code(p.file)} has more than ${p.max} files; a depth-map zip needs one image per frame.`,
	'refusal.zip-entry-damaged': (p: { file: string; entry: string }) => `${code(p.file)} is damaged: ${code(p.entry)} can't be unpacked.`,
	'refusal.zip-damaged': (p: { file: string }) => `${code(p.file)} is damaged and can't be unpacked.`,
	'refusal.zip-too-big': (p: { file: string; max: number }) =>
		`${code(p.file)} unpacks to more than ${bytes(p.max)}; that is too big for depth maps.`,
	'refusal.zip-bomb': (p: { file: string; entry: string; ratio: number }) =>
		`${code(p.file)} looks like a zip bomb (${code(p.entry)} expands more than ${p.ratio}×), so it was not opened.`,
	'refusal.zip-no-images': (p: { file: string }) =>
		`${code(p.file)} has no images in it. Put one depth-map image (PNG/JPEG/WebP) per frame in the zip.`,
	// fal.
	'refusal.fal-invalid': (p: { message: string; fields: readonly { field: string; option?: string; message: string }[] }) =>
		`fal refused the request. ${p.fields.map((f) => (f.option ? `${code(f.option)}: ${f.message}` : `${f.field}: ${f.message}`)).join('; ') || p.message}`,
	'refusal.fal-down': () => "fal.ai (the video service) isn't answering right now, so nothing was submitted. Please try again in a few minutes.",

	// Notes on a job's card.
	'note.many-images': (p: { count: number }) => `That post has ${p.count} images; I animated the first one.`,
	'note.estimated-cost': (p: { priceUsd: number; usedUsd: number; capUsd: number }) =>
		`Estimated cost ${usd(p.priceUsd)}; this server has used ${usd(p.usedUsd)} of its ${usd(p.capUsd)} monthly cap.`,
	'note.first-frame': (p: { file: string }) => `${code(p.file)} is animated, so its first frame was used.`,
	'note.text': (p: { text: string }) => p.text,
	'note.cancelled': (p: { stage: 'queued' | 'running' | 'before-submit' }) =>
		({
			queued: 'Cancelled while waiting in the queue.',
			running: "Stopped waiting for it; fal may finish it, but it won't be posted.",
			'before-submit': 'Cancelled before it was submitted.',
		})[p.stage],
	'note.timed-out': () => 'It took too long, so I gave up on it.',
	'note.fal-outage-gave-up': (p: { minutes: number }) => `fal.ai was unreachable for over ${p.minutes} minutes, so I gave up on this one.`,
	'note.fal-waiting': (p: { nextTryAt: number }) =>
		`fal.ai isn't answering right now. Your job is kept and continues when it is back (next try ${relative(p.nextTryAt)}).`,
	'note.fal-failed': (p: { errorType: string; errorId: string }) => `${falFailure(p.errorType)} (error id ${code(p.errorId)}).`,
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
		`The bot is busy: **${p.position}** ${plural(p.position, 'job', 'jobs')} ahead of yours here, before the fal queue.`,
	'card.next-for-slot': () => 'Next up for a fal slot.',
	'card.queue-position': (p: { position: number }) => `**${p.position}** ${plural(p.position, 'request', 'requests')} ahead of yours.`,
	'card.next-in-line': () => 'Next in line: a GPU is being assigned.',
	'card.step': (p: { bar: string; step: number; total: number }) => `${p.bar} (step ${p.step}/${p.total})`,
	'card.working': () => 'The model is working on it.',
	'card.video-here': (p: { url: string }) => `Your video is here: ${p.url}`,
	'card.video-posted': () => 'Your video has been posted.',
	'card.took': (p: { ms: number }) => `Took ${elapsed(p.ms)}.`,
	'card.started': (p: { at: number; ms: number }) => `Started ${relative(p.at)} · ${elapsed(p.ms)} so far`,
	'card.footer': (p: { jobId: string }) => `job ${p.jobId}`,
	'card.footer-model': (p: { jobId: string; model: string; priceUsd: number }) =>
		`${p.model}${p.priceUsd > 0 ? ` · about ${usd(p.priceUsd)}` : ''} · job ${p.jobId}`,
	'button.cancel': () => 'Cancel',
	'button.retry': () => 'Try again',

	// The posted video.
	'result.ready': (p: { userId: string }) => `${user(p.userId)} your video is ready.`,
	'result.ready-link': (p: { userId: string; size: number; limit: number; url: string }) =>
		`${user(p.userId)} your video is ready. At ${bytes(p.size)} it is over this server's ${bytes(p.limit)} upload limit, so here is a link: ${p.url}`,
	'result.title': (p: { file: string }) => `🎬 ${p.file}`,
	'result.seed': () => 'Seed',
	'result.motion': () => 'Motion',
	'result.noise': () => 'Noise',
	'result.steps': () => 'Steps',
	'result.fps': () => 'FPS',
	'result.mask': () => 'Mask',
	'result.mask-yes': () => 'yes',
	'result.depth-maps': () => 'Depth maps',
	'result.frames': (p: { frames: number }) => `${p.frames} frames`,
	'result.prompt': () => 'Prompt',
	'result.negative-prompt': () => 'Avoid',
	'result.duration': () => 'Duration',
	'result.seconds': (p: { seconds: number }) => `${p.seconds} s`,
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
} as const;

export type Catalogue = typeof en;
export type MessageId = keyof Catalogue;
