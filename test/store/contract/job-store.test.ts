import { expect, it } from 'vitest';
import { monthBounds } from '../../../src/domain/calendar.js';
import type { JobNote, JobState } from '../../../src/domain/job.js';
import { jobRow, newJob } from '../sample-job.js';
import { contract, parsed } from './dialects.js';

const T0 = Date.UTC(2025, 5, 10, 12, 0, 0);
const FINAL: JobState[] = ['delivered', 'failed', 'cancelled'];

contract('JobStore insert, get and update', (fixture) => {
	it('reads back every field it was given, with the empty ones filled in', async () => {
		const { jobs, raw, stored } = fixture();
		const notes: JobNote[] = [
			{ kind: 'many-images', count: 3 },
			{ kind: 'estimated-cost', priceUsd: 0.08, usedUsd: 1.5, capUsd: 10 },
		];
		const job = newJob({
			sources: {
				image: { url: 'https://cdn.example/a.png?ex=1', name: 'a.png' },
				mask: { url: 'https://cdn.example/m.png', name: 'm.png' },
				depthMaps: { url: 'https://cdn.example/d.zip', name: 'd.zip' },
			},
			notes,
			fps: 12,
			// The largest seed SVD takes does not fit a 32-bit integer.
			seed: 4_294_967_295,
			trigger: 'context-menu',
			sourceMessageId: 'msg1',
			sourceAuthorId: 'poster1',
			// The member's language, kept whole: a job is reworded in it after restarts.
			locale: 'es-419',
		});
		const inserted = await jobs.insert(job, T0);
		// Everything given, and the fields a new job starts without (state accepted, no request, no message…).
		const expected = { ...jobRow(), ...job, createdAt: T0, updatedAt: T0 };
		expect(expected).toMatchObject({ state: 'accepted', tokenExpired: false, requestId: null, submittedAt: null, finishedAt: null });
		expect(inserted).toEqual(expected);
		expect(await jobs.get(job.id)).toEqual(expected);
		// Stored as JSON and a boolean, not as "[object Object]" or "false".
		const row = await raw('jobs', job.id);
		expect(parsed(row?.['sources'])).toEqual(job.sources);
		expect(parsed(row?.['notes'])).toEqual(notes);
		expect(row?.['token_expired']).toBe(stored.false);
	});

	it('keeps a given state, stores no notes as NULL and answers undefined for an unknown id', async () => {
		const { jobs, raw } = fixture();
		const job = await jobs.insert(newJob({ state: 'waiting', notes: [] }), T0);
		expect(job.state).toBe('waiting');
		expect(job.notes).toEqual([]);
		expect((await raw('jobs', job.id))?.['notes']).toBeNull();
		expect(await jobs.get('no-such-job')).toBeUndefined();
	});

	it('updates only the patched fields, converting booleans and JSON both ways', async () => {
		const { jobs, raw, stored } = fixture();
		const job = await jobs.insert(newJob(), T0);
		const notes: JobNote[] = [{ kind: 'first-frame', file: 'anim.gif' }];
		const updated = await jobs.update(
			job.id,
			{ state: 'queued', requestId: 'req-1', tokenExpired: true, notes, submittedAt: T0 + 5, progressMessageId: 'pm1' },
			T0 + 10,
		);
		expect(updated).toEqual({
			...job,
			state: 'queued',
			requestId: 'req-1',
			tokenExpired: true,
			notes,
			submittedAt: T0 + 5,
			progressMessageId: 'pm1',
			updatedAt: T0 + 10,
		});
		expect((await raw('jobs', job.id))?.['token_expired']).toBe(stored.true);
		expect(await jobs.get(job.id)).toEqual(updated);

		const cleared = await jobs.update(job.id, { tokenExpired: false, notes: [], error: 'boom', falWatchMs: 90_000 }, T0 + 20);
		expect(cleared).toMatchObject({ tokenExpired: false, notes: [], error: 'boom', falWatchMs: 90_000, createdAt: T0, updatedAt: T0 + 20 });
		expect((await raw('jobs', job.id))?.['notes']).toBeNull();
	});

	it('finds a job by its fal request id, the newest when a Try again shares it', async () => {
		const { jobs } = fixture();
		expect(await jobs.byRequestId('req-1')).toBeUndefined();
		const failed = await jobs.insert(newJob({ state: 'failed', requestId: 'req-1' }), T0);
		await jobs.insert(newJob({ requestId: 'req-2' }), T0 + 1);
		expect(await jobs.byRequestId('req-1')).toEqual(failed);
		const repost = await jobs.insert(newJob({ state: 'delivering', requestId: 'req-1' }), T0 + 2);
		expect(await jobs.byRequestId('req-1')).toEqual(repost);
	});

	it('claims a submit attempt only while it is the latest, unanswered, and the job unfinished', async () => {
		const { jobs } = fixture();
		const job = await jobs.insert(newJob({ state: 'waiting' }), T0);
		// The first attempt replaces "none"; naming a different previous attempt changes nothing.
		expect(await jobs.claimAttempt(job.id, 'a0', { submitAttempt: 'a1', submitAttemptAt: T0 + 1 }, T0 + 1)).toBeUndefined();
		const announced = await jobs.claimAttempt(job.id, null, { submitAttempt: 'a1', submitAttemptAt: T0 + 1 }, T0 + 1);
		expect(announced).toMatchObject({ submitAttempt: 'a1', submitAttemptAt: T0 + 1, updatedAt: T0 + 1 });
		// fal's webhook names attempt a1: its request id is taken once; a second claim (a new attempt, another webhook) is refused.
		const adopted = await jobs.claimAttempt(job.id, 'a1', { requestId: 'req-1', state: 'queued' }, T0 + 2);
		expect(adopted).toMatchObject({ requestId: 'req-1', state: 'queued', submitAttempt: 'a1' });
		expect(await jobs.claimAttempt(job.id, 'a1', { submitAttempt: 'a2' }, T0 + 3)).toBeUndefined();
		expect(await jobs.claimAttempt(job.id, 'a1', { requestId: 'req-2' }, T0 + 3)).toBeUndefined();
		expect(await jobs.get(job.id)).toEqual(adopted);
		// A finished job is never claimed, whatever it names.
		const cancelled = await jobs.insert(newJob({ state: 'waiting' }), T0);
		await jobs.update(cancelled.id, { submitAttempt: 'b1', state: 'cancelled' }, T0 + 1);
		expect(await jobs.claimAttempt(cancelled.id, 'b1', { requestId: 'req-3' }, T0 + 2)).toBeUndefined();
		expect(await jobs.claimAttempt('no-such-job', null, { submitAttempt: 'c1' }, T0 + 2)).toBeUndefined();
	});

	it('does not touch other rows on update', async () => {
		const { jobs } = fixture();
		const a = await jobs.insert(newJob(), T0);
		const b = await jobs.insert(newJob(), T0);
		await jobs.update(a.id, { state: 'failed', error: 'x' }, T0 + 1);
		expect(await jobs.get(b.id)).toEqual(b);
	});
});

