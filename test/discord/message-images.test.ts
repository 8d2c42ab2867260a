import type { Message } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { imagesIn } from '../../src/discord/message-images.js';

/** The slice of a discord.js Message that imagesIn reads. */
function message(attachments: { url: string; name: string; contentType?: string }[], embeds: object[]): Message {
	return { attachments: new Map(attachments.map((a, i) => [String(i), a])), embeds } as unknown as Message;
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
});
