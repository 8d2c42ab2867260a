import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/domain/catalogue/index.js';
import { bodyOf, callbackFor, isVideoPost, replyOf, runCommand, since } from '../support/requests.js';
import { startWorld, type World } from '../support/world.js';

const [ATTACHMENT, STRING, INTEGER, BOOLEAN] = [11, 3, 4, 5];
type Option = { name: string; type: number; value: string | number | boolean };
const text = (name: string, value: string): Option => ({ name, type: STRING, value });

const KLING_25 = 'fal-ai/kling-video/v2.5-turbo/standard/image-to-video';
const KLING_21 = 'fal-ai/kling-video/v2.1/standard/image-to-video';
const WAN = 'fal-ai/wan/v2.2-a14b/image-to-video/turbo';
const HAILUO = 'fal-ai/minimax/hailuo-02/standard/image-to-video';
const LUMA = 'fal-ai/luma-dream-machine/ray-2-flash/image-to-video';

interface ModelCase {
	/** Typical options, each valid under the model's published schema. */
	readonly typical: Option[];
	/** What fal must receive for them (besides image_url and, where taken, seed). */
	readonly sent: Record<string, unknown>;
	/** Result fields the posted embed shows. */
	readonly shown: Record<string, string>;
	/** Buttons under the video, by label. */
	readonly buttons: string[];
	/** One value the model refuses, and the refusal naming it. */
	readonly invalid: { readonly options: Option[]; readonly words: string };
	/** A field fal refuses at the result, and the option it is explained by. */
	readonly rejected: { readonly field: string; readonly option: string };
}

const prompt = text('prompt', 'the waves roll in slowly while the camera pans left');
const CASES: Record<string, ModelCase> = {
	'fal-ai/svd': {
		typical: [{ name: 'motion', type: INTEGER, value: 180 }],
		sent: { motion_bucket_id: 180, cond_aug: 0.02, steps: 20 },
		shown: { Motion: '180' },
		buttons: ['Reroll', 'More motion', 'Less motion', 'Delete'],
		invalid: { options: [{ name: 'fps', type: INTEGER, value: 12 }], words: 'Stable Video Diffusion does not take `fps`.' },
		rejected: { field: 'motion_bucket_id', option: 'motion' },
	},
	'fal-ai/stable-video': {
		typical: [{ name: 'fps', type: INTEGER, value: 12 }],
		sent: { fps: 12, motion_bucket_id: 127, cond_aug: 0.02 },
		shown: { FPS: '12' },
		buttons: ['Reroll', 'More motion', 'Less motion', 'Delete'],
		invalid: { options: [{ name: 'fps', type: INTEGER, value: 8 }], words: '`fps` must be between 10 and 100 for Stable Video.' },
		rejected: { field: 'fps', option: 'fps' },
	},
	'fal-ai/fast-svd-lcm': {
		typical: [{ name: 'steps', type: INTEGER, value: 6 }],
		sent: { steps: 6, motion_bucket_id: 127 },
		shown: { Steps: '6' },
		buttons: ['Reroll', 'More motion', 'Less motion', 'Delete'],
		invalid: { options: [{ name: 'steps', type: INTEGER, value: 25 }], words: '`steps` must be between 1 and 20 for Fast SVD (LCM).' },
		rejected: { field: 'steps', option: 'steps' },
	},
	[WAN]: {
		typical: [prompt, text('resolution', '480p'), text('aspect_ratio', '16:9')],
		sent: { prompt: prompt.value, resolution: '480p', aspect_ratio: '16:9' },
		shown: { Resolution: '480p', 'Aspect ratio': '16:9' },
		buttons: ['Reroll', 'Delete'],
		invalid: { options: [prompt, text('resolution', '1080p')], words: 'Wan 2.2 Turbo takes `resolution` as one of `480p`, `580p`, `720p`.' },
		rejected: { field: 'prompt', option: 'prompt' },
	},
	[KLING_25]: {
		typical: [prompt, text('duration', '10'), text('negative_prompt', 'blur')],
		sent: { prompt: prompt.value, duration: '10', negative_prompt: 'blur' },
		shown: { Duration: '10 s', Avoid: 'blur' },
		buttons: ['Reroll', 'Delete'],
		invalid: { options: [prompt, text('duration', '7')], words: 'Kling 2.5 Turbo takes `duration` as one of `5`, `10`.' },
		rejected: { field: 'duration', option: 'duration' },
	},
	[KLING_21]: {
		typical: [prompt],
		sent: { prompt: prompt.value },
		shown: { Duration: '5 s' },
		buttons: ['Reroll', 'Delete'],
		invalid: { options: [text('prompt', 'x'.repeat(2600))], words: '`prompt` is 2600 characters; Kling 2.1 takes at most 2500 characters.' },
		rejected: { field: 'negative_prompt', option: 'negative_prompt' },
	},
	[HAILUO]: {
		typical: [prompt, text('resolution', '512p'), text('duration', '10')],
		sent: { prompt: prompt.value, resolution: '512P', duration: '10' },
		shown: { Resolution: '512P', Duration: '10 s' },
		buttons: ['Reroll', 'Delete'],
		invalid: { options: [prompt, text('resolution', '1080P')], words: 'Hailuo 02 takes `resolution` as one of `512P`, `768P`.' },
		rejected: { field: 'resolution', option: 'resolution' },
	},
	[LUMA]: {
		typical: [prompt, text('duration', '9s'), { name: 'loop', type: BOOLEAN, value: false }, text('aspect_ratio', '9:16')],
		sent: { prompt: prompt.value, duration: '9s', loop: false, aspect_ratio: '9:16' },
		shown: { Duration: '9 s', Loop: 'no', 'Aspect ratio': '9:16', Resolution: '540p' },
		buttons: ['Reroll', 'Loop', 'Delete'],
		invalid: { options: [text('prompt', 'go')], words: '`prompt` is 2 characters; Luma Ray 2 Flash takes between 3 and 5000 characters.' },
		rejected: { field: 'aspect_ratio', option: 'aspect_ratio' },
	},
};

