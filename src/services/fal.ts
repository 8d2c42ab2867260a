import { ApiError, createFalClient, ValidationError, type QueueStatus } from '@fal-ai/client';

export { ApiError, ValidationError, type QueueStatus };

/** A generated file as fal describes it. */
export interface FalFile {
	readonly url: string;
	readonly content_type?: string;
	readonly file_name?: string;
	readonly file_size?: number;
}

export interface FalVideoResult {
	readonly video: FalFile;
	readonly seed: number | undefined;
}

/** The slice of fal the bot uses; tests and services depend on this, not on the client. */
export interface FalGateway {
	upload(bytes: Uint8Array, contentType: string, fileName: string): Promise<string>;
	submit(model: string, input: Record<string, unknown>): Promise<string>;
	/**
	 * Follows the request over fal's status stream (one long request, not polling) until it
	 * completes; calls onStatus for each update. Rejects if the stream fails or signal aborts.
	 */
	watch(model: string, requestId: string, onStatus: (status: QueueStatus) => void, signal: AbortSignal): Promise<QueueStatus>;
	result(model: string, requestId: string): Promise<FalVideoResult>;
	cancel(model: string, requestId: string): Promise<void>;
}

export interface FalGatewayOptions {
	readonly key: string;
	readonly proxyUrl: string | undefined;
}

/** SVD's schema names the video `image`; related models call it `video`. Either is accepted. */
export function pickVideo(data: unknown): FalVideoResult {
	const record = (data ?? {}) as Record<string, unknown>;
	const file = (record['image'] ?? record['video']) as Partial<FalFile> | undefined;
	if (!file || typeof file.url !== 'string') {
		throw new Error(`fal result has no video file (keys: ${Object.keys(record).join(', ') || 'none'})`);
	}
	const seed = typeof record['seed'] === 'number' ? record['seed'] : undefined;
	return { video: file as FalFile, seed };
}

export function createFalGateway({ key, proxyUrl }: FalGatewayOptions): FalGateway {
	const client = createFalClient({
		credentials: key,
		...(proxyUrl ? { proxyUrl: { url: proxyUrl, when: 'always' as const } } : {}),
	});
	return {
		async upload(bytes, contentType, fileName) {
			return client.storage.upload(new File([bytes], fileName, { type: contentType }));
		},
		async submit(model, input) {
			const { request_id: requestId } = await client.queue.submit(model, { input });
			return requestId;
		},
		async watch(model, requestId, onStatus, signal) {
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
		},
		async result(model, requestId) {
			const { data } = await client.queue.result(model, { requestId });
			return pickVideo(data);
		},
		async cancel(model, requestId) {
			await client.queue.cancel(model, { requestId });
		},
	};
}
