import { refusalText } from '../../src/discord/views/refusals.js';
import { Refused } from '../../src/domain/refusal.js';
import { en } from './english.js';

/** A refusal as the member reads it: rethrown as an Error whose message is the views' wording. */
const reword = (error: unknown): unknown =>
	error instanceof Refused ? Object.assign(new Error(refusalText(error.refusal, en)), { refusal: error.refusal }) : error;

/** Runs `fn`, rethrowing a refusal in words, so tests can assert on what the member is told. */
export function worded<T>(fn: () => T): () => T {
	return () => {
		try {
			return fn();
		} catch (error) {
			throw reword(error);
		}
	};
}

/** The same for a promise. */
export async function wordedAsync<T>(promise: Promise<T>): Promise<T> {
	try {
		return await promise;
	} catch (error) {
		throw reword(error);
	}
}
