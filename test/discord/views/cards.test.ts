import { describe, expect, it } from 'vitest';
import { AnimateCommand } from '../../../src/commands/animate/definition.js';
import { renderHelp } from '../../../src/discord/views/help-card.js';
import { renderProgress } from '../../../src/discord/views/progress-card.js';
import { renderResult, resultFooter } from '../../../src/discord/views/result-card.js';
import { renderSettings } from '../../../src/discord/views/settings-card.js';
import { DISCORD_LIMITS } from '../../../src/discord/views/truncate.js';
import { JOB_STATES } from '../../../src/domain/job.js';
import { modelSpec } from '../../../src/domain/models.js';
import type { JobProgress } from '../../../src/domain/progress.js';
import { resolveSettings } from '../../../src/domain/settings.js';
import { messageLimitErrors } from '../../../fakes/discord/message-limits.js';
import { jobRow } from '../../store/sample-job.js';
import { en } from '../../support/english.js';

const codePoints = (text: string | undefined) => [...(text ?? '')].length;
/** What Discord would refuse in a payload (as the fake enforces it): none, for every card. */
const refusedBy = (payload: { embeds: { toJSON(): unknown }[]; content?: string; components?: { toJSON(): unknown }[] }) =>
	messageLimitErrors(JSON.parse(JSON.stringify(payload)) as Record<string, unknown>);

const NOW = Date.UTC(2025, 6, 1, 12, 0, 0);

