import { afterEach, describe, expect, it, vi } from 'vitest';
import { FalInbox } from '../../src/jobs/fal-inbox.js';
import type { FalCompletion } from '../../src/jobs/ports.js';

const OK: FalCompletion = { kind: 'ok', video: { url: 'https://v3.fal.media/files/out.mp4' }, seed: 7 };

describe('FalInbox', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('hands a completion to the job waiting for it, and keeps one that came first', async () => {
		const inbox = new FalInbox();
		const waiting = inbox.wait('req-1', new AbortController().signal);
		expect(inbox.deliver('req-1', OK)).toBe(true);
		await expect(waiting).resolves.toEqual(OK);
		expect(inbox.deliver('req-2', OK)).toBe(false);
		await expect(inbox.wait('req-2', new AbortController().signal)).resolves.toEqual(OK);
	});

	it("turns another process's notice into 'ask the queue' for the job waiting here", async () => {
		const inbox = new FalInbox();
		const waiting = inbox.wait('req-1', new AbortController().signal);
		expect(inbox.notice('req-1')).toBe(true);
		await expect(waiting).resolves.toEqual({ kind: 'ask-queue' });
	});

	it('keeps a notice for a job not waiting yet for a minute, and never lets it replace a webhook received here', async () => {
		vi.useFakeTimers({ now: 1_000_000 });
		const inbox = new FalInbox();
		expect(inbox.notice('early')).toBe(false);
		await expect(inbox.wait('early', new AbortController().signal)).resolves.toEqual({ kind: 'ask-queue' });

		inbox.deliver('both', OK);
		inbox.notice('both');
		await expect(inbox.wait('both', new AbortController().signal)).resolves.toEqual(OK);

		inbox.notice('stale');
		vi.setSystemTime(1_000_000 + 60_001);
		const aborted = new AbortController();
		const waiting = inbox.wait('stale', aborted.signal);
		aborted.abort(new Error('stopped'));
		await expect(waiting).rejects.toThrow('stopped');
	});
});
