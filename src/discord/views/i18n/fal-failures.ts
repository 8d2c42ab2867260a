/** fal's documented error types, grouped by what the member should hear; each language words every group. */
const GROUPS = [
	['timeout', /^(request_timeout|startup_timeout|generation_timeout)$/],
	['content-policy', /^content_policy_violation$/],
	['image-too-small', /^image_too_small$/],
	['image-too-large', /^(image_too_large|file_too_large)$/],
	['unreadable', /^(image_load_error|unsupported_image_format|invalid_archive)$/],
	['download', /^file_download_error$/],
	['no-video', /^no_media_generated$/],
	['no-face', /^face_detection_error$/],
] as const;

/** `other` for anything fal did not document: "fal reported an error". */
export type FalFailure = (typeof GROUPS)[number][0] | 'other';

export const falFailure = (errorType: string): FalFailure => GROUPS.find(([, pattern]) => pattern.test(errorType))?.[0] ?? 'other';
