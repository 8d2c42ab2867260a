import type { APIMessage, APIUser } from 'discord.js';
import type { RecordedRequest } from '../../fakes/discord/index.js';
import type { World } from './world.js';

export type MessageBody = {
	content?: string;
	flags?: number;
	embeds?: { title?: string; description?: string; url?: string; fields?: { name: string; value: string }[] }[];
	components?: { components: { custom_id?: string; label?: string }[] }[];
	message_reference?: { message_id: string };
};

export const bodyOf = (r: RecordedRequest) => (r.body ?? {}) as MessageBody;
export const titleOf = (r: RecordedRequest) => bodyOf(r).embeds?.[0]?.title ?? '';
export const descriptionOf = (r: RecordedRequest) => bodyOf(r).embeds?.[0]?.description ?? '';
export const isVideoPost = (r: RecordedRequest) => r.route === 'POST /channels/:channel/messages' && r.status === 200 && r.files.length === 1;
/** The data of an interaction callback of type 4 (a direct reply). */
export const replyOf = (r: RecordedRequest) => (r.body as { type: number; data: MessageBody }).data;

/** A predicate true only for requests recorded after this call, so one step never reads another's. */
export function since(world: World): (r: RecordedRequest) => boolean {
	const earlier = new Set(world.discord.requests);
	return (r) => !earlier.has(r);
}

/** The callback answering an interaction. */
export const callbackFor = (world: World, interactionId: string) =>
	world.discord.waitForRequest((r) => r.route === 'POST /interactions/:id/:token/callback' && r.path.includes(interactionId));

/** A member's post carrying fixture images. */
export function postImages(world: World, fixtures: readonly string[], author: APIUser = world.discord.users[1]!): APIMessage {
	return world.discord.dispatchMessageCreate({
		author,
		content: 'look at this',
		attachments: fixtures.map((name) => world.discord.addAttachment(name)),
	});
}

/** Runs a slash command with (sub)command options. */
export function runCommand(world: World, name: string, options: unknown[] = [], user: APIUser = world.discord.users[0]!) {
	return world.discord.dispatchChatInput({ name, options: options as never, user });
}
