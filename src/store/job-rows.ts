import type { JobRow } from '../domain/job.js';

/** camelCase keys ↔ snake_case columns, and the values that need converting, for both databases. */
const COLUMN: Record<string, string> = {};
export const toColumn = (key: string): string => (COLUMN[key] ??= key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
const KEY: Record<string, string> = {};
// Cached both ways: every row read converts every column name, and a burst reads thousands of rows.
const toKey = (column: string) => (KEY[column] ??= column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));

const JSON_KEYS = new Set(['sources', 'notes', 'choices']);
const BOOLEAN_KEYS = new Set(['tokenExpired']);
/** PostgreSQL's BIGINT arrives as a string (it may exceed 2^53); these hold milliseconds and counts. */
const NUMBER_KEYS = new Set([
	'interactionAt',
	'attachmentSizeLimit',
	'depthFrames',
	'motion',
	'noise',
	'seed',
	'steps',
	'fps',
	'costUsd',
	'createdAt',
	'updatedAt',
	'submittedAt',
	'finishedAt',
	'producedAt',
	'falWatchMs',
	'submitAttemptAt',
]);

/** A value as stored: JSON text for structured fields, 0/1 for booleans, null for absent. */
export function toDb(key: string, value: unknown): unknown {
	if (key === 'notes') return Array.isArray(value) && value.length > 0 ? JSON.stringify(value) : null;
	if (JSON_KEYS.has(key)) return JSON.stringify(value);
	if (BOOLEAN_KEYS.has(key)) return value ? 1 : 0;
	return value ?? null;
}

/** A stored row as the domain's JobRow. */
export function fromDb(record: Record<string, unknown>): JobRow {
	const row: Record<string, unknown> = {};
	for (const [column, value] of Object.entries(record)) {
		const key = toKey(column);
		if (key === 'notes') row[key] = value === null ? [] : typeof value === 'string' ? JSON.parse(value) : value;
		else if (JSON_KEYS.has(key)) row[key] = typeof value === 'string' ? JSON.parse(value) : value;
		else if (BOOLEAN_KEYS.has(key)) row[key] = value === 1 || value === true;
		else if (NUMBER_KEYS.has(key) && value !== null) row[key] = Number(value);
		else row[key] = value;
	}
	return row as unknown as JobRow;
}
