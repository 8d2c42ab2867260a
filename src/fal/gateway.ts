import { createFalClient } from '@fal-ai/client';
import { FalJobFailed } from '../domain/errors.js';
import type { FalFile, FalGateway, FalStatus, FalVideoResult } from '../jobs/ports.js';
import { classifyFalError } from './errors.js';

export { classifyFalError } from './errors.js';

export interface FalGatewayOptions {
	readonly key: string;
	readonly proxyUrl: string | undefined;
}

/** SVD's schema names the video `image`; related models call it `video`. Either is accepted. */
export function pickVideo(data: unknown): FalVideoResult {
	const record = (data ?? {}) as Record<string, unknown>;
	const file = (record['image'] ?? record['video']) as Partial<FalFile> | undefined;
	if (!file || typeof file.url !== 'string') {
		throw new FalJobFailed(`fal result has no video file (keys: ${Object.keys(record).join(', ') || 'none'})`, { errorType: 'no_media_generated' });
	}
	const seed = typeof record['seed'] === 'number' ? record['seed'] : undefined;
	return { video: file as FalFile, seed };
}

const classified = async <T>(call: () => Promise<T>): Promise<T> => {
	try {
		return await call();
	} catch (error) {
		throw classifyFalError(error);
	}
};

/** fal through its official client: queue, status (one request or the stream), result, cancel and storage. */
export function createFalGateway({ key, proxyUrl }: FalGatewayOptions): FalGateway {
	const client = createFalClient({
		credentials: key,
		...(proxyUrl ? { proxyUrl: { url: proxyUrl, when: 'always' as const } } : {}),
	});
	return {
		upload: (bytes, contentType, fileName) => classified(() => client.storage.upload(new File([bytes], fileName, { type: contentType }))),
		submit: (model, input, options) =>
			classified(
				async () => (await client.queue.submit(model, { input, ...(options?.webhookUrl ? { webhookUrl: options.webhookUrl } : {}) })).request_id,
			),
		status: (model, requestId) => classified(async () => (await client.queue.status(model, { requestId, logs: false })) as FalStatus),
		watch: (model, requestId, onStatus, signal) =>
			classified(async () => {
				// The signal may already have fired (a cancel during submit): never open a stream nobody will close.
				signal.throwIfAborted();
				const stream = await client.queue.streamStatus(model, { requestId, logs: true });
				const abort = () => stream.abort();
				signal.addEventListener('abort', abort, { once: true });
				try {
					if (signal.aborted) abort();
					stream.on('data', onStatus);
					const final = await stream.done();
					signal.throwIfAborted();
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
