import { describe, expect, it } from 'vitest';
import { AnimateCommand } from '../../../../src/commands/animate/definition.js';
import { renderHelp } from '../../../../src/discord/views/help-card.js';
import { messagesFor, type MessageId } from '../../../../src/discord/views/i18n/index.js';
import { modelChoice, valueChoice } from '../../../../src/discord/views/model-choices.js';
import { renderProgress } from '../../../../src/discord/views/progress-card.js';
import { addressed, refusalText } from '../../../../src/discord/views/refusals.js';
import { renderResult } from '../../../../src/discord/views/result-card.js';
import { renderSettings } from '../../../../src/discord/views/settings-card.js';
import { DISCORD_LIMITS } from '../../../../src/discord/views/truncate.js';
import { CATALOGUE } from '../../../../src/domain/catalogue/index.js';
import { JOB_STATES } from '../../../../src/domain/job.js';
import { modelSpec } from '../../../../src/domain/models.js';
import type { ProgressNote } from '../../../../src/domain/progress.js';
import type { Refusal } from '../../../../src/domain/refusal.js';
import { resolveSettings } from '../../../../src/domain/settings.js';
import { messageLimitErrors, textLength } from '../../../../fakes/discord/message-limits.js';
import { MESSAGE_SAMPLES, renderEvery } from '../../../support/message-samples.js';
import { jobRow } from '../../../store/sample-job.js';

/** Every locale Discord sends for a catalogued language, and one it does not catalogue. */
const LOCALES = ['en-US', 'en-GB', 'fr', 'de', 'es-ES', 'es-419'] as const;