let world: World;
beforeAll(async () => {
	world = await startWorld({ progressIntervalMs: 100 });
	world.fal.setDefaultScript({ queuePositions: [0], runMs: 60 });
	// The SVD family is allowed until an admin chooses; allow the rest here.
	for (const model of [WAN, KLING_25, KLING_21, HAILUO, LUMA]) {
		await callbackFor(world, (await runCommand(world, 'animate-settings', [{ name: 'models', type: 1, options: [text('allow', model)] }])).id);
	}
});
afterAll(async () => {
	const refused = world?.discord.requests.filter((r) => r.status === 400) ?? [];
	await world?.close();
	expect(refused.map((r) => `${r.route} ${JSON.stringify(r.response)}`)).toEqual([]);
});

async function animate(model: string, options: Option[]) {
	const image = world.discord.addAttachment('source-1024x576.png');
	const fresh = since(world);
	const dispatched = await world.discord.dispatchChatInput({
		name: 'animate',
		options: [{ name: 'image', type: ATTACHMENT, value: image.id }, text('model', model), ...options],
		attachments: [image],
	});
	return { ...dispatched, fresh };
}

it('covers every catalogued model', () => {
	expect(Object.keys(CASES).sort()).toEqual([...CATALOGUE.keys()].sort());
});

describe.each(Object.entries(CASES))('%s', (model, c) => {
	it('makes a video from its typical options, sent to fal as its schema names them', async () => {
		const submits = world.fal.submits.length;
		const { fresh } = await animate(model, c.typical);
		const post = await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 15_000);
		const submit = world.fal.submits[submits]!;
		expect(submit.model).toBe(model);
		const input = submit.input as Record<string, unknown>;
		expect(input).toMatchObject(c.sent);
		const takesSeed = CATALOGUE.get(model)!.options.seed !== undefined;
		expect('seed' in input).toBe(takesSeed);
		const embed = bodyOf(post).embeds![0]!;
		const fields = Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
		expect(fields).toMatchObject(c.shown);
		expect('Seed' in fields).toBe(takesSeed);
		expect(bodyOf(post).components![0]!.components.map((b) => b.label)).toEqual(c.buttons);
	});

	it('refuses a value its schema does not allow, by the option’s name, before anything is submitted', async () => {
		const submits = world.fal.submits.length;
		const { id } = await animate(model, c.invalid.options);
		const reply = replyOf(await callbackFor(world, id));
		expect(reply.flags! & 64).toBe(64);
		expect(reply.content).toContain(c.invalid.words);
		expect(world.fal.submits).toHaveLength(submits);
	});

	it('explains a 422 fal answers at the result by the option', async () => {
		world.fal.script({ queuePositions: [0], runMs: 50, reject422: { field: c.rejected.field, msg: 'Input is not acceptable' } });
		const { token } = await animate(model, c.typical);
		const followUp = await world.discord.waitForRequest((r) => r.route === 'POST /webhooks/:app/:token' && r.path.includes(token), 15_000);
		expect(bodyOf(followUp).flags! & 64).toBe(64);
		expect(bodyOf(followUp).content).toBe(`fal refused the request. \`${c.rejected.option}\`: Input is not acceptable`);
	});
});

/** The choices the bot offered for an autocomplete; the fake refuses an answer after 3 s or over Discord's limits. */
async function suggestions(options: (Option & { focused?: boolean })[]) {
	const { id } = await world.discord.dispatchAutocomplete({ name: 'animate', options });
	const callback = await callbackFor(world, id);
	expect(callback.status).toBe(204);
	const body = callback.body as { type: number; data: { choices: { name: string; value: string }[] } };
	expect(body.type).toBe(8);
	return body.data.choices;
}

