import { ApiError, ValidationError } from '@fal-ai/client';
import { FalJobFailed, FalRejected, FalUnreachable, isNetworkError } from '../domain/errors.js';

/**
 * Pydantic's validation types: a 422 made only of these is about the input the member chose
 * (named by option); any other type (content_policy_violation, image_too_small…) is fal failing
 * the job for a reason of its own.
 */
const INPUT_ERROR =
	/^(missing|extra_forbidden|(greater|less)_than(_equal)?|multiple_of|string_(too_short|too_long|type|pattern_mismatch)|literal_error|enum|one_of|(int|float|bool)_(type|parsing|from_float)|sequence_too_(short|long)|value_error|type_error.*|value_error.*)$/;

/** Unreachable, overloaded or briefly broken (worth waiting out), when the answer names no failure. */
const TRANSIENT_STATUS = (status: number) => status >= 500 || status === 429 || status === 408;

/** The `error_type` a failed request carries: in the body (`{detail, error_type}`) or its `detail[]` entries. */
function errorTypeOf(body: unknown): string | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const record = body as { error_type?: unknown; detail?: unknown };
	if (typeof record.error_type === 'string') return record.error_type;
	if (Array.isArray(record.detail)) {
		const first = record.detail.find((entry): entry is { type: string } => typeof (entry as { type?: unknown })?.type === 'string');
		return first?.type;
	}
	return undefined;
}

/**
 * The client's errors in the engine's terms, following fal's documented semantics: a 422 about
 * the input → FalRejected; a failure fal names (`error_type`) → FalJobFailed, never waited out;
 * no answer, or a 5xx that names nothing (fal unreachable, a gateway) → FalUnreachable.
 */
export function classifyFalError(error: unknown): unknown {
	if (error instanceof ValidationError) {
		const details = error.fieldErrors;
		if (details.length > 0 && details.every((detail) => INPUT_ERROR.test(String(detail.type)))) {
			return new FalRejected(
				error.message,
				details.map((detail) => ({ field: String(detail.loc.at(-1) ?? 'input'), message: detail.msg })),
			);
		}
		return new FalJobFailed(error.message, { cause: error, errorType: details[0]?.type ?? 'unprocessable' });
	}
	if (error instanceof ApiError) {
		const errorType = errorTypeOf(error.body);
		if (errorType) return new FalJobFailed(error.message, { cause: error, errorType });
		if (TRANSIENT_STATUS(error.status)) return new FalUnreachable(error.message, { cause: error });
		return new FalJobFailed(error.message, { cause: error });
	}
	if (isNetworkError(error)) return new FalUnreachable(error instanceof Error ? error.message : String(error), { cause: error });
	return error;
}
