/**
 * A problem the user can fix (bad file, option out of range, limit reached). Its message is shown
 * to them as written, privately; anything else is an unexpected error, logged and shown with an id.
 */
export class UserError extends Error {
	public constructor(message: string) {
		super(message);
		this.name = 'UserError';
	}
}