/** Signs of a parameter the wording did not expect. */
const LEAKS = /undefined|null|NaN|\[object Object\]/;
/** Discord markup a translation must carry over untouched: mentions, timestamps, code spans. */
const MARKUP = /<[@#]\d+>|<t:\d+:[A-Za-z]>|`[^`]*`/g;
const markupOf = (text: string) => (text.match(MARKUP) ?? []).sort();

/** Where each message is shown, and so how long Discord lets it be. */
function slotLimit(id: MessageId): number {
	if (id.startsWith('button.')) return DISCORD_LIMITS.buttonLabel;
	// A context-menu command's name, and a command's description.
	if (id === 'command.animate-image') return 32;
	if (id.startsWith('command.')) return 100;
	// Autocomplete choice names, and the option descriptions Discord shows while typing.
	if (id.startsWith('model.') || id.startsWith('option.')) return DISCORD_LIMITS.choice;
	if (/^(card\.title\.|settings\.title|help\.title|help\.options-title|result\.title)/.test(id)) return DISCORD_LIMITS.embedTitle;
	if (/^result\.(seed|motion|noise|steps|fps|mask|depth-maps|prompt|negative-prompt|duration|resolution|aspect-ratio|end-image|loop)$/.test(id))
		return DISCORD_LIMITS.fieldName;
	return DISCORD_LIMITS.content;
}

/** A payload as Discord receives it: builders turned into JSON. */
const asSent = (payload: unknown) => JSON.parse(JSON.stringify(payload)) as Record<string, unknown>;

/** The refusals and notes of the samples, as the domain raises them. */
const REFUSALS = Object.entries(MESSAGE_SAMPLES).flatMap(([id, samples]) =>
	id.startsWith('refusal.') ? (samples as object[]).map((params) => ({ kind: id.slice('refusal.'.length), ...params }) as Refusal) : [],
);
const noSampleRefusals: Refusal[] = (
	[
		'follow-up-unavailable',
		'retry-not-yours',
		'cancel-not-yours',
		'cancel-finished',
		'cancel-too-late',
		'delete-not-allowed',
		'no-image',
		'not-text-channel',
		'restarting',
		'not-available-here',
		'fal-down',
	] as const
).map((kind) => ({ kind }));
const NOTES = Object.entries(MESSAGE_SAMPLES).flatMap(([id, samples]) =>
	id.startsWith('note.') ? (samples as object[]).map((params) => ({ kind: id.slice('note.'.length), ...params }) as ProgressNote) : [],
);

/** The same refusal with every name, file and list as long as a member could make it. */
function stretched(refusal: Refusal): Refusal {
	const long = Object.entries(refusal as Record<string, unknown>).map(([key, value]): [string, unknown] => {
		if (key === 'kind' || key === 'actual' || key === 'stage') return [key, value];
		if (typeof value === 'string') return [key, `${value}-${'長'.repeat(1500)}`];
		if (!Array.isArray(value) || value.length === 0) return [key, value];
		const items = value as unknown[];
		return [key, Array.from({ length: 400 }, (_, i) => (typeof items[0] === 'string' ? `${items[0]}${i}` : items[i % items.length]))];
	});
	return Object.fromEntries(long) as Refusal;
}

const channels = (n: number) => Array.from({ length: n }, (_, i) => String(1_234_567_890_123_456_000n + BigInt(i)));
const NOW = Date.UTC(2025, 6, 1, 12, 0, 0);

describe.each(LOCALES)('in %s', (locale) => {
	const m = messagesFor(locale);
	const english = new Map(renderEvery(messagesFor('en-US')).map(([id, text], i) => [`${id}#${i}`, text]));

	it('words every message, with sample parameters, within the limit of where it is shown, leaking nothing', () => {
		const texts = renderEvery(m);
		expect(texts.length).toBe(english.size);
		for (const [i, [id, text]] of texts.entries()) {
			expect(text.trim(), id).not.toBe('');
			expect(text, id).not.toMatch(LEAKS);
			expect(textLength(text), `${id}: ${text}`).toBeLessThanOrEqual(slotLimit(id));
			expect(markupOf(text), `${id}: ${text}`).toEqual(markupOf(english.get(`${id}#${i}`)!));
		}
	});

	it('keeps every refusal whole in a message, and within one when its names and lists are huge', () => {
		for (const refusal of [...REFUSALS, ...noSampleRefusals]) {
			const text = refusalText(refusal, m);
			expect(text.endsWith('…'), refusal.kind).toBe(false);
			for (const content of [text, addressed('555555555555555555', text, m), refusalText(stretched(refusal), m)]) {
				expect(content, refusal.kind).not.toMatch(LEAKS);
				expect(messageLimitErrors({ content }), refusal.kind).toEqual([]);
			}
		}
	});

	it.each(JOB_STATES)('fits a %s card carrying every note, and a 5000-character one', (state) => {
		const view = { jobId: 'job-1234567890', state, startedAt: NOW - 65_000, queuePosition: 12, localPosition: 3, step: 7, totalSteps: 20 };
		const model = { label: 'Kling 2.5 Turbo', priceUsd: 0.21 };
		const cards = [
			renderProgress({ ...view, model, notes: NOTES, retryable: true, resultUrl: 'https://discord.com/channels/1/2/3' }, m, NOW),
			renderProgress({ ...view, notes: [{ kind: 'first-frame', file: `${'f'.repeat(5000)}.gif` }] }, m, NOW),
		];
		for (const card of cards) {
			const sent = asSent(card);
			expect(messageLimitErrors(sent)).toEqual([]);
			expect(JSON.stringify(sent)).not.toMatch(LEAKS);
		}
		expect(textLength(cards[0]!.embeds[0]!.toJSON().description)).toBeLessThan(DISCORD_LIMITS.embedDescription);
	});

	it('fits a result with every field, a huge file name and prompt, and a link', () => {
		for (const id of CATALOGUE.keys()) {
			const model = modelSpec(id);
			const job = jobRow({
				id: 'job-long',
				model: id,
				userId: '555555555555555555',
				choices: {
					prompt: 'p'.repeat(5000),
					negative_prompt: 'n'.repeat(2500),
					duration: '5',
					resolution: '720p',
					aspect_ratio: '16:9',
					loop: false,
				},
				endImageUrl: 'https://v3.fal.media/files/end.png',
				maskUrl: 'https://v3.fal.media/files/mask.png',
				depthFrames: 25,
				fps: 12,
				sources: {
					image: { url: 'https://cdn.example/x.png', name: `${'🎞️'.repeat(300)}.png` },
					mask: { url: 'https://cdn.example/m.png', name: 'm'.repeat(2000) },
					endImage: { url: 'https://cdn.example/e.png', name: 'e'.repeat(2000) },
				},
			});
			const link = { url: `https://v3.fal.media/files/${'p'.repeat(2500)}.mp4`, size: 30 * 1024 * 1024, limit: 10 * 1024 * 1024 };
			for (const card of [renderResult({ job, model, seed: 4_294_967_295 }, m), renderResult({ job, model, seed: undefined, link }, m)]) {
				const sent = asSent(card);
				expect(messageLimitErrors(sent), id).toEqual([]);
				expect(JSON.stringify(sent)).not.toMatch(LEAKS);
			}
		}
	});

	it('fits the settings of a server allowing every model in 100 channels, next to the help, as /animate-help sends them', () => {
		const models = [...CATALOGUE.keys()];
		const fallback = { model: 'fal-ai/svd', models, jobsPerUser: 100, cooldownSeconds: 86_400, jobsPerDay: 1_000_000 };
		const settings = resolveSettings({ allowedChannels: channels(100), monthlyCapUsd: 12_345.67, reactionEnabled: true }, fallback);
		const data = { settings, model: modelSpec('fal-ai/svd'), models: models.map((id) => modelSpec(id)), usedUsd: 1_234.5, reactionsAvailable: false };
		const options = AnimateCommand.options.map((option) => ({ name: option.name, required: 'required' in option && option.required }));
		const help = renderHelp(options, m).toJSON();
		const here = renderSettings({ ...data, title: m['settings.title-in-force']() }, m).toJSON();
		const changed = renderSettings({ ...data, change: m['settings.changed.channel-allowed']({ channelId: '1' }) }, m).toJSON();
		expect(messageLimitErrors({ embeds: [help, here] })).toEqual([]);
		expect(messageLimitErrors({ embeds: [changed] })).toEqual([]);
		// The help itself is never cut: every option keeps its whole line.
		const listed = help.fields!.map((field) => field.value).join('\n');
		expect(listed).not.toContain('…');
		for (const option of options) expect(listed).toContain(m['help.option']({ ...option, description: m[`option.${option.name}`]() }));
		expect(JSON.stringify([help, here, changed])).not.toMatch(LEAKS);
	});

	it('names every catalogued model and value in autocomplete whole, within a choice', () => {
		for (const model of [...CATALOGUE.keys()].map((id) => modelSpec(id))) {
			for (const isDefault of [true, false]) {
				const { name } = modelChoice(model, isDefault, m);
				expect(name.endsWith('…'), name).toBe(false);
				expect(textLength(name), name).toBeLessThanOrEqual(DISCORD_LIMITS.choice);
				expect(name).toContain(model.label);
			}
			for (const spec of Object.values(model.options)) {
				if (spec?.kind !== 'choice') continue;
				for (const value of spec.values) {
					const { name } = valueChoice(value, value === spec.default, m);
					expect(name.endsWith('…'), name).toBe(false);
					expect(name).toContain(value);
				}
			}
		}
	});
});
