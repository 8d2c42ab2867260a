import { describe, expect, it } from 'vitest';
import { noteText } from '../../../src/discord/views/notes.js';
import { addressed, mention, refusalText } from '../../../src/discord/views/refusals.js';
import { DISCORD_LIMITS } from '../../../src/discord/views/truncate.js';
import type { ProgressNote } from '../../../src/domain/progress.js';
import type { Refusal } from '../../../src/domain/refusal.js';
import { en } from '../../support/english.js';

/** One sample of each kind; adding a kind to the union without a sample here fails to compile. */
type OnePerKind<T extends { kind: string }> = { readonly [K in T['kind']]: Extract<T, { kind: K }> };

const AT = Date.UTC(2025, 6, 1, 0, 0, 0);

const REFUSALS: OnePerKind<Refusal> = {
	'channel-not-allowed': { kind: 'channel-not-allowed', allowed: ['111', '222'] },
	'opted-out': { kind: 'opted-out', posterId: '333' },
	'options-not-taken': { kind: 'options-not-taken', model: 'Stable Video', options: ['steps', 'mask'] },
	'unknown-model': { kind: 'unknown-model', model: 'someone/else' },
	'model-not-allowed': { kind: 'model-not-allowed', model: 'Kling 2.5 Turbo', allowed: ['Stable Video', 'Fast SVD (LCM)'] },
	'option-required': { kind: 'option-required', model: 'Kling 2.5 Turbo', option: 'prompt' },
	'option-out-of-range': { kind: 'option-out-of-range', model: 'Stable Video', option: 'fps', min: 10, max: 100 },
	'option-length': { kind: 'option-length', model: 'Luma Ray 2 Flash', option: 'prompt', min: 3, max: 5000, length: 2 },
	'option-not-a-choice': { kind: 'option-not-a-choice', model: 'Hailuo 02', option: 'resolution', values: ['512P', '768P'] },
	'forbid-default': { kind: 'forbid-default', model: 'Stable Video Diffusion' },
	'too-many-jobs': { kind: 'too-many-jobs', active: 2, limit: 2 },
	cooldown: { kind: 'cooldown', until: AT },
	'daily-limit': { kind: 'daily-limit', limit: 100, resetsAt: AT },
	'spend-cap': { kind: 'spend-cap', capUsd: 10, usedUsd: 10.04, resetsAt: AT },
	'follow-up-unavailable': { kind: 'follow-up-unavailable' },
	'retry-not-yours': { kind: 'retry-not-yours' },
	'cancel-not-yours': { kind: 'cancel-not-yours' },
	'cancel-finished': { kind: 'cancel-finished' },
	'cancel-too-late': { kind: 'cancel-too-late' },
	'delete-not-allowed': { kind: 'delete-not-allowed' },
	'no-image': { kind: 'no-image' },
	'not-text-channel': { kind: 'not-text-channel' },
	'invalid-emoji': { kind: 'invalid-emoji', text: 'smile' },
	restarting: { kind: 'restarting' },
	'not-available-here': { kind: 'not-available-here' },
	'file-too-large': { kind: 'file-too-large', file: 'huge.png', size: 25 * 1024 * 1024, limit: 20 * 1024 * 1024 },
	'source-unavailable': { kind: 'source-unavailable', file: 'slow.png' },
	'source-not-allowed': { kind: 'source-not-allowed', file: 'elsewhere.png' },
	'not-an-image': { kind: 'not-an-image', file: 'notes.pdf', actual: 'pdf' },
	'image-damaged': { kind: 'image-damaged', file: 'cut.png', actual: 'png' },
	'image-too-small': { kind: 'image-too-small', file: 'tiny.png', width: 32, height: 20, min: 64 },
	'image-too-large': { kind: 'image-too-large', file: 'big.png', width: 8000, height: 6000, max: 4096 },
	'mask-shape': { kind: 'mask-shape', mask: { width: 512, height: 512 }, image: { width: 1024, height: 576 } },
	'not-a-zip': { kind: 'not-a-zip', file: 'depth.png', actual: 'png' },
	'zip-too-many-files': { kind: 'zip-too-many-files', file: 'depth.zip', max: 300 },
	'zip-entry-damaged': { kind: 'zip-entry-damaged', file: 'depth.zip', entry: 'frame-007.png' },
	'zip-damaged': { kind: 'zip-damaged', file: 'depth.zip' },
	'zip-too-big': { kind: 'zip-too-big', file: 'depth.zip', max: 200 * 1024 * 1024 },
	'zip-bomb': { kind: 'zip-bomb', file: 'depth.zip', entry: 'bomb.png', ratio: 100 },
	'zip-no-images': { kind: 'zip-no-images', file: 'depth.zip' },
	'fal-invalid': {
		kind: 'fal-invalid',
		message: 'Unprocessable Entity',
		fields: [
			{ field: 'motion_bucket_id', option: 'motion', message: 'too high' },
			{ field: 'body', message: 'Field required' },
		],
	},
	'fal-down': { kind: 'fal-down' },
};

const NOTES: OnePerKind<ProgressNote> = {
	'many-images': { kind: 'many-images', count: 4 },
	'estimated-cost': { kind: 'estimated-cost', priceUsd: 0.08, usedUsd: 1.2, capUsd: 5 },
	'first-frame': { kind: 'first-frame', file: 'dance.gif' },
	text: { kind: 'text', text: 'A note written by an older version.' },
	cancelled: { kind: 'cancelled', stage: 'queued' },
	'timed-out': { kind: 'timed-out' },
	'fal-outage-gave-up': { kind: 'fal-outage-gave-up', minutes: 30 },
	'fal-waiting': { kind: 'fal-waiting', nextTryAt: AT },
	'fal-failed': { kind: 'fal-failed', errorType: 'content_policy_violation', errorId: 'abcd1234' },
	'internal-error': { kind: 'internal-error', errorId: 'ef567890' },
	'posted-as-follow-up': { kind: 'posted-as-follow-up' },
	'dm-if-late': { kind: 'dm-if-late' },
	'sent-by-dm': { kind: 'sent-by-dm' },
};

