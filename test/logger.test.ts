import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { createLogger, scrubSecrets } from '../src/logger.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDe.abcdefghijklmnopqrstuvwxyz0123456789AB';
const FAL_KEY = '0b1c2d3e-aaaa-bbbb-cccc-1234567890ab:0123456789abcdef0123456789abcdef';
const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpzZWNyZXQ';

function capture() {
	const lines: string[] = [];
	const stream = new Writable({
		write(chunk: Buffer, _encoding, done) {
			lines.push(chunk.toString());
			done();
		},
	});
	return { lines, stream, text: () => lines.join('') };
}

describe('logger redaction', () => {
	it('never writes the token, the fal key, interaction tokens or signed query strings', () => {
		const config = parseConfig({ DISCORD_TOKEN: TOKEN, FAL_KEY });
		const out = capture();
		const log = createLogger({ level: 'debug', secrets: [config.discordToken, config.falKey], destination: out.stream });

		// Structured fields that carry secrets.
		log.info({ config, headers: { authorization: `Bot ${TOKEN}` } }, 'starting');
		log.info({ request: { headers: { Authorization: `Key ${FAL_KEY}` } } }, 'fal request');
		// Free text: an error path where a library put secrets in the message and stack.
		const error = new Error(
			`PATCH https://discord.com/api/v10/webhooks/123456789012345678/${INTERACTION_TOKEN}/messages/%40original failed with token ${TOKEN}`,
		);
		log.error({ err: error, attachment: 'https://cdn.discordapp.com/attachments/1/2/cat.png?ex=65&is=66&hm=deadbeefcafe' }, 'boom');
		log.warn(`fal said no to key ${FAL_KEY.split(':')[1]}`);

		const text = out.text();
		expect(out.lines).toHaveLength(4);
		for (const secret of [TOKEN, FAL_KEY, FAL_KEY.split(':')[1]!, INTERACTION_TOKEN, 'hm=deadbeefcafe']) {
			expect(text).not.toContain(secret);
		}
		expect(text).toContain('[redacted]');
		// What is not secret survives, so the logs stay useful.
		expect(text).toContain('https://cdn.discordapp.com/attachments/1/2/cat.png?[redacted]');
		expect(text).toContain('/webhooks/123456789012345678/[redacted]/messages');
		expect(text).toContain('"falModel":"fal-ai/svd"');
	});

	it('cuts interaction tokens out of rate-limit data by key, at any depth discord.js data is logged at', () => {
		const out = capture();
		const log = createLogger({ level: 'debug', secrets: [], destination: out.stream });
		const appId = '123456789012345678';
		// What discord.js hands to a rateLimited or debug listener for an interaction webhook route.
		const rateLimitData = {
			majorParameter: `${appId}/${INTERACTION_TOKEN}`,
			url: `https://discord.com/api/v10/webhooks/${appId}/${INTERACTION_TOKEN}/messages/@original`,
			route: `/interactions/:id/${INTERACTION_TOKEN}/callback`,
			hash: `Global(PATCH:/interactions/:id/${INTERACTION_TOKEN}/callback)`,
			method: 'PATCH',
			timeToReset: 1200,
		};
		log.warn(rateLimitData, 'rate limited');
		log.warn({ rateLimitData }, 'rate limited');
		log.debug({ event: { rateLimitData } }, 'rate limited');

		const text = out.text();
		expect(out.lines).toHaveLength(3);
		expect(text).not.toContain(INTERACTION_TOKEN);
		// The ids, the route's shape and the rest of the data stay readable.
		for (const line of out.lines) {
			expect(line).toContain(`"majorParameter":"${appId}/[redacted]"`);
			expect(line).toContain('/messages/@original');
			expect(line).toContain('"timeToReset":1200');
		}
	});

	it('keeps a channel route and its major parameter as they are: they hold no token', () => {
		const out = capture();
		const log = createLogger({ level: 'debug', secrets: [], destination: out.stream });
		log.warn({ rateLimitData: { majorParameter: '223456789012345678', route: '/channels/:id/messages', hash: 'abc123' } }, 'rate limited');
		expect(out.text()).toContain('"majorParameter":"223456789012345678","route":"/channels/:id/messages","hash":"abc123"');
	});

	it('scrubSecrets leaves ordinary text alone', () => {
		expect(scrubSecrets('job 42 queued at position 3', [TOKEN])).toBe('job 42 queued at position 3');
	});
});
