import type { Logger } from '../logger.js';
import type { JobPatch, JobRow } from '../domain/job.js';
import type { FalGateway, SubmitOptions } from './ports.js';
import { JobCancelled } from './stop-reasons.js';

/** How long a stopping bot waits for a submit under way to be answered, so its request id is kept. */
const SUBMIT_SETTLE_MS = 5_000;

/**
 * Submits, and stays interruptible: the submit itself cannot be taken back once fal has it, so on
 * Cancel the request fal accepts is cancelled there as soon as its id arrives, and on shutdown the
 * id is recorded (briefly waited for) so the next start re-attaches instead of submitting again.
 */
export async function submitToFal(
	deps: { readonly fal: FalGateway; readonly log: Logger; readonly set: (patch: JobPatch) => Promise<JobRow> },
	model: string,
	input: Record<string, unknown>,
	signal: AbortSignal,
	options: SubmitOptions = {},
): Promise<string> {
	const submitting = deps.fal.submit(model, input, options);
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(signal.reason);
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([submitting, aborted]);
	} catch (error) {
		if (!signal.aborted) throw error;
		const reason: unknown = signal.reason;
		if (reason instanceof JobCancelled) {
			void submitting.then(
				(requestId) =>
					deps.fal.cancel(model, requestId).then(() => deps.log.info({ requestId }, 'cancelled at fal the request submitted during Cancel')),
				() => undefined,
			);
		} else {
			const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SUBMIT_SETTLE_MS).unref());
			const settled = await Promise.race([submitting.catch(() => undefined), timeout]);
			if (settled) await deps.set({ requestId: settled, state: 'queued', submittedAt: Date.now() });
		}
		throw reason;
	} finally {
		if (onAbort) signal.removeEventListener('abort', onAbort);
		aborted.catch(() => undefined);
	}
}
