import { openAsBlob } from 'node:fs';
import {
	DiscordAPIError,
	InteractionWebhook,
	MessageFlags,
	MessagePayload,
	RESTJSONErrorCodes,
	Routes,
	type APIMessage,
	type Client,
	type Message,
	type SendableChannels,
} from 'discord.js';
import type { JobPatch, JobRow } from '../domain/job.js';
import type { FileOnDisk, JobMessenger } from '../jobs/ports.js';
import { customId } from './custom-ids.js';
import { ThrottledProgress } from './progress-throttle.js';
import { messagesFor } from './views/i18n/index.js';
import { renderProgress, type ProgressPayload } from './views/progress-card.js';
import { addressed, mention, refusalText } from './views/refusals.js';
import { renderResult } from './views/result-card.js';

export interface MessengerOptions {
	/** Minimum time between two card edits of one job. */
	readonly progressIntervalMs?: number;
	readonly onProgressError?: (error: unknown) => void;
	/** The bot's own user id; a worker process (no gateway) reads it over REST. Default: the logged-in client's. */
	readonly botUserId?: () => string;
}

const NO_CHANNEL_ACCESS = new Set<number | string>([RESTJSONErrorCodes.MissingPermissions, RESTJSONErrorCodes.MissingAccess]);
/** Interaction tokens live 15 minutes; past this the channel routes are used without trying. */
const TOKEN_LIFETIME_MS = 15 * 60_000 - 30_000;

/**
 * The interaction can no longer be used: its token expired (50027), or it was never acknowledged,
 * e.g. the bot died between recording the job and deferring (10015). Either way, use the channel.
 */
export const isInteractionGone = (error: unknown) =>
	error instanceof DiscordAPIError && (error.code === RESTJSONErrorCodes.InvalidWebhookToken || error.code === RESTJSONErrorCodes.UnknownWebhook);

/** How far past its card a restarted job looks for its own result (pages of 100 messages). */
const FIND_PAGES = 10;

/**
 * The job's result among the bot's messages after its card (every one, up to 1,000 messages
 * later), or among the latest 100 when it has no card; recognised by its Delete button, whose id
 * names the job whatever language the post is worded in.
 */
async function findResultInChannel(target: SendableChannels, botId: string, job: JobRow): Promise<Message | undefined> {
	const deleteId = customId('delete', job.id);
	const isResult = (message: Message) =>
		message.author.id === botId &&
		message.components.some((row) => 'components' in row && row.components.some((part) => 'customId' in part && part.customId === deleteId));
	if (!job.progressMessageId) return (await target.messages.fetch({ limit: 100 })).find(isResult);
	let after = job.progressMessageId;
	for (let page = 0; page < FIND_PAGES; page += 1) {
		const batch = await target.messages.fetch({ after, limit: 100 });
		const found = batch.find(isResult);
		if (found || batch.size < 100) return found;
		// Snowflakes grow with time: the largest id is the newest message of the page.
		after = [...batch.keys()].reduce((a, b) => (BigInt(a) > BigInt(b) ? a : b));
	}
	return undefined;
}

/** Discord keeps an enforced nonce for a few minutes: a repeated post returns the first message. */
export const jobNonce = (jobId: string) => `animate:${jobId}`.slice(0, 25);

/**
 * How a job talks to its requester: through the interaction while its token lives, then the
 * channel. Card edits are throttled; texts come from the views.
 */
