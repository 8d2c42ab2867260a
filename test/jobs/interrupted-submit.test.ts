import { describe, expect, it } from 'vitest';
import { attemptNamedBy, submitWasInterrupted, webhookUrlFor } from '../../src/jobs/interrupted-submit.js';
import { jobRow } from '../store/sample-job.js';

describe('the submit attempt in the webhook URL', () => {
	it('is added to the configured URL, keeping what it already carries, and read back from the query fal calls', () => {
		const url = new URL(webhookUrlFor('https://bot.example/fal/webhook?route=eu', { jobId: 'job 1', attempt: 'a-1' }));
		expect(url.origin + url.pathname).toBe('https://bot.example/fal/webhook');
		expect(url.searchParams.get('route')).toBe('eu');
		expect(attemptNamedBy(url.searchParams)).toEqual({ jobId: 'job 1', attempt: 'a-1' });
	});

	it('names nothing unless both the job and the attempt are there', () => {
		expect(attemptNamedBy(new URLSearchParams())).toBeUndefined();
		expect(attemptNamedBy(new URLSearchParams({ animate_job: 'j1' }))).toBeUndefined();
		expect(attemptNamedBy(new URLSearchParams({ animate_job: 'j1', animate_attempt: '' }))).toBeUndefined();
	});
});

describe('an interrupted submit', () => {
	it('is an announced attempt with no request id recorded', () => {
		expect(submitWasInterrupted(jobRow({ submitAttempt: 'a1', submitAttemptAt: 1 }))).toBe(true);
		expect(submitWasInterrupted(jobRow({ submitAttempt: 'a1', submitAttemptAt: 1, requestId: 'req-1' }))).toBe(false);
		expect(submitWasInterrupted(jobRow())).toBe(false);
	});
});
