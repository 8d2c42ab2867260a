/**
 * Parameters for every message of the catalogue that takes any, in each of its shapes (with and
 * without an optional part): a message added without samples here fails to compile.
 */
import type { MessageId, Messages } from '../../src/discord/views/i18n/index.js';

type Param<K extends MessageId> = Parameters<Messages[K]>[0];
/** The messages that take parameters: the others are called bare. */
export type WithParams = { [K in MessageId]: Parameters<Messages[K]> extends [] ? never : K }[MessageId];

const AT = Date.UTC(2025, 6, 1, 0, 0, 0);
const channels = ['111111111111111111', '222222222222222222', '333333333333333333'];

export const MESSAGE_SAMPLES: { readonly [K in WithParams]: readonly Param<K>[] } = {
	'refusal.channel-not-allowed': [{ allowed: channels.slice(0, 1) }, { allowed: channels }],
	'refusal.opted-out': [{ posterId: '444444444444444444' }],
	'refusal.options-not-taken': [
		{ model: 'Stable Video', options: ['steps'] },
		{ model: 'Stable Video', options: ['steps', 'mask', 'fps'] },
	],
	'refusal.unknown-model': [{ model: 'someone/else' }],
	'refusal.model-not-allowed': [{ model: 'Kling 2.5 Turbo', allowed: ['Stable Video', 'Fast SVD (LCM)', 'Stable Video Diffusion'] }],
	'refusal.option-required': [
		{ model: 'Kling 2.5 Turbo', option: 'prompt' },
		{ model: 'Wan 2.2 Turbo', option: 'end_image' },
		{ model: 'Some Model', option: 'duration' },
	],
	'refusal.option-out-of-range': [
		{ model: 'Stable Video', option: 'fps', min: 10, max: 100 },
		{ model: 'Fast SVD (LCM)', option: 'steps', max: 20 },
		{ model: 'Fast SVD (LCM)', option: 'steps', min: 1 },
	],
	'refusal.option-length': [
		{ model: 'Luma Ray 2 Flash', option: 'prompt', min: 3, max: 5000, length: 2 },
		{ model: 'Kling 2.5 Turbo', option: 'prompt', max: 2500, length: 1 },
		{ model: 'Kling 2.5 Turbo', option: 'negative_prompt', min: 1, length: 0 },
	],
	'refusal.option-not-a-choice': [{ model: 'Hailuo 02', option: 'resolution', values: ['512P', '768P'] }],
	'refusal.too-many-jobs': [
		{ active: 1, limit: 1 },
		{ active: 2, limit: 2 },
		{ active: 12_345, limit: 12_345 },
	],
	'refusal.cooldown': [{ until: AT }],
	'refusal.daily-limit': [{ limit: 200, resetsAt: AT }],
	'refusal.spend-cap': [
		{ capUsd: 10, usedUsd: 10.04, resetsAt: AT },
		{ capUsd: 12_500.5, usedUsd: 0.075, resetsAt: AT },
	],
	'refusal.invalid-emoji': [{ text: 'smile' }],
	'refusal.forbid-default': [{ model: 'Stable Video Diffusion' }],
	'refusal.file-too-large': [
		{ file: 'huge.png', size: 25 * 1024 * 1024, limit: 20 * 1024 * 1024 },
		{ file: 'odd.png', size: 1, limit: 512 },
		{ file: 'mid.png', size: 700 * 1024, limit: 500 * 1024 },
	],
	'refusal.source-unavailable': [{ file: 'slow.png' }],
	'refusal.source-not-allowed': [{ file: 'elsewhere.png' }],
	'refusal.not-an-image': [
		{ file: 'notes.pdf', actual: 'pdf' },
		{ file: 'mystery.bin', actual: 'unknown' },
	],
	'refusal.image-damaged': [{ file: 'cut.png', actual: 'png' }],
	'refusal.image-too-small': [{ file: 'tiny.png', width: 32, height: 20, min: 64 }],
	'refusal.image-too-large': [{ file: 'big.png', width: 8000, height: 6000, max: 4096 }],
	'refusal.mask-shape': [{ mask: { width: 512, height: 512 }, image: { width: 1024, height: 576 } }],
	'refusal.not-a-zip': [{ file: 'depth.png', actual: 'png' }],
	'refusal.zip-too-many-files': [{ file: 'depth.zip', max: 300 }],
	'refusal.zip-entry-damaged': [{ file: 'depth.zip', entry: 'frame-007.png' }],
	'refusal.zip-damaged': [{ file: 'depth.zip' }],
	'refusal.zip-too-big': [{ file: 'depth.zip', max: 200 * 1024 * 1024 }],
	'refusal.zip-bomb': [{ file: 'depth.zip', entry: 'bomb.png', ratio: 100 }],
	'refusal.zip-no-images': [{ file: 'depth.zip' }],
	'refusal.fal-invalid': [
		{
			message: 'Unprocessable Entity',
			fields: [
				{ field: 'motion_bucket_id', option: 'motion', message: 'too high' },
				{ field: 'body', message: 'Field required' },
			],
		},
		{ message: 'Bad input', fields: [] },
	],
	'note.many-images': [{ count: 4 }],
	'note.estimated-cost': [{ priceUsd: 0.075, usedUsd: 1.2, capUsd: 5 }],
	'note.first-frame': [{ file: 'dance.gif' }],
	'note.text': [{ text: 'A note written by an older version.' }],
	'note.cancelled': [{ stage: 'queued' }, { stage: 'running' }, { stage: 'before-submit' }],
	'note.fal-outage-gave-up': [{ minutes: 30 }],
	'note.fal-waiting': [{ nextTryAt: AT }],
	'note.fal-failed': [
		{ errorType: 'request_timeout', errorId: 'abcd1234' },
		{ errorType: 'content_policy_violation', errorId: 'abcd1234' },
		{ errorType: 'image_too_small', errorId: 'abcd1234' },
		{ errorType: 'file_too_large', errorId: 'abcd1234' },
		{ errorType: 'invalid_archive', errorId: 'abcd1234' },
		{ errorType: 'file_download_error', errorId: 'abcd1234' },
		{ errorType: 'no_media_generated', errorId: 'abcd1234' },
		{ errorType: 'face_detection_error', errorId: 'abcd1234' },
		{ errorType: 'something_new', errorId: 'abcd1234' },
	],
	'note.internal-error': [{ errorId: 'ef567890' }],
	'card.local-position': [{ position: 1 }, { position: 3 }],
	'card.queue-position': [{ position: 1 }, { position: 12 }],
	'card.step': [{ bar: '▰▰▰▰▰▰▱▱▱▱▱▱ 50%', step: 10, total: 20 }],
	'card.video-here': [{ url: 'https://discord.com/channels/1/2/3' }],
	'card.took': [{ ms: 4_000 }, { ms: 65_000 }],
	'card.started': [{ at: AT, ms: 65_000 }],
	'card.footer': [{ jobId: 'job-123' }],
	'card.footer-model': [
		{ jobId: 'job-123', model: 'Kling 2.5 Turbo', priceUsd: 0.21 },
		{ jobId: 'job-123', model: 'Stable Video Diffusion', priceUsd: 0 },
	],
	'result.ready': [{ userId: '555555555555555555' }],
	'result.ready-link': [{ userId: '555555555555555555', size: 30 * 1024 * 1024, limit: 10 * 1024 * 1024, url: 'https://v3.fal.media/files/a.mp4' }],
	'result.title': [{ file: 'cat.png' }],
	'result.footer': [{ jobId: 'job-123' }],
	'result.frames': [{ frames: 1 }, { frames: 25 }],
	'result.seconds': [{ seconds: 5 }],
	'error.unexpected': [{ errorId: 'ef567890' }],
	'mention.prefix': [{ userId: '555555555555555555', text: 'hello' }],
	'settings.channels': [{ allowed: [] }, { allowed: channels }],
	'settings.reactions': [
		{ enabled: true, emoji: '🎬', ownerEnabled: true },
		{ enabled: true, emoji: '🎬', ownerEnabled: false },
		{ enabled: false, emoji: '🎬', ownerEnabled: true },
	],
	'settings.defaults': [{}, { motion: 127, noise: 0.02, steps: 20 }],
	'settings.model': [{ label: 'Stable Video Diffusion', id: 'fal-ai/svd', price: '$0.075 / video', options: ['motion', 'noise', 'seed'] }],
	'settings.models': [
		{
			models: [
				{ label: 'Stable Video Diffusion', price: '$0.075 / video' },
				{ label: 'Kling 2.5 Turbo', price: '$0.21 / 5 s' },
			],
		},
	],
	'settings.limits': [{ perUser: 2, cooldownSeconds: 10, perDay: 200 }],
	'settings.cap': [
		{ capUsd: null, usedUsd: 0 },
		{ capUsd: 20, usedUsd: 3.5 },
	],
	'settings.changed.channel-allowed': [{ channelId: channels[0]! }],
	'settings.changed.channel-denied': [{ channelId: channels[0]! }],
	'help.option': [
		{ name: 'image', required: true, description: 'The picture to animate' },
		{ name: 'seed', required: false, description: 'Same seed, same video' },
	],
	'model.choice': [{ label: 'Kling 2.5 Turbo', price: '$0.21 / 5 s' }],
	'model.choice-default': [{ label: 'Kling 2.5 Turbo', price: '$0.21 / 5 s' }],
	'model.price.video': [{ usd: 0.075 }, { usd: 0.4, resolution: '720p' }],
	'model.price.second': [{ usd: 0.045 }, { usd: 0.045, resolution: '768P' }],
	'model.price.seconds': [
		{ usd: 0.21, seconds: 5 },
		{ usd: 0.5, seconds: 5, resolution: '1080p' },
	],
	'model.price.unpublished': [{ usd: 0.075 }],
	'model.value-default': [{ value: '5s' }],
};

/** Every message of `m` in every sample shape, as `[id, text]`. */
export function renderEvery(m: Messages): [MessageId, string][] {
	return (Object.keys(m) as MessageId[]).flatMap((id): [MessageId, string][] => {
		const word = m[id] as (params?: unknown) => string;
		const samples = (MESSAGE_SAMPLES as Partial<Record<MessageId, readonly unknown[]>>)[id];
		return samples ? samples.map((params) => [id, word(params)]) : [[id, word()]];
	});
}
