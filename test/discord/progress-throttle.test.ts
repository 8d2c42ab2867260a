import { ButtonStyle, ComponentType } from 'discord.js';
import { describe, expect, it, vi } from 'vitest';
import { parseCustomId } from '../../src/discord/custom-ids.js';
import { ThrottledProgress } from '../../src/discord/progress-throttle.js';
import { progressBar, renderProgress } from '../../src/discord/views/progress-card.js';
import type { JobProgress } from '../../src/domain/progress.js';
import { en } from '../support/english.js';

const base: JobProgress = { jobId: 'job1', state: 'queued', startedAt: Date.now() };

describe('renderProgress', () => {
	it('shows queue position and a Cancel button while waiting', () => {
		const payload = renderProgress({ ...base, queuePosition: 3 }, en);
		const embed = payload.embeds[0]!.toJSON();
		expect(embed.description).toContain('**3** requests ahead of yours');
		expect(embed.description).toMatch(/<t:\d+:R>/);
		const button = payload.components[0]!.toJSON().components[0]!;
		expect(button).toMatchObject({ type: ComponentType.Button, style: ButtonStyle.Danger, custom_id: 'animate:cancel:job1' });
	});

	it('draws a step bar while running and offers retry only on retryable failures', () => {
		expect(renderProgress({ ...base, state: 'running', step: 10, totalSteps: 20 }, en).embeds[0]!.toJSON().description).toContain(
			progressBar(10, 20),
		);
		expect(renderProgress({ ...base, state: 'failed', retryable: true }, en).components[0]!.toJSON().components[0]).toMatchObject({
			custom_id: 'animate:retry:job1',
		});
		expect(renderProgress({ ...base, state: 'failed', retryable: false }, en).components).toHaveLength(0);
		expect(renderProgress({ ...base, state: 'delivered' }, en).components).toHaveLength(0);
	});

	it('parses only its own custom ids', () => {
		expect(parseCustomId('animate:cancel:abc-123')).toEqual({ action: 'cancel', jobId: 'abc-123' });
		expect(parseCustomId('animate:delete:abc')).toEqual({ action: 'delete', jobId: 'abc' });
		expect(parseCustomId('animate:explode:abc')).toBeUndefined();
		expect(parseCustomId('other:cancel:abc')).toBeUndefined();
	});
});

describe('ThrottledProgress', () => {
	it('coalesces a burst into few edits carrying the latest state, and skips unchanged views', async () => {
		vi.useFakeTimers();
		try {
			const edits: string[] = [];
			const progress = new ThrottledProgress(async (view) => {
				edits.push(renderProgress(view, en).embeds[0]!.toJSON().description ?? '');
			}, 100);
			for (let position = 50; position >= 0; position -= 1) {
				progress.update({ ...base, queuePosition: position });
				await vi.advanceTimersByTimeAsync(5);
			}
			await vi.advanceTimersByTimeAsync(200);
			// 255 ms of updates; edits at 0, 100, 225 and 381 ms (the interval grows by a quarter): four, not 51.
			expect(edits).toHaveLength(4);
			expect(edits.at(-1)).toContain('Next in line');
			progress.update({ ...base, queuePosition: 0 });
			await vi.advanceTimersByTimeAsync(1_000);
			expect(vi.getTimerCount()).toBe(0);
			expect(edits).toHaveLength(4);
		} finally {
			vi.useRealTimers();
		}
	});

	it('flush sends the final state at once', async () => {
		const edits: string[] = [];
		const progress = new ThrottledProgress(async (view) => {
			edits.push(renderProgress(view, en).embeds[0]!.toJSON().title ?? '');
		}, 10_000);
		progress.update(base);
		await progress.flush({ ...base, state: 'delivered' });
		expect(edits).toEqual(['✅ Video ready']);
	});
});
