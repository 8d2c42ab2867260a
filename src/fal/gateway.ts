import { ApiError, createFalClient, ValidationError } from '@fal-ai/client';
import { FalJobFailed, FalRejected, FalUnreachable, isNetworkError } from '../domain/errors.js';
import type { FalFile, FalGateway, FalVideoResult } from '../jobs/ports.js';

export interface FalGatewayOptions {
	readonly key: string;
	readonly proxyUrl: string | undefined;
}

/** SVD's schema names the video `image`; related models call it `video`. Either is accepted. */
export function pickVideo(data: unknown): FalVideoResult {
	const record = (data ?? {}) as Record<string, unknown>;
	const file = (record['image'] ?? record['video']) as Partial<FalFile> | undefined;
	if (!file || typeof file.url !== 'string') {
		throw new FalJobFailed(`fal result has no video file (keys: ${Object.keys(record).join(', ') || 'none'})`);
	}
	const seed = typeof record['seed'] === 'number' ? record['seed'] : undefined;
	return { video: file as FalFile, seed };
}

/** Unreachable, overloaded or briefly broken (worth waiting out), as opposed to refusing the request. */
const TRANSIENT_STATUS = (status: number) => status >= 500 || status === 429 || status === 408;

/** The client's errors in the engine's terms: refused input, fal unreachable, or a failure of its own. */
export function classifyFalError(error: unknown): unknown {
	if (error instanceof ValidationError) {
		const fields = error.fieldErrors.map((detail) => ({ field: String(detail.loc.at(-1) ?? 'input'), message: detail.msg }));
		return new FalRejected(error.message, fields);
	}
	if (error instanceof ApiError) {
		return TRANSIENT_STATUS(error.status) ? new FalUnreachable(error.message, { cause: error }) : new FalJobFailed(error.message, { cause: error });
	}
	if (isNetworkError(error)) return new FalUnreachable(error instanceof Error ? error.message : String(error), { cause: error });
	return error;
}

const classified = async <T>(call: () => Promise<T>): Promise<T> => {
	try {
		return await call();
	} catch (error) {
		throw classifyFalError(error);
	}
};

/** fal through its official client: queue, status stream, result, cancel and storage. */
export function createFalGateway({ key, proxyUrl }: FalGatewayOptions): FalGateway {
	const client = createFalClient({
		credentials: key,
		...(proxyUrl ? { proxyUrl: { url: proxyUrl, when: 'always' as const } } : {}),
	});
	return {
		upload: (bytes, contentType, fileName) => classified(() => client.storage.upload(new File([bytes], fileName, { type: contentType }))),
		submit: (model, input) => classified(async () => (await client.queue.submit(model, { input })).request_id),
		watch: (model, requestId, onStatus, signal) =>
			classified(async () => {
				const stream = await client.queue.streamStatus(model, { requestId, logs: true });
				const abort = () => stream.abort();
				signal.addEventListener('abort', abort, { once: true });
				try {
					stream.on('data', onStatus);
					const final = await stream.done();
					if (signal.aborted) throw signal.reason;
					return final;
				} finally {
					signal.removeEventListener('abort', abort);
				}
			}),
		result: (model, requestId) => classified(async () => pickVideo((await client.queue.result(model, { requestId })).data)),
		cancel: (model, requestId) =>
			classified(async () => {
				await client.queue.cancel(model, { requestId });
			}),
	};
}