contract('JobStore queries', (fixture) => {
	it('lists unfinished jobs oldest first, leaving out delivered, failed and cancelled ones', async () => {
		const { jobs } = fixture();
		const at = async (state: JobState, createdAt: number) => (await jobs.insert(newJob({ state }), createdAt)).id;
		const running = await at('running', T0 + 3);
		const accepted = await at('accepted', T0 + 1);
		for (const [i, state] of FINAL.entries()) await at(state, T0 + 10 + i);
		const delivering = await at('delivering', T0 + 2);
		const uploading = await at('uploading', T0);
		expect((await jobs.unfinished()).map((job) => job.id)).toEqual([uploading, accepted, delivering, running]);

		await jobs.update(running, { state: 'delivered' }, T0 + 20);
		expect((await jobs.unfinished()).map((job) => job.id)).toEqual([uploading, accepted, delivering]);
	});

	it('counts a member’s jobs in the works, and no one else’s', async () => {
		const { jobs } = fixture();
		await jobs.insert(newJob({ userId: 'alice', state: 'queued' }), T0);
		await jobs.insert(newJob({ userId: 'alice', state: 'accepted' }), T0);
		for (const state of FINAL) await jobs.insert(newJob({ userId: 'alice', state }), T0);
		await jobs.insert(newJob({ userId: 'bob', state: 'running' }), T0);
		expect(await jobs.activeCountForUser('alice')).toBe(2);
		expect(await jobs.activeCountForUser('bob')).toBe(1);
		expect(await jobs.activeCountForUser('carol')).toBe(0);
	});

	it('knows when a member last started a job, finished or not', async () => {
		const { jobs } = fixture();
		expect(await jobs.lastCreatedForUser('alice')).toBeUndefined();
		await jobs.insert(newJob({ userId: 'alice', state: 'delivered' }), T0 + 500);
		await jobs.insert(newJob({ userId: 'alice' }), T0 + 100);
		await jobs.insert(newJob({ userId: 'bob' }), T0 + 900);
		expect(await jobs.lastCreatedForUser('alice')).toBe(T0 + 500);
		expect(await jobs.lastCreatedForUser('bob')).toBe(T0 + 900);
	});

	it('counts a server’s jobs created since a time, the boundary included', async () => {
		const { jobs } = fixture();
		await jobs.insert(newJob({ guildId: 'g1' }), T0 - 1);
		await jobs.insert(newJob({ guildId: 'g1', state: 'failed' }), T0);
		await jobs.insert(newJob({ guildId: 'g1' }), T0 + 1);
		await jobs.insert(newJob({ guildId: 'g2' }), T0 + 1);
		expect(await jobs.countForGuildSince('g1', T0)).toBe(2);
		expect(await jobs.countForGuildSince('g1', T0 - 1)).toBe(3);
		expect(await jobs.countForGuildSince('g2', T0)).toBe(1);
		expect(await jobs.countForGuildSince('g3', 0)).toBe(0);
	});

	it('forgets interaction tokens issued before a time, once, and marks them expired', async () => {
		const { jobs } = fixture();
		const old = await jobs.insert(newJob({ interactionAt: T0 - 1 }), T0);
		const boundary = await jobs.insert(newJob({ interactionAt: T0 }), T0);
		const channelOnly = await jobs.insert(newJob({ interactionAt: T0 - 5, interactionToken: '' }), T0);
		expect(await jobs.forgetTokensBefore(T0)).toBe(1);
		expect(await jobs.get(old.id)).toMatchObject({ interactionToken: '', tokenExpired: true });
		expect(await jobs.get(boundary.id)).toMatchObject({ interactionToken: boundary.interactionToken, tokenExpired: false });
		// A job that never had a token (a reaction) is left as it is.
		expect(await jobs.get(channelOnly.id)).toMatchObject({ interactionToken: '', tokenExpired: false });
		expect(await jobs.forgetTokensBefore(T0)).toBe(0);
	});

	it('counts jobs by state for the metrics, and nothing for states no job is in', async () => {
		const { jobs } = fixture();
		expect(await jobs.countByState()).toEqual({});
		await jobs.insert(newJob({ state: 'queued' }), T0);
		await jobs.insert(newJob({ state: 'queued' }), T0);
		await jobs.insert(newJob({ state: 'delivered' }), T0);
		expect(await jobs.countByState()).toEqual({ queued: 2, delivered: 1 });
	});
});

