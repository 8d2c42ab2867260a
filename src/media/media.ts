import { MEDIA_LIMITS } from '../domain/media.js';
import type { Media } from '../jobs/ports.js';
import { downloadLimited, downloadToFile, type Download, type DownloadTimeouts } from './download.js';
import { MediaPool } from './pool.js';

/** Where Discord serves files: its CDN, the attachment media proxy and the external-image proxies. */
export const DISCORD_MEDIA_ORIGINS: readonly string[] = [
	'https://cdn.discordapp.com',
	'https://media.discordapp.net',
	'https://images-ext-1.discordapp.net',
	'https://images-ext-2.discordapp.net',
];

export interface MediaTimeouts {
	/** Until the response headers arrive. */
	readonly headersMs: number;
	/** Between two chunks of a body. */
	readonly idleMs: number;
	/** A member's image or depth-map zip, start to end. */
	readonly inputTotalMs: number;
	/** The finished video (bigger, and from fal's storage), start to end. */
	readonly videoTotalMs: number;
}

export const DEFAULT_MEDIA_TIMEOUTS: MediaTimeouts = { headersMs: 10_000, idleMs: 15_000, inputTotalMs: 60_000, videoTotalMs: 180_000 };

export interface MediaOptions {
	/** Origins members' files may be downloaded from; Discord's by default. */
	readonly allowedOrigins?: readonly string[];
	/**
	 * Discord's API base when it is not Discord itself (DISCORD_API_URL): its origin serves
	 * attachments and the media proxy too, so it is allowed as well.
	 */
	readonly discordApiUrl?: string | undefined;
	readonly timeouts?: Partial<MediaTimeouts>;
	/** Worker threads for the checks (1–2). */
	readonly threads?: number;
}

export interface MediaAdapter extends Media {
	/** Lets running checks finish and ends the worker threads. */
	close(): Promise<void>;
}

/**
 * The media adapter: downloads what members send, from Discord only and within limits, and checks
 * it by its bytes in worker threads, off the event loop.
 */
export function createMedia(options: MediaOptions = {}): MediaAdapter {
	const allowed = new Set(options.allowedOrigins ?? DISCORD_MEDIA_ORIGINS);
	if (options.discordApiUrl) allowed.add(new URL(options.discordApiUrl).origin);
	const t = { ...DEFAULT_MEDIA_TIMEOUTS, ...options.timeouts };
	const inputTimeouts: DownloadTimeouts = { headersMs: t.headersMs, idleMs: t.idleMs, totalMs: t.inputTotalMs };
	const pool = new MediaPool(options.threads === undefined ? {} : { threads: options.threads });
	const input = (url: string, label: string, maxBytes: number, signal: AbortSignal): Download => ({
		url,
		label,
		maxBytes,
		allowed,
		timeouts: inputTimeouts,
		signal,
	});
	return {
		loadImage: async (source, signal) =>
			pool.image(await downloadLimited(input(source.url, source.name, MEDIA_LIMITS.imageBytes, signal)), source.name, signal),
		loadDepthMaps: async (source, signal) =>
			pool.depthMaps(await downloadLimited(input(source.url, source.name, MEDIA_LIMITS.zipBytes, signal)), source.name, signal),
		// The video's URL came from fal, so its own origin is allowed too; redirects still stay within the set.
		downloadToFile: (url, maxBytes, label, path, signal) =>
			downloadToFile(
				{
					url,
					label,
					maxBytes,
					allowed: new Set([...allowed, ...originsOf(url)]),
					timeouts: { headersMs: t.headersMs, idleMs: t.idleMs, totalMs: t.videoTotalMs },
					signal,
				},
				path,
			),
		close: () => pool.close(),
	};
}

/** The origin of an http(s) URL; nothing for anything else (a data: URL's origin is "null"). */
const originsOf = (url: string): string[] => {
	try {
		const parsed = new URL(url);
		return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? [parsed.origin] : [];
	} catch {
		return [];
	}
};
