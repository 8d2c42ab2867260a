import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { FalJobFailed, FalRejected } from '../../src/domain/errors.js';
import { createFalWebhookHandler } from '../../src/fal/webhook-handler.js';
import { parseWebhookOutcome, type FalWebhookBody, type WebhookVerifier } from '../../src/fal/webhook.js';

const ID = '123e4567-e89b-12d3-a456-426614174000';
const body = (fields: Partial<FalWebhookBody>): FalWebhookBody => ({ status: 'OK', request_id: ID, payload: null, ...fields });
const VIDEO = { url: 'https://v3.fal.media/files/lion/o.mp4', content_type: 'video/mp4' };

describe('parseWebhookOutcome', () => {
	it('reads the video and seed of an OK payload (`image` for fal-ai/svd, `video` for the others)', () => {
		expect(parseWebhookOutcome(body({ payload: { image: VIDEO, seed: 42 } }))).toEqual({ kind: 'ok', video: VIDEO, seed: 42 });
		expect(parseWebhookOutcome(body({ payload: { video: VIDEO } }))).toEqual({ kind: 'ok', video: VIDEO, seed: undefined });
	});

	it('fails an OK payload without a video as no_media_generated', () => {
		expect(parseWebhookOutcome(body({ payload: { images: [] } }))).toMatchObject({ kind: 'failed', errorType: 'no_media_generated' });
	});

	it('sends the engine to the queue when fal could not serialise the payload', () => {
		const payload_error = 'Response payload is not JSON serializable.';
		expect(parseWebhookOutcome(body({ payload: null, payload_error }))).toEqual({ kind: 'ask-queue', message: payload_error });
	});

	it('turns a 422 about the input into rejected fields, as the gateway does', () => {
		const outcome = parseWebhookOutcome(
			body({
				status: 'ERROR',
				error: 'Invalid status code: 422',
				payload: { detail: [{ loc: ['body', 'motion_bucket_id'], msg: 'Input should be less than or equal to 255', type: 'less_than_equal' }] },
			}),
		);
		expect(outcome).toMatchObject({
			kind: 'failed',
			rejection: [{ field: 'motion_bucket_id', message: 'Input should be less than or equal to 255' }],
		});
		expect(outcome.kind === 'failed' && outcome.error).toBeInstanceOf(FalRejected);
	});

	it('names a model error (a 422 that is not about the input) by its type', () => {
		const outcome = parseWebhookOutcome(
			body({
				status: 'ERROR',
				error: 'Invalid status code: 422',
				payload: { detail: [{ loc: ['body'], msg: 'Content policy violation', type: 'content_policy_violation' }] },
			}),
		);
		expect(outcome).toMatchObject({ kind: 'failed', errorType: 'content_policy_violation' });
		expect(outcome.kind === 'failed' && outcome.rejection).toBeFalsy();
	});

	it('names a request error by its error_type and keeps its detail', () => {
		const outcome = parseWebhookOutcome(
			body({ status: 'ERROR', error: 'Invalid status code: 504', payload: { detail: 'Request timed out', error_type: 'request_timeout' } }),
		);
		expect(outcome).toMatchObject({ kind: 'failed', errorType: 'request_timeout', message: 'Request timed out' });
	});

	it('fails (never "unreachable") a 5xx that names nothing: the webhook is fal\'s last word', () => {
		const outcome = parseWebhookOutcome(body({ status: 'ERROR', error: 'Invalid status code: 500', payload: { detail: 'boom' } }));
		expect(outcome).toMatchObject({ kind: 'failed', message: 'boom' });
		expect(outcome.kind === 'failed' && outcome.error).toBeInstanceOf(FalJobFailed);
	});
});

describe('createFalWebhookHandler', () => {
	const capture = () => {
		const lines: string[] = [];
		const stream = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) });
		return { log: pino({ level: 'debug' }, stream), text: () => lines.join('') };
	};
	const verifierSaying = (verdict: Awaited<ReturnType<WebhookVerifier['verify']>>): WebhookVerifier => ({ verify: () => Promise.resolve(verdict) });
	const SIGNATURE = 'ab'.repeat(64);

	it('hands a verified outcome on and answers 200', async () => {
		const onOutcome = vi.fn();
		const handle = createFalWebhookHandler({
			verifier: verifierSaying({ ok: true, requestId: ID, body: body({ payload: { image: VIDEO, seed: 1 } }) }),
			log: capture().log,
			onOutcome,
		});
		const query = new URLSearchParams({ animate_job: 'j1', animate_attempt: 'a1' });
		expect(await handle(Buffer.from('{}'), {}, query)).toEqual({ status: 200, body: { received: true } });
		expect(onOutcome).toHaveBeenCalledWith(expect.objectContaining({ requestId: ID, outcome: { kind: 'ok', video: VIDEO, seed: 1 }, query }));
	});

	it.each([
		['missing-headers', 400],
		['bad-signature', 401],
		['stale', 401],
		['bad-body', 400],
		['keys-unavailable', 503],
	] as const)('answers %s with %i and logs the reason, never the signature', async (reason, status) => {
		const out = capture();
		const onOutcome = vi.fn();
		const handle = createFalWebhookHandler({ verifier: verifierSaying({ ok: false, reason }), log: out.log, onOutcome });
		const headers = { 'x-fal-webhook-request-id': ID, 'x-fal-webhook-signature': SIGNATURE, 'x-fal-webhook-user-id': 'user-secretish' };
		expect(await handle(Buffer.from('{}'), headers)).toEqual({ status, body: { error: reason } });
		expect(onOutcome).not.toHaveBeenCalled();
		expect(out.text()).toContain(reason);
		expect(out.text()).toContain(ID);
		expect(out.text()).not.toContain(SIGNATURE);
		expect(out.text()).not.toContain('user-secretish');
	});

	it('lets an engine failure through, so the server answers 5xx and fal retries', async () => {
		const handle = createFalWebhookHandler({
			verifier: verifierSaying({ ok: true, requestId: ID, body: body({ payload: { image: VIDEO } }) }),
			log: capture().log,
			onOutcome: () => Promise.reject(new Error('database locked')),
		});
		await expect(handle(Buffer.from('{}'), {})).rejects.toThrow('database locked');
	});
});