const codePoints = (text: string) => [...text].length;
/** Signs of a parameter the wording did not expect. */
const LEAKS = /undefined|null|NaN|\[object Object\]/;

/** The string parameters a text must show as given (names, ids, files), including list items. */
function shownParams(value: object): string[] {
	// Worded rather than shown: file kinds, fal's messages and error types, cancellation stages.
	const skip = new Set(['kind', 'actual', 'message', 'stage', 'errorType']);
	return Object.entries(value).flatMap(([key, param]) => {
		if (skip.has(key)) return [];
		if (typeof param === 'string') return [param];
		if (Array.isArray(param)) return param.filter((item): item is string => typeof item === 'string');
		return [];
	});
}

describe('refusalText', () => {
	it.each(Object.entries(REFUSALS))('words %s within a message, with its details', (kind, refusal) => {
		expect(refusal.kind).toBe(kind);
		const text = refusalText(refusal, en);
		expect(text.trim().length).toBeGreaterThan(10);
		expect(codePoints(text)).toBeLessThanOrEqual(DISCORD_LIMITS.content);
		expect(text).not.toMatch(LEAKS);
		for (const param of shownParams(refusal)) expect(text).toContain(param);
	});

	it('gives each kind its own words', () => {
		const texts = Object.values(REFUSALS).map((refusal) => refusalText(refusal, en));
		expect(new Set(texts).size).toBe(texts.length);
	});

	it('names fal’s refused fields by option where there is one, and falls back to fal’s message', () => {
		expect(refusalText(REFUSALS['fal-invalid'], en)).toBe('fal refused the request. `motion`: too high; body: Field required');
		expect(refusalText({ kind: 'fal-invalid', message: 'Bad input', fields: [] }, en)).toBe('fal refused the request. Bad input');
	});

	it('cuts a refusal built from huge inputs to one message, ending with an ellipsis', () => {
		const huge: Refusal[] = [
			{ kind: 'file-too-large', file: `${'x'.repeat(3000)}.png`, size: 1, limit: 1 },
			{ kind: 'zip-entry-damaged', file: '🎞️'.repeat(800), entry: 'e'.repeat(800) },
			{ kind: 'channel-not-allowed', allowed: Array.from({ length: 500 }, (_, i) => String(10 ** 17 + i)) },
			{
				kind: 'fal-invalid',
				message: 'm',
				fields: Array.from({ length: 100 }, (_, i) => ({ field: `field_${i}`, message: 'y'.repeat(100) })),
			},
		];
		for (const refusal of huge) {
			const text = refusalText(refusal, en);
			expect(text.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
			expect(text.length).toBeGreaterThanOrEqual(DISCORD_LIMITS.content - 1);
			expect(text.endsWith('…')).toBe(true);
		}
	});

	it('asks for a missing prompt with an example, and names ranges and choices by the option', () => {
		expect(refusalText(REFUSALS['option-required'], en)).toMatch(/^Kling 2\.5 Turbo needs a `prompt`: describe the motion, e\.g\. “.+”\.$/);
		expect(refusalText(REFUSALS['option-out-of-range'], en)).toBe('`fps` must be between 10 and 100 for Stable Video.');
		expect(refusalText({ kind: 'option-out-of-range', model: 'Fast SVD (LCM)', option: 'steps', max: 20 }, en)).toBe(
			'`steps` must be at most 20 for Fast SVD (LCM).',
		);
		expect(refusalText(REFUSALS['option-not-a-choice'], en)).toBe('Hailuo 02 takes `resolution` as one of `512P`, `768P`.');
		expect(refusalText(REFUSALS['option-length'], en)).toBe('`prompt` is 2 characters; Luma Ray 2 Flash takes between 3 and 5000 characters.');
	});

	it('does not let a file name close its code span early', () => {
		expect(refusalText({ kind: 'zip-damaged', file: 'a`b`c.zip' }, en)).not.toContain('a`b');
	});
});

describe('addressed and mention', () => {
	it('puts the member’s mention first and stays within a message', () => {
		expect(mention('42')).toBe('<@42>');
		expect(addressed('42', 'hello', en)).toBe('<@42> hello');
		const long = addressed('42', refusalText(REFUSALS['too-many-jobs'], en).padEnd(5000, '!'), en);
		expect(long.startsWith('<@42> ')).toBe(true);
		expect(codePoints(long)).toBeLessThanOrEqual(DISCORD_LIMITS.content);
	});
});

describe('noteText', () => {
	it.each(Object.entries(NOTES))('words the %s note', (kind, note) => {
		expect(note.kind).toBe(kind);
		const text = noteText(note, en);
		expect(text.trim().length).toBeGreaterThan(0);
		expect(text).not.toMatch(LEAKS);
		for (const param of shownParams(note)) expect(text).toContain(param);
	});

	it('words each cancellation stage differently', () => {
		const stages = (['queued', 'running', 'before-submit'] as const).map((stage) => noteText({ kind: 'cancelled', stage }, en));
		expect(stages.every((text) => text.length > 0)).toBe(true);
		expect(new Set(stages).size).toBe(3);
	});
});
