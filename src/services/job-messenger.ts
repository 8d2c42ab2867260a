import {
	DiscordAPIError,
	InteractionWebhook,
	RESTJSONErrorCodes,
	type Client,
	type Message,
	type MessageCreateOptions,
	type WebhookMessageEditOptions,
} from 'discord.js';

/** Where a job talks to its requester; plain ids, so it can be rebuilt without the interaction. */
export interface JobTarget {
	readonly applicationId: string;
	readonly interactionToken: string;
	readonly channelId: string;
	readonly userId: string;
	readonly attachmentSizeLimit: number;
}

export type ResultPayload = Pick<MessageCreateOptions, 'content' | 'embeds' | 'files' | 'allowedMentions'>;

export interface JobMessenger {
	readonly target: JobTarget;
	/** Edits the progress reply (the deferred interaction response). Returns its message id. */
	editProgress(payload: WebhookMessageEditOptions): Promise<string>;
	/**
	 * Posts the finished video in the channel as a reply to the progress message; when the bot may
	 * not post there, falls back to the interaction's follow-up, which needs no channel permission.
	 */
	postResult(payload: ResultPayload, replyTo: string | undefined): Promise<{ message: Message; via: 'channel' | 'follow-up' }>;
}

const NO_CHANNEL_ACCESS = new Set<number | string>([RESTJSONErrorCodes.MissingPermissions, RESTJSONErrorCodes.MissingAccess]);

export function createJobMessenger(client: Client<true>, target: JobTarget): JobMessenger {
	const webhook = new InteractionWebhook(client, target.applicationId, target.interactionToken);
	return {
		target,
		async editProgress(payload) {
			const message = await webhook.editMessage('@original', payload);
			return message.id;
		},
		async postResult(payload, replyTo) {
			try {
				const channel = await client.channels.fetch(target.channelId);
				if (!channel?.isSendable()) throw new Error(`channel ${target.channelId} is not a text channel`);
				const message = await channel.send({
					...payload,
					...(replyTo ? { reply: { messageReference: replyTo, failIfNotExists: false } } : {}),
				});
				return { message, via: 'channel' };
			} catch (error) {
				if (!(error instanceof DiscordAPIError && NO_CHANNEL_ACCESS.has(error.code))) throw error;
				const message = await webhook.send(payload);
				return { message, via: 'follow-up' };
			}
		},
	};
}