describe('autocomplete', () => {
	it('offers the models this server allows, each with its price, the default marked', async () => {
		const all = await suggestions([{ name: 'model', type: STRING, value: '', focused: true }]);
		expect(all.map((c) => c.value)).toEqual(['fal-ai/svd', 'fal-ai/stable-video', 'fal-ai/fast-svd-lcm', WAN, KLING_25, KLING_21, HAILUO, LUMA]);
		expect(all[0]!.name).toBe('Stable Video Diffusion · about $0.075 / video (fal publishes no price) · server default');
		expect(await suggestions([{ name: 'model', type: STRING, value: 'KL', focused: true }])).toEqual([
			{ name: 'Kling 2.5 Turbo · $0.21 / 5 s', value: KLING_25 },
			{ name: 'Kling 2.1 · $0.28 / 5 s', value: KLING_21 },
		]);
		expect(await suggestions([{ name: 'model', type: STRING, value: 'hailuo', focused: true }])).toEqual([
			{ name: 'Hailuo 02 · $0.045 / s at 768P', value: HAILUO },
		]);
	});

	it('offers the chosen model’s own durations, resolutions and aspect ratios', async () => {
		expect(await suggestions([text('model', LUMA), { name: 'duration', type: STRING, value: '', focused: true }])).toEqual([
			{ name: '5s (default)', value: '5s' },
			{ name: '9s', value: '9s' },
		]);
		const resolutions = await suggestions([text('model', HAILUO), { name: 'resolution', type: STRING, value: '5', focused: true }]);
		expect(resolutions).toEqual([{ name: '512P', value: '512P' }]);
		// No model picked: the server's default (SVD) has no durations to offer.
		expect(await suggestions([{ name: 'duration', type: STRING, value: '', focused: true }])).toEqual([]);
	});
});

describe('buttons that fit the model', () => {
	/** Makes a video with `model` and presses one of its buttons; answers the next submit's input. */
	async function press(model: string, options: Option[], label: string) {
		const { fresh } = await animate(model, options);
		const post = await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 15_000);
		const message = world.discord.message((post.response as { id: string }).id)!;
		const button = bodyOf(post).components![0]!.components.find((b) => b.label === label)!;
		const submits = world.fal.submits.length;
		const pressed = since(world);
		await world.discord.dispatchButton({ customId: button.custom_id!, message });
		await expect.poll(() => world.fal.submits.length).toBe(submits + 1);
		// Its video too, so the next case's wait cannot take it for its own.
		await world.discord.waitForRequest((r) => pressed(r) && isVideoPost(r), 15_000);
		return {
			before: world.fal.submits[submits - 1]!.input as Record<string, unknown>,
			after: world.fal.submits[submits]!.input as Record<string, unknown>,
		};
	}

	it('🔂 Loop makes the same Luma video again with loop on', async () => {
		const { before, after } = await press(LUMA, [prompt, { name: 'loop', type: BOOLEAN, value: false }], 'Loop');
		expect(after).toEqual({ ...before, loop: true });
	});

	it('🔁 Reroll sends a model without a seed the same request again, and SVD a new seed', async () => {
		const kling = await press(KLING_25, [prompt], 'Reroll');
		expect(kling.after).toEqual(kling.before);
		const svd = await press('fal-ai/stable-video', [], 'Reroll');
		expect({ ...svd.after, seed: 0 }).toEqual({ ...svd.before, seed: 0 });
		expect(typeof svd.after['seed']).toBe('number');
		expect(svd.after['seed']).not.toBe(svd.before['seed']);
	});
});

describe('models a server allows', () => {
	it('asks for a prompt where the model needs one', async () => {
		const { id } = await animate(KLING_25, []);
		expect(replyOf(await callbackFor(world, id)).content).toMatch(/^Kling 2\.5 Turbo needs a `prompt`: describe the motion, e\.g\. “/);
	});

	it('refuses a model the server has not allowed, and one that does not exist', async () => {
		await callbackFor(world, (await runCommand(world, 'animate-settings', [{ name: 'models', type: 1, options: [text('forbid', LUMA)] }])).id);
		expect((await suggestions([{ name: 'model', type: STRING, value: 'luma', focused: true }])).map((c) => c.value)).toEqual([]);
		const forbidden = await animate(LUMA, [prompt]);
		expect(replyOf(await callbackFor(world, forbidden.id)).content).toMatch(
			/^Luma Ray 2 Flash is not available in this server\. Members here can use .*Kling 2\.5 Turbo/,
		);
		const unknown = await animate('someone/else', []);
		expect(replyOf(await callbackFor(world, unknown.id)).content).toContain("I don't know the model `someone/else`");
		await callbackFor(world, (await runCommand(world, 'animate-settings', [{ name: 'models', type: 1, options: [text('allow', LUMA)] }])).id);
	});
});
