/** Interaction callbacks and the interaction webhooks (@original, follow-ups). */
import type { APIMessage } from 'discord-api-types/v10';
import type { FakeDiscord } from '../index.js';
import { ApiError, Errors, type UploadedFile } from '../http.js';
import type { FormError } from '../validation.js';
import { isSnowflake } from '../snowflake.js';
import type { CallbackRecord, InteractionRecord, RecordedRequest, Reply, RouteAdder } from '../types.js';
import { EPHEMERAL, LOADING } from '../util.js';
import { messageLimitErrors } from '../message-limits.js';

export function defineInteractionRoutes(fake: FakeDiscord, route: RouteAdder): void {
	// Interaction callback (no bot auth: the interaction token authenticates)
	route(
		'POST',
		'/interactions/:id/:token/callback',
		({ params, body, files, query, record }) => {
			const interaction = fake.interactions.get(params.id ?? '');
			if (!interaction || interaction.token !== params.token) throw Errors.unknownInteraction();
			record.interactionId = interaction.id;
			const payload = (body ?? {}) as { type?: number; data?: Record<string, unknown> | null };
			const callback: CallbackRecord = { type: Number(payload.type), at: record.at, status: 0, data: payload.data ?? null };
			interaction.callbacks.push(callback);
			try {
				const reply = interactionCallback(fake, interaction, payload, files, query, record.at);
				callback.status = reply.status;
				return reply;
			} catch (error) {
				callback.status = error instanceof ApiError ? error.status : 500;
				throw error;
			}
		},
		false,
	);

	// Interaction webhooks (no bot auth)
	route(
		'POST',
		'/webhooks/:app/:token',
		({ params, body, files, record }) => {
			const interaction = fake.webhookInteraction(params.app ?? '', params.token ?? '');
			record.interactionId = interaction.id;
			if (interaction.acknowledgedAt === undefined) throw Errors.unknownWebhook();
			const data = (body ?? {}) as Record<string, unknown>;
			const limits = messageLimitErrors(data);
			if (limits.length > 0) throw Errors.formBody(limits);
			fake.assertNotEmpty(data, files);
			const original = interaction.originalMessageId ? fake.messagesById.get(interaction.originalMessageId) : undefined;
			// Documented backwards compatibility: the first followup after a deferred reply edits the loading message.
			if (interaction.responseType === 5 && original && (original.flags ?? 0) & LOADING) {
				return { status: 200, body: fake.editMessage(original, data, files, interaction.attachmentSizeLimit) };
			}
			const flags = typeof data.flags === 'number' ? data.flags : 0;
			const ephemeral = (flags & EPHEMERAL) !== 0;
			const built = fake.payloadToMessage(data, files, interaction.channelId, interaction.attachmentSizeLimit, ephemeral);
			const message = fake.createMessage({
				channelId: interaction.channelId,
				author: fake.botUser,
				...built,
				flags: built.flags & (EPHEMERAL | (1 << 2) | (1 << 12) | (1 << 15)),
				type: fake.interactionMessageType(interaction),
				extra: { webhook_id: fake.application.id, application_id: fake.application.id, interaction_metadata: fake.interactionMetadata(interaction) },
			});
			interaction.followupIds.push(message.id);
			return { status: 200, body: fake.publicMessage(message) };
		},
		false,
	);
	const webhookMessage = (params: Record<string, string>, record: RecordedRequest): { interaction: InteractionRecord; message: APIMessage } => {
		const interaction = fake.webhookInteraction(params.app ?? '', params.token ?? '');
		record.interactionId = interaction.id;
		if (params.message === '@original') {
			if (interaction.acknowledgedAt === undefined || !interaction.originalMessageId) throw Errors.unknownWebhook();
			const message = fake.messagesById.get(interaction.originalMessageId);
			if (!message) throw Errors.unknownMessage();
			return { interaction, message };
		}
		if (!isSnowflake(params.message))
			throw Errors.formBody([{ path: ['message_id'], code: 'NUMBER_TYPE_COERCE', message: `Value "${String(params.message)}" is not snowflake.` }]);
		const ids = [interaction.originalMessageId, ...interaction.followupIds];
		const message = ids.includes(params.message) ? fake.messagesById.get(params.message ?? '') : undefined;
		if (!message) throw Errors.unknownMessage();
		return { interaction, message };
	};
	route(
		'GET',
		'/webhooks/:app/:token/messages/:message',
		({ params, record }) => ({ status: 200, body: fake.publicMessage(webhookMessage(params, record).message) }),
		false,
	);
	route(
		'PATCH',
		'/webhooks/:app/:token/messages/:message',
		({ params, body, files, record }) => {
			const { interaction, message } = webhookMessage(params, record);
			return { status: 200, body: fake.editMessage(message, (body ?? {}) as Record<string, unknown>, files, interaction.attachmentSizeLimit) };
		},
		false,
	);
	route(
		'DELETE',
		'/webhooks/:app/:token/messages/:message',
		({ params, record }) => {
			const { message } = webhookMessage(params, record);
			fake.deleteMessage(message);
			return { status: 204 };
		},
		false,
	);
}

