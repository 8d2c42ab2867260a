import { beforeEach, describe, expect, it } from 'vitest';
import { monthBounds } from '../../src/domain/calendar.js';
import type { JobNote, JobState } from '../../src/domain/job.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { SqliteJobStore } from '../../src/store/job-store.js';
import { jobRow, newJob } from './sample-job.js';

const T0 = Date.UTC(2025, 5, 10, 12, 0, 0);

let db: Database;
let store: SqliteJobStore;

beforeEach(() => {
	db = openDatabase(':memory:');
	store = new SqliteJobStore(db);
});

const raw = (id: string) => db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Record<string, unknown>;

describe('SqliteJobStore insert, get and update', () => {
	it('reads back every field it was given, with the empty ones filled in', () => {
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
			trigger: 'context-menu',
			sourceMessageId: 'msg1',
			sourceAuthorId: 'poster1',
		});
		const inserted = store.insert(job, T0);
		// Everything given, and the fields a new job starts without (state accepted, no request, no message…).
		const expected = { ...jobRow(), ...job, createdAt: T0, updatedAt: T0 };
		expect(expected).toMatchObject({ state: 'accepted', tokenExpired: false, requestId: null, submittedAt: null, finishedAt: null });
		expect(inserted).toEqual(expected);
		expect(store.get(job.id)).toEqual(expected);
		// Stored as JSON text and 0/1, not as "[object Object]" or "false".
		expect(JSON.parse(raw(job.id)['sources'] as string)).toEqual(job.sources);
		expect(JSON.parse(raw(job.id)['notes'] as string)).toEqual(notes);
		expect(raw(job.id)['token_expired']).toBe(0);
	});

	it('keeps a given state, stores no notes as NULL and answers undefined for an unknown id', () => {
		const job = store.insert(newJob({ state: 'waiting', notes: [] }), T0);
		expect(job.state).toBe('waiting');
		expect(job.notes).toEqual([]);
		expect(raw(job.id)['notes']).toBeNull();
		expect(store.get('no-such-job')).toBeUndefined();
	});

	it('updates only the patched fields, converting booleans and JSON both ways', () => {
		const job = store.insert(newJob(), T0);
		const notes: JobNote[] = [{ kind: 'first-frame', file: 'anim.gif' }];
		const updated = store.update(
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
		expect(raw(job.id)['token_expired']).toBe(1);
		expect(store.get(job.id)).toEqual(updated);

		const cleared = store.update(job.id, { tokenExpired: false, notes: [], error: 'boom' }, T0 + 20);
		expect(cleared).toMatchObject({ tokenExpired: false, notes: [], error: 'boom', createdAt: T0, updatedAt: T0 + 20 });
		expect(raw(job.id)['notes']).toBeNull();
	});

	it('does not touch other rows on update', () => {
		const a = store.insert(newJob(), T0);
		const b = store.insert(newJob(), T0);
		store.update(a.id, { state: 'failed', error: 'x' }, T0 + 1);
		expect(store.get(b.id)).toEqual(b);
	});
});

describe('SqliteJobStore queries', () => {
	const FINAL: JobState[] = ['delivered', 'failed', 'cancelled'];

	it('lists unfinished jobs oldest first, leaving out delivered, failed and cancelled ones', () => {
		const at = (state: JobState, createdAt: number) => store.insert(newJob({ state }), createdAt).id;
		const running = at('running', T0 + 3);
		const accepted = at('accepted', T0 + 1);
		for (const [i, state] of FINAL.entries()) at(state, T0 + 10 + i);
		const delivering = at('delivering', T0 + 2);
		const uploading = at('uploading', T0);
		expect(store.unfinished().map((job) => job.id)).toEqual([uploading, accepted, delivering, running]);

		store.update(running, { state: 'delivered' }, T0 + 20);
		expect(store.unfinished().map((job) => job.id)).toEqual([uploading, accepted, delivering]);
	});

	it('counts a member’s jobs in the works, and no one else’s', () => {
		store.insert(newJob({ userId: 'alice', state: 'queued' }), T0);
		store.insert(newJob({ userId: 'alice', state: 'accepted' }), T0);
		for (const state of FINAL) store.insert(newJob({ userId: 'alice', state }), T0);
		store.insert(newJob({ userId: 'bob', state: 'running' }), T0);
		expect(store.activeCountForUser('alice')).toBe(2);
		expect(store.activeCountForUser('bob')).toBe(1);
		expect(store.activeCountForUser('carol')).toBe(0);
	});

	it('knows when a member last started a job, finished or not', () => {
		expect(store.lastCreatedForUser('alice')).toBeUndefined();
		store.insert(newJob({ userId: 'alice', state: 'delivered' }), T0 + 500);
		store.insert(newJob({ userId: 'alice' }), T0 + 100);
		store.insert(newJob({ userId: 'bob' }), T0 + 900);
		expect(store.lastCreatedForUser('alice')).toBe(T0 + 500);
		expect(store.lastCreatedForUser('bob')).toBe(T0 + 900);
	});

	it('counts a server’s jobs created since a time, the boundary included', () => {
		store.insert(newJob({ guildId: 'g1' }), T0 - 1);
		store.insert(newJob({ guildId: 'g1', state: 'failed' }), T0);
		store.insert(newJob({ guildId: 'g1' }), T0 + 1);
		store.insert(newJob({ guildId: 'g2' }), T0 + 1);
		expect(store.countForGuildSince('g1', T0)).toBe(2);
		expect(store.countForGuildSince('g1', T0 - 1)).toBe(3);
		expect(store.countForGuildSince('g2', T0)).toBe(1);
		expect(store.countForGuildSince('g3', 0)).toBe(0);
	});
});