contract('JobStore.committedSince', (fixture) => {
	const now = Date.UTC(2025, 2, 15, 9, 30);
	const { start } = monthBounds(now);

	/** A job of `costUsd` in `state`, submitted to fal and given its video by fal at the times given (null: never). */
	const job = async (costUsd: number, state: JobState, times: { submittedAt?: number | null; producedAt?: number | null } = {}, guildId = 'g1') => {
		const { jobs } = fixture();
		const created = await jobs.insert(newJob({ guildId, costUsd }), times.submittedAt ?? now);
		return jobs.update(created.id, { state, submittedAt: times.submittedAt ?? null, producedAt: times.producedAt ?? null }, now);
	};
	const committed = (since: number, guildId = 'g1') => fixture().jobs.committedSince(guildId, since);

	it('is zero for a server with no jobs', async () => {
		expect(await committed(start)).toBe(0);
	});

	it('counts every job in flight, submitted or not, whenever it was submitted', async () => {
		await job(0.01, 'accepted');
		await job(0.02, 'uploading');
		await job(0.04, 'waiting');
		await job(0.08, 'queued', { submittedAt: now });
		await job(0.16, 'running', { submittedAt: start - 1 });
		await job(0.32, 'delivering', { submittedAt: now, producedAt: now });
		expect(await committed(start)).toBeCloseTo(0.63, 10);
	});

	it('counts finished jobs fal made a video for since the month start', async () => {
		await job(0.08, 'delivered', { submittedAt: start - 60_000, producedAt: start });
		await job(0.5, 'delivered', { submittedAt: now - 2000, producedAt: now - 1000 });
		// Made, but the post failed: fal was paid all the same.
		await job(0.03, 'failed', { submittedAt: now - 2000, producedAt: now - 1000 });
		expect(await committed(start)).toBeCloseTo(0.61, 10);
	});

	it('gives back the price of failed and cancelled jobs fal made nothing for, submitted or not', async () => {
		await job(0.08, 'failed');
		await job(0.08, 'cancelled');
		await job(0.08, 'failed', { submittedAt: now });
		await job(0.08, 'cancelled', { submittedAt: now });
		await job(0.03, 'queued', { submittedAt: now });
		expect(await committed(start)).toBeCloseTo(0.03, 10);
	});

	it('leaves out videos made before the month started, even on its last millisecond', async () => {
		const previous = monthBounds(start - 1);
		expect(previous.next).toBe(start);
		await job(1, 'delivered', { submittedAt: start - 5000, producedAt: start - 1 });
		await job(2, 'failed', { submittedAt: start - 5000, producedAt: start - 1 });
		await job(0.25, 'delivered', { submittedAt: start - 5000, producedAt: start });
		expect(await committed(start)).toBeCloseTo(0.25, 10);
		expect(await committed(previous.start)).toBeCloseTo(3.25, 10);
	});

	it('counts only its own server and only priced jobs', async () => {
		await job(0.08, 'delivered', { submittedAt: now, producedAt: now }, 'g2');
		await job(0, 'delivered', { submittedAt: now, producedAt: now });
		await job(0, 'accepted');
		expect(await committed(start)).toBe(0);
		expect(await committed(start, 'g2')).toBeCloseTo(0.08, 10);
	});
});