/**
 * Discord's checks on an autocomplete result beyond the spec's schema (which already bounds the
 * number of choices, their names, and values to strings or numbers; `choices` itself may be left
 * out): a string value of at most 100 characters, of the focused option's type.
 */
function autocompleteErrors(data: Record<string, unknown>, focusedType: number | undefined): FormError[] {
	const choices = Array.isArray(data['choices']) ? (data['choices'] as { value?: unknown }[]) : [];
	// Text for a string option, a number for integer and number ones.
	const wanted = focusedType === 3 ? 'string' : focusedType === 4 || focusedType === 10 ? 'number' : undefined;
	const errors: FormError[] = [];
	choices.forEach((choice, i) => {
		const path = ['data', 'choices', String(i), 'value'];
		if (typeof choice.value === 'string' && [...choice.value].length > 100) {
			errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' });
		}
		if (wanted !== undefined && typeof choice.value !== wanted) {
			errors.push({ path, code: 'BASE_TYPE_CHOICES', message: 'Value is not a valid choice for this option type.' });
		}
	});
	return errors;
}

export function interactionCallback(
	fake: FakeDiscord,
	interaction: InteractionRecord,
	payload: { type?: number; data?: Record<string, unknown> | null },
	files: UploadedFile[],
	query: URLSearchParams,
	at: number,
): Reply {
	if (interaction.acknowledgedAt !== undefined) throw Errors.alreadyAcknowledged();
	if (at - interaction.dispatchedAt > fake.callbackDeadlineMs) throw Errors.unknownInteraction();
	const type = Number(payload.type);
	// Autocomplete (4) takes only a result (8); commands and components never do.
	const allowed = interaction.type === 4 ? [8] : interaction.type === 2 ? [4, 5, 9, 12] : [4, 5, 6, 7, 9, 12];
	if (!allowed.includes(type)) {
		throw Errors.formBody([
			{
				path: ['type'],
				code: 'INTERACTION_RESPONSE_TYPE_INVALID',
				message: `Interaction response type ${type} is not valid for this interaction type.`,
			},
		]);
	}
	const data = payload.data ?? {};
	if (type === 8) {
		const options = (interaction.payload['data'] as { options?: { focused?: boolean; type?: number }[] } | undefined)?.options ?? [];
		const errors = autocompleteErrors(data, options.find((o) => o.focused)?.type);
		if (errors.length > 0) throw Errors.formBody(errors);
		interaction.acknowledgedAt = at;
		interaction.responseType = type;
		return { status: 204 };
	}
	if (type === 4 || type === 7) {
		const limits = messageLimitErrors(data, ['data']);
		if (limits.length > 0) throw Errors.formBody(limits);
	}
	if (type === 4) fake.assertNotEmpty(data, files);
	if (files.length > 0 && type !== 4 && type !== 7)
		throw Errors.formBody([{ path: ['files'], code: 'BASE_TYPE_INVALID', message: 'Files are only allowed with message responses.' }]);
	for (const file of files) if (file.size > interaction.attachmentSizeLimit) throw Errors.tooLarge();

	let message: APIMessage | undefined;
	const flags = typeof data.flags === 'number' ? data.flags : 0;
	const ephemeral = (flags & EPHEMERAL) !== 0;
	const extra = { webhook_id: fake.application.id, application_id: fake.application.id, interaction_metadata: fake.interactionMetadata(interaction) };
	if (type === 4) {
		const built = fake.payloadToMessage(data, files, interaction.channelId, interaction.attachmentSizeLimit, ephemeral);
		message = fake.createMessage({
			channelId: interaction.channelId,
			author: fake.botUser,
			...built,
			flags: built.flags & (EPHEMERAL | (1 << 2) | (1 << 12) | (1 << 15)),
			type: fake.interactionMessageType(interaction),
			extra,
		});
		interaction.originalMessageId = message.id;
	} else if (type === 5) {
		message = fake.createMessage({
			channelId: interaction.channelId,
			author: fake.botUser,
			content: '',
			embeds: [],
			attachments: [],
			flags: LOADING | (ephemeral ? EPHEMERAL : 0),
			type: fake.interactionMessageType(interaction),
			extra,
		});
		interaction.originalMessageId = message.id;
	} else if (type === 6 || type === 7) {
		const source = interaction.sourceMessageId ? fake.messagesById.get(interaction.sourceMessageId) : undefined;
		interaction.originalMessageId = interaction.sourceMessageId;
		if (type === 7 && source) {
			fake.editMessage(source, data, files, interaction.attachmentSizeLimit);
			message = source;
		} else if (type === 6) {
			message = source;
		}
	}
	interaction.acknowledgedAt = at;
	interaction.responseType = type;
	if (query.get('with_response') !== 'true') return { status: 204 };
	const stored = message ? fake.messagesById.get(message.id) : undefined;
	return {
		status: 200,
		body: {
			interaction: {
				id: interaction.id,
				type: interaction.type,
				...(stored
					? {
							response_message_id: stored.id,
							response_message_loading: ((stored.flags ?? 0) & LOADING) !== 0,
							response_message_ephemeral: ((stored.flags ?? 0) & EPHEMERAL) !== 0,
						}
					: {}),
			},
			resource: { type, ...(stored && type !== 6 ? { message: fake.publicMessage(stored) } : {}) },
		},
	};
}