describe('SqliteJobStore.committedSince', () => {
	const now = Date.UTC(2025, 2, 15, 9, 30);
	const { start } = monthBounds(now);

	/** A job of `costUsd` in `state`, submitted to fal and given its video by fal at the times given (null: never). */
	const job = (costUsd: number, state: JobState, times: { submittedAt?: number | null; producedAt?: number | null } = {}, guildId = 'g1') => {
		const created = store.insert(newJob({ guildId, costUsd }), times.submittedAt ?? now);
		return store.update(created.id, { state, submittedAt: times.submittedAt ?? null, producedAt: times.producedAt ?? null }, now);
	};

	it('is zero for a server with no jobs', () => {
		expect(store.committedSince('g1', start)).toBe(0);
	});

	it('counts every job in flight, submitted or not, whenever it was submitted', () => {
		job(0.01, 'accepted');
		job(0.02, 'uploading');
		job(0.04, 'waiting');
		job(0.08, 'queued', { submittedAt: now });
		job(0.16, 'running', { submittedAt: start - 1 });
		job(0.32, 'delivering', { submittedAt: now, producedAt: now });
		expect(store.committedSince('g1', start)).toBeCloseTo(0.63, 10);
	});

	it('counts finished jobs fal made a video for since the month start', () => {
		job(0.08, 'delivered', { submittedAt: start - 60_000, producedAt: start });
		job(0.5, 'delivered', { submittedAt: now - 2000, producedAt: now - 1000 });
		// Made, but the post failed: fal was paid all the same.
		job(0.03, 'failed', { submittedAt: now - 2000, producedAt: now - 1000 });
		expect(store.committedSince('g1', start)).toBeCloseTo(0.61, 10);
	});

	it('gives back the price of failed and cancelled jobs fal made nothing for, submitted or not', () => {
		job(0.08, 'failed');
		job(0.08, 'cancelled');
		job(0.08, 'failed', { submittedAt: now });
		job(0.08, 'cancelled', { submittedAt: now });
		job(0.03, 'queued', { submittedAt: now });
		expect(store.committedSince('g1', start)).toBeCloseTo(0.03, 10);
	});

	it('leaves out videos made before the month started, even on its last millisecond', () => {
		const previous = monthBounds(start - 1);
		expect(previous.next).toBe(start);
		job(1, 'delivered', { submittedAt: start - 5000, producedAt: start - 1 });
		job(2, 'failed', { submittedAt: start - 5000, producedAt: start - 1 });
		job(0.25, 'delivered', { submittedAt: start - 5000, producedAt: start });
		expect(store.committedSince('g1', start)).toBeCloseTo(0.25, 10);
		expect(store.committedSince('g1', previous.start)).toBeCloseTo(3.25, 10);
	});

	it('counts only its own server and only priced jobs', () => {
		job(0.08, 'delivered', { submittedAt: now, producedAt: now }, 'g2');
		job(0, 'delivered', { submittedAt: now, producedAt: now });
		job(0, 'accepted');
		expect(store.committedSince('g1', start)).toBe(0);
		expect(store.committedSince('g2', start)).toBeCloseTo(0.08, 10);
	});
});