describe('renderProgress within Discord limits', () => {
	const base: JobProgress = { jobId: 'job-long-note', state: 'running', startedAt: NOW - 65_000 };

	it.each(JOB_STATES)('keeps a %s card with a 5000-character note within the embed limits', (state) => {
		const payload = renderProgress({ ...base, state, notes: [{ kind: 'text', text: 'n'.repeat(5000) }] }, en, NOW);
		const embed = payload.embeds[0]!.toJSON();
		expect(codePoints(embed.title)).toBeGreaterThan(0);
		expect(codePoints(embed.title)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
		expect(codePoints(embed.description)).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
		expect(embed.description).toContain('n'.repeat(100));
		expect(embed.description!.endsWith('…')).toBe(true);
		expect(embed.footer?.text).toBe('job job-long-note');
		expect(refusedBy(payload)).toEqual([]);
	});

	it('cuts several long notes together to the description limit', () => {
		// BMP text only: astral characters (emoji) overflow discord.js's UTF-16 checks, see the report.
		const notes = [
			{ kind: 'text' as const, text: '字'.repeat(3000) },
			{ kind: 'first-frame' as const, file: `${'f'.repeat(2000)}.gif` },
		];
		const payload = renderProgress({ ...base, state: 'failed', notes }, en, NOW);
		const embed = payload.embeds[0]!.toJSON();
		expect(codePoints(embed.description)).toBe(DISCORD_LIMITS.embedDescription);
		expect(embed.description!.startsWith('字'.repeat(3000))).toBe(true);
		expect(refusedBy(payload)).toEqual([]);
	});

	it('shows a short note and the elapsed time in full', () => {
		const embed = renderProgress({ ...base, state: 'failed', notes: [{ kind: 'text', text: 'short' }] }, en, NOW).embeds[0]!.toJSON();
		expect(embed.description).toBe('short\nTook 1 min 5 s.');
	});
});

describe('renderResult within Discord limits', () => {
	const model = modelSpec('fal-ai/svd');

	it('renders a result for file names long enough to pass 256 UTF-16 units after the emoji (ASCII and emoji)', () => {
		for (const name of ['a'.repeat(254), 'b'.repeat(400), '🎞️'.repeat(200)]) {
			const job = jobRow({ id: 'job-long', sources: { image: { url: 'https://cdn.example/x.png', name } } });
			const embed = renderResult({ job, model: modelSpec('fal-ai/svd'), seed: 1 }, en).embeds[0]!.toJSON();
			expect(embed.title!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
			expect(embed.title!.endsWith('…')).toBe(true);
		}
	});

	it('keeps the title of a 240-character file name within 256 and the job id at the end of the footer', () => {
		const name = `${'a'.repeat(236)}.png`;
		const job = jobRow({ id: 'job-240', sources: { image: { url: 'https://cdn.example/x.png', name } } });
		const payload = renderResult({ job, model, seed: 7 }, en);
		const embed = payload.embeds[0]!.toJSON();
		expect(codePoints(embed.title)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
		expect(embed.title).toContain(name);
		expect(embed.footer!.text.endsWith(resultFooter('job-240', en))).toBe(true);
		expect(embed.footer!.text.endsWith('result of job job-240')).toBe(true);
		expect(refusedBy(payload)).toEqual([]);
	});

	it('cuts a huge model id and mask name, without losing the job id', () => {
		const job = jobRow({
			id: 'job-huge',
			model: 'x'.repeat(3000),
			maskUrl: 'https://v3.fal.media/files/m.png',
			sources: {
				image: { url: 'https://cdn.example/x.png', name: 'é'.repeat(240) },
				mask: { url: 'https://cdn.example/m.png', name: 'm'.repeat(2000) },
			},
		});
		const payload = renderResult({ job, model: modelSpec(job.model), seed: 1 }, en);
		const embed = payload.embeds[0]!.toJSON();
		expect(codePoints(embed.title)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
		expect(embed.fields!.find((field) => field.name === 'Mask')!.value).toHaveLength(DISCORD_LIMITS.fieldValue);
		expect(codePoints(embed.footer!.text)).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
		expect(embed.footer!.text.endsWith('result of job job-huge')).toBe(true);
		expect(refusedBy(payload)).toEqual([]);
	});

	it('keeps the content within a message when the video is linked with a long URL', () => {
		const job = jobRow({ id: 'job-link', userId: '555' });
		const link = { url: `https://v3.fal.media/files/${'p'.repeat(2500)}.mp4`, size: 30 * 1024 * 1024, limit: 10 * 1024 * 1024 };
		const payload = renderResult({ job, model, seed: 3, link }, en);
		expect(codePoints(payload.content)).toBeLessThanOrEqual(DISCORD_LIMITS.content);
		expect(payload.content.startsWith('<@555>')).toBe(true);
		expect(payload.allowedMentions).toEqual({ users: ['555'] });
	});
});

describe('renderSettings within Discord limits', () => {
	const fallback = { model: 'fal-ai/svd', models: ['fal-ai/svd', 'fal-ai/stable-video'], jobsPerUser: 2, cooldownSeconds: 30, jobsPerDay: 100 };
	const channels = (n: number) => Array.from({ length: n }, (_, i) => String(1_234_567_890_123_456_000n + BigInt(i)));

	it('lists 100 allowed channels within the description limit, every line still there', () => {
		const allowed = channels(100);
		const settings = resolveSettings({ allowedChannels: allowed, monthlyCapUsd: 20 }, fallback);
		const embed = renderSettings(
			{
				settings,
				model: modelSpec('fal-ai/svd'),
				models: settings.models.map((id) => modelSpec(id)),
				usedUsd: 3.5,
				reactionsAvailable: false,
				change: '✅ Videos allowed in <#1>.',
			},
			en,
		).toJSON();
		expect(codePoints(embed.description)).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
		for (const id of allowed) expect(embed.description).toContain(`<#${id}>`);
		expect(embed.description).toContain('**Monthly spend cap:** $20.00 ($3.50 used this month)');
		expect(messageLimitErrors({ embeds: [embed] })).toEqual([]);
	});

	it('stays within the limit with more channels than fit', () => {
		const settings = resolveSettings({ allowedChannels: channels(400) }, fallback);
		const embed = renderSettings(
			{
				settings,
				model: modelSpec('fal-ai/svd'),
				models: [modelSpec('fal-ai/svd')],
				usedUsd: 0,
				reactionsAvailable: true,
			},
			en,
		).toJSON();
		expect(codePoints(embed.description)).toBe(DISCORD_LIMITS.embedDescription);
		expect(embed.description!.endsWith('…')).toBe(true);
	});

	it('fits in one message next to the help card, as /animate-help sends them', () => {
		const options = AnimateCommand.options.map((option) => ({ name: option.name, required: 'required' in option && option.required }));
		const help = renderHelp(options, en).toJSON();
		// Every option's whole line, the list carried over a second field when one field cannot hold it.
		const listed = help.fields!.map((field) => field.value).join('\n');
		expect(listed).not.toContain('…');
		for (const option of options) expect(listed).toContain(`\`${option.name}\``);
		const settings = resolveSettings({ allowedChannels: channels(400) }, fallback);
		const here = renderSettings(
			{
				settings,
				model: modelSpec('fal-ai/svd'),
				models: [modelSpec('fal-ai/svd')],
				usedUsd: 0,
				reactionsAvailable: true,
			},
			en,
		).toJSON();
		expect(messageLimitErrors({ embeds: [help, here] })).toEqual([]);
	});
});
