/**
 * Every word the bot says to members, by message id: here why a job or a command is refused.
 * English is the reference: its types are what every other language must fill in.
 */
import type { FileKind } from '../../../../domain/media.js';
import type { FalFieldProblem } from '../../../../domain/refusal.js';
import { channel, code, longDate, relative, user } from '../../format.js';
import type { Formats } from '../formats.js';

export const enFileKind: Record<FileKind, string> = {
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

interface Size {
	readonly width: number;
	readonly height: number;
}

export const enRefusals = (f: Formats) => {
	const range = (min?: number, max?: number) =>
		min !== undefined && max !== undefined ? `between ${min} and ${max}` : min !== undefined ? `at least ${min}` : `at most ${max ?? '?'}`;
	/** What a missing required option is for, with an example, so the member can fill it in at once. */
	const optionNeed = (option: string) =>
		option === 'prompt'
			? 'a `prompt`: describe the motion, e.g. “the waves roll in slowly while the camera pans left”.'
			: option === 'end_image'
				? 'an `end_image`: the picture the video should end on.'
				: `the ${code(option)} option.`;
	const characters = (n: number) => f.plural(n, { one: 'character', other: 'characters' });
	const them = (items: readonly unknown[]) => f.plural(items.length, { one: 'it', other: 'them' });
	return {
		// Refusals of a new job.
		'refusal.channel-not-allowed': (p: { allowed: readonly string[] }) =>
			`Videos can't be made in this channel. This server allows them in ${f.list(p.allowed.map(channel))}.`,
		'refusal.opted-out': (p: { posterId: string }) =>
			`${user(p.posterId)} has asked that their images not be animated by others, so I'll leave this one alone.`,
		'refusal.options-not-taken': (p: { model: string; options: readonly string[] }) =>
			`${p.model} does not take ${f.list(p.options.map(code))}. Run /animate again without ${them(p.options)}, or pick a model that takes ${them(p.options)}.`,
		'refusal.unknown-model': (p: { model: string }) => `I don't know the model ${code(p.model)}. Pick one from the list /animate offers as you type.`,
		'refusal.model-not-allowed': (p: { model: string; allowed: readonly string[] }) =>
			`${p.model} is not available in this server. Members here can use ${f.list(p.allowed)}.`,
		'refusal.option-required': (p: { model: string; option: string }) => `${p.model} needs ${optionNeed(p.option)}`,
		'refusal.option-out-of-range': (p: { model: string; option: string; min?: number; max?: number }) =>
			`${code(p.option)} must be ${range(p.min, p.max)} for ${p.model}.`,
		'refusal.option-length': (p: { model: string; option: string; min?: number; max?: number; length: number }) =>
			`${code(p.option)} is ${p.length} ${characters(p.length)}; ${p.model} takes ${range(p.min, p.max)} ${characters(p.max ?? p.min ?? 0)}.`,
		'refusal.option-not-a-choice': (p: { model: string; option: string; values: readonly string[] }) =>
			`${p.model} takes ${code(p.option)} as one of ${f.list(p.values.map(code))}.`,
		'refusal.too-many-jobs': (p: { active: number; limit: number }) =>
			`You already have ${f.number(p.active)} ${f.plural(p.active, { one: 'video', other: 'videos' })} in the works (the limit is ${f.number(p.limit)}). You can start another as soon as one of them is done.`,
		'refusal.cooldown': (p: { until: number }) => `Easy there: one video at a time. You can start another ${relative(p.until)}.`,
		'refusal.daily-limit': (p: { limit: number; resetsAt: number }) =>
			`This server has made its ${f.number(p.limit)} videos for today. More can be made ${relative(p.resetsAt)}.`,
		'refusal.spend-cap': (p: { capUsd: number; usedUsd: number; resetsAt: number }) =>
			`This server has reached its ${f.usd(p.capUsd)} monthly spend cap for videos (${f.usd(p.usedUsd)} used). ` +
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
			'This command works only in servers animate-bot has been added to. `/animate` and *Animate image* work everywhere, DMs included.',
		// Refusals of the member's files.
		'refusal.file-too-large': (p: { file: string; size: number; limit: number }) =>
			`${code(p.file)} is ${f.bytes(p.size)}; the limit is ${f.bytes(p.limit)}. Please attach a smaller file.`,
		'refusal.source-unavailable': (p: { file: string }) =>
			`I couldn't download ${code(p.file)} from Discord (it took too long or Discord refused). Please try again, or attach the file again.`,
		'refusal.source-not-allowed': (p: { file: string }) =>
			`${code(p.file)} is not hosted by Discord, so I won't fetch it. Attach the image to a message instead of linking it.`,
		'refusal.not-an-image': (p: { file: string; actual: FileKind }) =>
			`${code(p.file)} is ${enFileKind[p.actual]}, not an image. Please attach a PNG, JPEG or WebP picture.`,
		'refusal.image-damaged': (p: { file: string; actual: FileKind }) =>
			`${code(p.file)} looks like ${enFileKind[p.actual]} but it is damaged or cut short, so it can't be read. Try exporting it again.`,
		'refusal.image-too-small': (p: { file: string; width: number; height: number; min: number }) =>
			`${code(p.file)} is ${p.width}×${p.height} pixels; images need at least ${p.min} pixels on each side.`,
		'refusal.image-too-large': (p: { file: string; width: number; height: number; max: number }) =>
			`${code(p.file)} is ${p.width}×${p.height} pixels; images can be at most ${p.max} pixels on a side.`,
		'refusal.mask-shape': (p: { mask: Size; image: Size }) =>
			`The mask is ${p.mask.width}×${p.mask.height} but the image is ${p.image.width}×${p.image.height}; the mask must have the same shape as the image.`,
		'refusal.not-a-zip': (p: { file: string; actual: FileKind }) =>
			`${code(p.file)} is ${enFileKind[p.actual]}, not a zip. Attach a .zip of depth-map images, one per frame.`,
		'refusal.zip-too-many-files': (p: { file: string; max: number }) =>
			`${code(p.file)} has more than ${f.number(p.max)} files; a depth-map zip needs one image per frame.`,
		'refusal.zip-entry-damaged': (p: { file: string; entry: string }) => `${code(p.file)} is damaged: ${code(p.entry)} can't be unpacked.`,
		'refusal.zip-damaged': (p: { file: string }) => `${code(p.file)} is damaged and can't be unpacked.`,
		'refusal.zip-too-big': (p: { file: string; max: number }) =>
			`${code(p.file)} unpacks to more than ${f.bytes(p.max)}; that is too big for depth maps.`,
		'refusal.zip-bomb': (p: { file: string; entry: string; ratio: number }) =>
			`${code(p.file)} looks like a zip bomb (${code(p.entry)} expands more than ${f.number(p.ratio)}×), so it was not opened.`,
		'refusal.zip-no-images': (p: { file: string }) =>
			`${code(p.file)} has no images in it. Put one depth-map image (PNG/JPEG/WebP) per frame in the zip.`,
		// fal.
		'refusal.fal-invalid': (p: { message: string; fields: readonly FalFieldProblem[] }) =>
			`fal refused the request. ${p.fields.map((x) => (x.option ? `${code(x.option)}: ${x.message}` : `${x.field}: ${x.message}`)).join('; ') || p.message}`,
		'refusal.fal-down': () => "fal.ai (the video service) isn't answering right now, so nothing was submitted. Please try again in a few minutes.",
	};
};

export type RefusalMessages = ReturnType<typeof enRefusals>;
