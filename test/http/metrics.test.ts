import { describe, expect, it } from 'vitest';
import { createMetrics, noopMetrics, routeLabel, type FailureReason } from '../../src/http/metrics.js';
import type { InterruptedSubmitOutcome } from '../../src/jobs/ports.js';

const TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpzZWNyZXQ';
const series = (text: string, name: string) => text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

describe('metrics', () => {
	it('turns discord.js routes into templates without ids, tokens or query strings', () => {
		expect(routeLabel('/channels/:id/messages')).toBe('/channels/:id/messages');
		expect(routeLabel('/channels/123456789012345678/messages/223456789012345678')).toBe('/channels/:id/messages/:id');
		expect(routeLabel(`/webhooks/:id/${TOKEN}/messages/@original`)).toBe('/webhooks/:id/:token/messages/@original');
		expect(routeLabel(`/interactions/123456789012345678/${TOKEN}/callback?with_response=true`)).toBe('/interactions/:id/:token/callback');
		expect(routeLabel('/webhooks/:id/:token')).toBe('/webhooks/:id/:token');
	});

	it('keeps at most 64 route labels; the rest count as "other"', async () => {
		const metrics = createMetrics({ processMetrics: false });
		for (let i = 0; i < 100; i++) metrics.observeDiscordRest(`/guilds/:id/thing-${i}`, 0.1);
		const routes = series(await metrics.render(), 'animate_discord_rest_seconds_count');
		expect(routes).toHaveLength(65);
		expect(routes).toContain('animate_discord_rest_seconds_count{route="other"} 36');
	});

	it('maps a reason, route or scope outside the fixed sets to a fixed label, and starts every series at 0', async () => {
		const metrics = createMetrics({ processMetrics: false });
		metrics.failed('a reason from nowhere' as FailureReason);
		metrics.discordRateLimited('made-up');
		metrics.observeFalWait(-5);
		const text = await metrics.render();
		expect(series(text, 'animate_failures_total')).toContain('animate_failures_total{reason="other"} 1');
		expect(series(text, 'animate_failures_total')).toContain('animate_failures_total{reason="rejected"} 0');
		expect(series(text, 'animate_discord_429_total')).toContain('animate_discord_429_total{scope="user"} 1');
		expect(text).not.toContain('a reason from nowhere');
		expect(text).toContain('animate_fal_wait_seconds_sum 0');
		expect(text).not.toContain('process_cpu');
	});

	it('counts interrupted submits by outcome, both series from 0, an unknown outcome as resubmitted', async () => {
		const metrics = createMetrics({ processMetrics: false });
		expect(series(await metrics.render(), 'animate_interrupted_submits_total')).toEqual([
			'animate_interrupted_submits_total{outcome="adopted"} 0',
			'animate_interrupted_submits_total{outcome="resubmitted"} 0',
		]);
		metrics.interruptedSubmit('adopted');
		metrics.interruptedSubmit('lost' as InterruptedSubmitOutcome);
		expect(series(await metrics.render(), 'animate_interrupted_submits_total')).toEqual([
			'animate_interrupted_submits_total{outcome="adopted"} 1',
			'animate_interrupted_submits_total{outcome="resubmitted"} 1',
		]);
	});

	it('reads job states at each scrape', async () => {
		let queued = 1;
		const metrics = createMetrics({ processMetrics: false, collectJobStates: async () => ({ queued }) });
		expect(await metrics.render()).toContain('animate_jobs{state="queued"} 1');
		queued = 5;
		expect(await metrics.render()).toContain('animate_jobs{state="queued"} 5');
	});

	it('reads the queue depth at each scrape, never below 0', async () => {
		let depth = 3;
		const metrics = createMetrics({ processMetrics: false, collectQueueDepth: async () => depth });
		expect(series(await metrics.render(), 'animate_queue_depth')).toEqual(['animate_queue_depth 3']);
		depth = -1;
		expect(series(await metrics.render(), 'animate_queue_depth')).toEqual(['animate_queue_depth 0']);
	});

	it('does nothing when off', async () => {
		noopMetrics.submitted();
		noopMetrics.observeDiscordRest('/x', 1);
		expect(await noopMetrics.render()).toBe('');
	});
});
