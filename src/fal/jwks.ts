/**
 * fal's webhook signing keys (a JWKS of Ed25519 keys), fetched and cached as webhooks.md section 5
 * says: kept at most 24 hours, fetched again early when no cached key verifies (fal rotated its
 * key). Every fetch, early or not, is at least a minute after the previous one, so a flood of
 * forged webhooks cannot make the bot hammer fal (they then fail verification, fal's real retries
 * come later and pass).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';

export interface JwksCacheOptions {
	readonly url: string;
	readonly fetch?: typeof fetch;
	readonly now?: () => number;
	/** Longest a fetched key set is used. fal: "Do not cache longer than 24 hours". */
	readonly maxAgeMs?: number;
	/** Shortest time between two fetches. Default one minute. */
	readonly minFetchIntervalMs?: number;
	readonly timeoutMs?: number;
	/** A JWKS is a few hundred bytes; anything far larger is not fal's. */
	readonly maxBytes?: number;
}

export interface JwksCache {
	/** The keys in force: cached ones while fresh, else fetched (undefined: none, and no fetch allowed or it failed). */
	current(): Promise<readonly KeyObject[] | undefined>;
	/** Fetches again if the last fetch is at least a minute old; undefined when it may not or failed. */
	refresh(): Promise<readonly KeyObject[] | undefined>;
}

export const JWKS_MAX_AGE_MS = 24 * 60 * 60 * 1000;
export const JWKS_MIN_FETCH_INTERVAL_MS = 60 * 1000;

/** Imports every usable Ed25519 key of a JWKS; the others are skipped (fal only promises `x`). */
export function importJwks(json: unknown): KeyObject[] {
	const keys = (json as { keys?: unknown } | null)?.keys;
	if (!Array.isArray(keys)) return [];
	const imported: KeyObject[] = [];
	for (const entry of keys) {
		const x = (entry as { x?: unknown } | null)?.x;
		if (typeof x !== 'string') continue;
		try {
			// Node accepts padded and unpadded base64url `x` (webhooks.md section 5).
			imported.push(createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }));
		} catch {
			// A malformed key: the others may still verify.
		}
	}
	return imported;
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
	if (Number(response.headers.get('content-length') ?? 0) > maxBytes) throw new Error(`JWKS over ${maxBytes} bytes`);
	if (!response.body) return '';
	const chunks: Uint8Array[] = [];
	let size = 0;
	// Leaving the loop early (throw) cancels the stream: nothing more is downloaded.
	for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
		size += chunk.length;
		if (size > maxBytes) throw new Error(`JWKS over ${maxBytes} bytes`);
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

export function createJwksCache(options: JwksCacheOptions): JwksCache {
	const fetchImpl = options.fetch ?? fetch;
	const now = options.now ?? Date.now;
	const maxAgeMs = options.maxAgeMs ?? JWKS_MAX_AGE_MS;
	const minIntervalMs = options.minFetchIntervalMs ?? JWKS_MIN_FETCH_INTERVAL_MS;
	const timeoutMs = options.timeoutMs ?? 5_000;
	const maxBytes = options.maxBytes ?? 64 * 1024;

	let keys: { readonly list: readonly KeyObject[]; readonly at: number } | undefined;
	let lastAttempt = -Infinity;
	// Concurrent webhooks share one fetch instead of each starting their own.
	let inFlight: Promise<readonly KeyObject[] | undefined> | undefined;

	async function download(): Promise<readonly KeyObject[] | undefined> {
		try {
			const response = await fetchImpl(options.url, {
				method: 'GET',
				headers: { accept: 'application/json' },
				redirect: 'error',
				signal: AbortSignal.timeout(timeoutMs),
			});
			if (!response.ok) {
				await response.body?.cancel();
				return undefined;
			}
			const list = importJwks(JSON.parse(await readCapped(response, maxBytes)));
			if (list.length === 0) return undefined;
			keys = { list, at: now() };
			return list;
		} catch {
			// Unreachable, slow, too big or not JSON: the caller answers so that fal retries later.
			return undefined;
		}
	}

	function refresh(): Promise<readonly KeyObject[] | undefined> {
		if (inFlight) return inFlight;
		if (now() - lastAttempt < minIntervalMs) return Promise.resolve(undefined);
		lastAttempt = now();
		inFlight = download().finally(() => (inFlight = undefined));
		return inFlight;
	}

	return {
		async current() {
			if (keys && now() - keys.at < maxAgeMs) return keys.list;
			keys = undefined;
			return refresh();
		},
		refresh,
	};
}