export function createJobMessenger(
	client: Client<true>,
	initial: JobRow,
	persist: (patch: JobPatch) => Promise<JobRow>,
	options: MessengerOptions = {},
): JobMessenger {
	/**
	 * A message with one attachment streamed from disk, still through discord.js's REST client
	 * (rate limits, retries): discord.js itself would read the file into a Buffer and copy it into a
	 * Blob, holding the video two or three times over. The JSON part is built by discord.js.
	 */
	const sendWithFile = async (
		method: 'post' | 'patch',
		route: `/${string}`,
		payload: MessagePayload,
		file: FileOnDisk,
		isWebhook = false,
	): Promise<APIMessage> => {
		const { body } = payload.resolveBody();
		const form = new FormData();
		form.append('payload_json', JSON.stringify({ ...body, attachments: [{ id: '0', filename: file.name }] }));
		form.append('files[0]', await openAsBlob(file.path, { type: file.contentType }), file.name);
		return (await client.rest[method](route, {
			body: form,
			passThroughBody: true,
			...(isWebhook ? { auth: false, ...(method === 'post' ? { query: new URLSearchParams({ wait: 'true' }) } : {}) } : {}),
		})) as APIMessage;
	};
	let job = initial;
	// Every word of the job in the language it was asked in, however long ago and after restarts.
	const m = messagesFor(job.locale);
	const messageUrl = (id: string) => `https://discord.com/channels/${job.guildId || '@me'}/${job.channelId}/${id}`;
	const webhook = new InteractionWebhook(client, job.applicationId, job.interactionToken);
	// A reaction-started job has no interaction at all: it talks in the channel from the start.
	const tokenUsable = () => job.interactionToken !== '' && !job.tokenExpired && Date.now() - job.interactionAt < TOKEN_LIFETIME_MS;
	const update = async (patch: JobPatch) => {
		job = await persist(patch);
	};
	/** The member's DM with the bot: where a job that reaches them only through the interaction goes after 15 minutes. */
	const dm = () => client.users.createDM(job.userId);
	const channel = async (): Promise<SendableChannels> => {
		// Read over REST when not cached: a worker, or a shard that does not hold this server, has no
		// gateway copy of the server, and discord.js builds the channel without it only when told so.
		const found = await client.channels.fetch(job.channelId, { allowUnknownGuild: true });
		if (!found?.isSendable()) throw new Error(`channel ${job.channelId} is not a text channel`);
		return found;
	};
	/** Runs through the interaction webhook; on an expired token, remembers it and returns undefined. */
	const viaWebhook = async <T>(action: () => Promise<T>): Promise<T | undefined> => {
		if (!tokenUsable()) return undefined;
		try {
			return await action();
		} catch (error) {
			if (!isInteractionGone(error)) throw error;
			await update({ tokenExpired: true });
			return undefined;
		}
	};

	/** Set once the video itself went into the card (a resumed delivery through the interaction). */
	let cardIsResult = false;
	const editProgress = async (payload: ProgressPayload): Promise<void> => {
		if (cardIsResult) return;
		const edited = await viaWebhook(() => webhook.editMessage('@original', payload));
		if (edited) {
			if (job.progressMessageId !== edited.id) await update({ progressMessageId: edited.id });
			return;
		}
		// The card lives in a channel the bot cannot see: once the token is gone it stays as it was
		// (it said beforehand that the video would come by DM).
		if (job.reach === 'interaction') return;
		const target = await channel();
		if (job.progressMessageId) {
			await target.messages.edit(job.progressMessageId, payload);
			return;
		}
		// No interaction to answer (a reaction, or a crash before the defer): a card of its own,
		// replying to the image's post when there is one.
		const message = await target.send({
			...payload,
			content: mention(job.userId),
			allowedMentions: { users: [job.userId] },
			...(job.sourceMessageId ? { reply: { messageReference: job.sourceMessageId, failIfNotExists: false } } : {}),
		});
		await update({ progressMessageId: message.id });
	};
	const progress = new ThrottledProgress((view) => editProgress(renderProgress(view, m)), options.progressIntervalMs, options.onProgressError);

	return {
		attachmentSizeLimit: job.attachmentSizeLimit,
		showProgress: (view) => progress.update(view),
		settle: (view) => progress.flush(view),
		async postResult(card, file) {
			const payload = renderResult(card, m);
			/** The video as a follow-up of the interaction, while its token lives. */
			const followUp = () =>
				viaWebhook(async () => {
					if (job.deliveryRoute === 'follow-up') {
						// An earlier try may have posted a follow-up before the crash, and follow-ups can be
						// neither read back nor deduplicated: put the video in the card instead, an edit that
						// is the same however often it is made.
						cardIsResult = true;
						return file
							? sendWithFile(
									'patch',
									Routes.webhookMessage(job.applicationId, job.interactionToken),
									MessagePayload.create(webhook, payload),
									file,
									true,
								)
							: webhook.editMessage('@original', payload);
					}
					await update({ deliveryRoute: 'follow-up' });
					return file
						? sendWithFile('post', Routes.webhook(job.applicationId, job.interactionToken), MessagePayload.create(webhook, payload), file, true)
						: webhook.send(payload);
				});
			/** A post in a channel the bot sees, carrying the job's enforced nonce so a retry cannot post twice. */
			const post = async (target: SendableChannels, reply: string | null) => {
				const options = {
					...payload,
					nonce: jobNonce(job.id),
					enforceNonce: true,
					...(reply ? { reply: { messageReference: reply, failIfNotExists: false } } : {}),
				};
				return file
					? (await sendWithFile('post', Routes.channelMessages(target.id), MessagePayload.create(target, options), file)).id
					: (await target.send(options)).id;
			};
			if (job.reach === 'interaction') {
				// A user installation: no channel to post in. The card's follow-up, else the member's DMs.
				const sent = await followUp();
				if (sent) return { id: sent.id, url: '', via: 'follow-up' };
				await update({ deliveryRoute: 'dm' });
				const target = await dm();
				const id = await post(target, null);
				return { id, url: `https://discord.com/channels/@me/${target.id}/${id}`, via: 'dm' };
			}
			try {
				const id = await post(await channel(), job.progressMessageId);
				return { id, url: messageUrl(id), via: 'channel' };
			} catch (error) {
				if (!(error instanceof DiscordAPIError && NO_CHANNEL_ACCESS.has(error.code))) throw error;
				const sent = await followUp();
				if (!sent) throw error;
				return { id: sent.id, url: messageUrl(sent.id), via: 'follow-up' };
			}
		},
		async refuse(refusal) {
			const content = refusalText(refusal, m);
			const sent = await viaWebhook(async () => {
				// A public deferred reply cannot turn private: remove it, answer privately.
				await webhook.deleteMessage('@original').catch(() => undefined);
				return webhook.send({ content, flags: MessageFlags.Ephemeral });
			});
			if (!sent) {
				const target = job.reach === 'interaction' ? await dm() : await channel();
				await target.send({ content: addressed(job.userId, content, m), allowedMentions: { users: [job.userId] } });
			}
		},
		async findDelivered() {
			if (job.deliveryRoute === 'follow-up') return undefined;
			const botId = options.botUserId?.() ?? client.user.id;
			if (job.reach === 'interaction') {
				// Only a DM can have been posted (a follow-up is recorded as such before it is tried).
				if (job.deliveryRoute !== 'dm') return undefined;
				const found = await findResultInChannel(await dm(), botId, { ...job, progressMessageId: null });
				return found ? { id: found.id, url: found.url, via: 'dm' } : undefined;
			}
			try {
				const found = await findResultInChannel(await channel(), botId, job);
				return found ? { id: found.id, url: found.url, via: 'channel' } : undefined;
			} catch (error) {
				// A channel the bot cannot read: the post that follows carries the job's enforced nonce.
				if (error instanceof DiscordAPIError && NO_CHANNEL_ACCESS.has(error.code)) return undefined;
				throw error;
			}
		},
	};
}
