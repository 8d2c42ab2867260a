import type { ProgressNote } from '../../domain/progress.js';
import { messages as m } from './messages.js';

/** One note in words. */
export function noteText(note: ProgressNote): string {
	const word = m[`note.${note.kind}`] as (params: ProgressNote) => string;
	return word(note);
}
