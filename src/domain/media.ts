/** What the bytes of a file are, from their magic numbers; names and declared types are not trusted. */
export type FileKind = 'png' | 'jpeg' | 'webp' | 'gif' | 'zip' | 'mp4' | 'pdf' | 'text' | 'unknown';

export const IMAGE_KINDS: ReadonlySet<FileKind> = new Set(['png', 'jpeg', 'webp', 'gif']);

/** Hard limits on what a member may upload. */
export const MEDIA_LIMITS = {
	imageBytes: 20 * 1024 * 1024,
	zipBytes: 50 * 1024 * 1024,
	minSide: 64,
	maxSide: 4096,
	zipEntries: 300,
	/** Inflated bytes one zip entry may hold: a depth map is an image of at most maxSide², compressed. */
	zipEntryBytes: 16 * 1024 * 1024,
	/** Inflated bytes a whole zip may hold, counted while inflating: a few tens of MB, not hundreds. */
	zipUncompressedBytes: 64 * 1024 * 1024,
	/** Uncompressed/compressed size above which an entry is treated as a zip bomb. */
	zipRatio: 100,
} as const;

/** The most pixels an accepted image (or one frame of it) can have; decoders are held to this. */
export const MAX_IMAGE_PIXELS = MEDIA_LIMITS.maxSide * MEDIA_LIMITS.maxSide;

const MB = 1024 * 1024;

/** Discord's default upload limit, for an interaction that arrives without one. */
export const DEFAULT_ATTACHMENT_LIMIT = 10 * MB;

/** A server's upload limit by boost tier (0–3), for jobs that have no interaction to report it. */
export const uploadLimitOfTier = (tier: number): number => (tier >= 3 ? 100 * MB : tier === 2 ? 50 * MB : DEFAULT_ATTACHMENT_LIMIT);
