import type { ProgressNote } from '../../domain/progress.js';
import type { Messages } from './i18n/index.js';

/** One note in words. */
export function noteText(note: ProgressNote, m: Messages): string {
	const word = m[`note.${note.kind}`] as (params: ProgressNote) => string;
	return word(note);
}
