import type { Message } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { imagesIn } from '../../src/discord/message-images.js';

type Attachment = { url: string; name: string; contentType?: string };

/** The slice of a discord.js Message that imagesIn reads; `snapshots` are a forward's copies of the forwarded post. */
function message(attachments: Attachment[], embeds: object[], snapshots: { attachments: Attachment[]; embeds: object[] }[] = []): Message {
	const post = (a: Attachment[], e: object[]) => ({ attachments: new Map(a.map((one, i) => [String(i), one])), embeds: e });
	return {
		...post(attachments, embeds),
		messageSnapshots: new Map(snapshots.map((snapshot, i) => [String(i), post(snapshot.attachments, snapshot.embeds)])),
	} as unknown as Message;
}

describe('imagesIn', () => {
	it("takes attachments from the CDN and embedded pictures only through Discord's media proxy", () => {
		const images = imagesIn(
			message(
				[{ url: 'https://cdn.discordapp.com/attachments/1/2/cat.png?ex=1', name: 'cat.png', contentType: 'image/png' }],
				[
					{ image: { url: 'https://evil.example/dog.jpg', proxyURL: 'https://images-ext-1.discordapp.net/external/k/https/evil.example/dog.jpg' } },
					{ thumbnail: { url: 'https://evil.example/thumb.webp', proxyURL: 'https://media.discordapp.net/external/t/thumb.webp' } },
				],
			),
		);
		expect(images).toEqual([
			{ url: 'https://cdn.discordapp.com/attachments/1/2/cat.png?ex=1', name: 'cat.png' },
			{ url: 'https://images-ext-1.discordapp.net/external/k/https/evil.example/dog.jpg', name: 'dog.jpg' },
			{ url: 'https://media.discordapp.net/external/t/thumb.webp', name: 'thumb.webp' },
		]);
	});

	it("skips an embed without a proxy url rather than fetching the embed's own url", () => {
		expect(imagesIn(message([], [{ image: { url: 'https://evil.example/dog.jpg' } }]))).toEqual([]);
	});

	it("reads a forward's snapshot, after the post's own images, by the same rules", () => {
		const forward = message(
			[],
			[],
			[
				{
					attachments: [
						{ url: 'https://cdn.discordapp.com/attachments/1/2/notes.txt', name: 'notes.txt', contentType: 'text/plain' },
						{ url: 'https://cdn.discordapp.com/attachments/1/3/cat.webp', name: 'cat.webp' },
					],
					embeds: [
						{ image: { url: 'https://evil.example/no-proxy.png' } },
						{ image: { url: 'https://evil.example/dog.jpg', proxyURL: 'https://images-ext-1.discordapp.net/external/k/https/evil.example/dog.jpg' } },
					],
				},
			],
		);
		expect(imagesIn(forward)).toEqual([
			{ url: 'https://cdn.discordapp.com/attachments/1/3/cat.webp', name: 'cat.webp' },
			{ url: 'https://images-ext-1.discordapp.net/external/k/https/evil.example/dog.jpg', name: 'dog.jpg' },
		]);
		const own = { url: 'https://cdn.discordapp.com/attachments/1/4/own.png', name: 'own.png', contentType: 'image/png' };
		expect(
			imagesIn(message([own], [], [{ attachments: [{ url: 'https://cdn.discordapp.com/attachments/1/5/s.png', name: 's.png' }], embeds: [] }])),
		).toEqual([
			{ url: own.url, name: 'own.png' },
			{ url: 'https://cdn.discordapp.com/attachments/1/5/s.png', name: 's.png' },
		]);
	});

	it('finds nothing in a forward of a text-only post', () => {
		expect(imagesIn(message([], [], [{ attachments: [], embeds: [] }]))).toEqual([]);
	});
});
