import type { APIMessage } from 'discord.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../fakes/discord/index.js';
import { bodyOf, callbackFor, descriptionOf, isVideoPost, postImages, replyOf, since, titleOf } from './support/requests.js';
import { startWorld, type World } from './support/world.js';

/**
 * Replies in the member's language, end to end with the fake Discord: the interaction's
 * `locale` first, then the server's `guild_locale`, then English, for every text the bot sends.
 */

const ATTACHMENT = 11;
const STRING = 3;
const INTEGER = 4;

type Option = { name: string; type: number; value: string | number };
type Embed = { title?: string; description?: string; footer?: { text: string }; fields?: { name: string; value: string }[] };
const embedOf = (r: RecordedRequest) => (bodyOf(r) as { embeds?: Embed[] }).embeds?.[0];
const labelsOf = (r: RecordedRequest) => (bodyOf(r).components ?? []).flatMap((row) => row.components.map((c) => c.label));

/** Runs /animate as a member with this locale; `fresh` picks the requests that came after. */
async function animate(world: World, locale: string, fixture = 'source-1024x576.png', options: Option[] = [], user = world.discord.users[0]!) {
	const image = world.discord.addAttachment(fixture);
	const fresh = since(world);
	const dispatched = await world.discord.dispatchChatInput({
		name: 'animate',
		options: [{ name: 'image', type: ATTACHMENT, value: image.id }, ...options],
		attachments: [image],
		user,
		locale,
	});
	const card = (title: RegExp, timeoutMs = 10_000) =>
		world.discord.waitForRequest((r) => fresh(r) && r.method === 'PATCH' && r.path.includes(dispatched.token) && title.test(titleOf(r)), timeoutMs);
	const video = () => world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 15_000);
	return { ...dispatched, fresh, card, video };
}

/** The job id at the end of a card's footer ("… · tâche abc123"). */
const jobIdOf = (r: RecordedRequest) => /(\S+)$/.exec(embedOf(r)!.footer!.text)![1]!;

describe('a member is answered in their language', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld({ progressIntervalMs: 100 });
	});
	afterAll(async () => {
		// Discord would have refused any malformed or oversized body with a 400; the fake checks every one.
		const refused = world?.discord.requests.filter((r) => r.status === 400) ?? [];
		await world?.close();
		expect(refused.map((r) => `${r.route} ${JSON.stringify(r.response)}`)).toEqual([]);
	});
	beforeEach(() => {
		world.discord.guildLocale = 'en-US';
		world.fal.setDefaultScript({ queuePositions: [2, 1, 0], queueStepMs: 150, runMs: 300, logs: ['Step 10/20', 'Step 20/20'] });
	});

	it('French: the progress card, its button, the posted video, its fields and buttons, and the card at the end', async () => {
		const job = await animate(world, 'fr');
		const queued = await job.card(/^⏳ Dans la file d’attente de fal$/);
		expect(descriptionOf(queued)).toMatch(
			/^(\*\*\d+\*\* requêtes? avant la tienne\.|Ta tâche est la prochaine : un GPU est en cours d’attribution\.|En attente de la place que fal lui donne dans la file\.)\nDémarrée <t:\d+:R> · \d+ s jusqu’ici$/,
		);
		expect(labelsOf(queued)).toEqual(['Annuler']);
		expect(embedOf(queued)!.footer!.text).toMatch(/^Stable Video Diffusion · environ 0,075\u00a0\$US · tâche \S+$/);
		const running = await job.card(/^🎬 Génération de ta vidéo$/);
		expect(descriptionOf(running)).toMatch(/\(étape \d+\/20\)|Le modèle y travaille\./);

		const video = await job.video();
		const post = bodyOf(video);
		expect(post.content).toBe(`<@${world.discord.users[0]!.id}> ta vidéo est prête.`);
		const embed = embedOf(video)!;
		expect(embed.fields!.map((field) => field.name)).toEqual(['Graine', 'Mouvement', 'Bruit', 'Étapes']);
		expect(embed.footer!.text).toMatch(/ · résultat de la tâche \S+$/);
		expect(labelsOf(video)).toEqual(['Autre version', 'Plus de mouvement', 'Moins de mouvement', 'Supprimer']);

		const done = await job.card(/^✅ Vidéo prête$/);
		expect(descriptionOf(done)).toMatch(/^Ta vidéo est ici : https?:\/\/\S+\nDurée : \d+ s\.$/);
		expect((await world.bot.services.jobs.get(jobIdOf(done)))?.locale).toBe('fr');
	});

	it('French: a file that is not an image is refused in French, privately', async () => {
		const job = await animate(world, 'fr', 'not-an-image.png');
		const followUp = await world.discord.waitForRequest(
			(r) => job.fresh(r) && r.route === 'POST /webhooks/:app/:token' && r.path.includes(job.token),
		);
		expect(bodyOf(followUp).flags! & 64).toBe(64);
		expect(bodyOf(followUp).content).toMatch(/^`not-an-image\.png` est .+, pas une image\. Joins une image PNG, JPEG ou WebP\.$/);
	});

	it('French: an option the model does not take is refused in French before anything starts', async () => {
		const job = await animate(world, 'fr', 'source-1024x576.png', [{ name: 'fps', type: INTEGER, value: 12 }]);
		const reply = replyOf(await callbackFor(world, job.id));
		expect(reply.flags! & 64).toBe(64);
		expect(reply.content).toBe(
			'Stable Video Diffusion ne prend pas en charge `fps`. Relance /animate sans cette option, ou choisis un modèle qui la prend en charge.',
		);
	});

	it('the member’s locale wins: en-US in a German server reads English', async () => {
		world.discord.guildLocale = 'de';
		const job = await animate(world, 'en-US');
		await job.card(/^⏳ Waiting in the fal queue$/);
		expect(bodyOf(await job.video()).content).toContain('your video is ready.');
		await job.card(/^✅ Video ready$/);
	});

	it('a language the catalogue lacks falls back to the server’s, then to English', async () => {
		world.discord.guildLocale = 'de';
		const german = await animate(world, 'ja');
		await german.card(/^⏳ In der Warteschlange von fal$/);
		expect(bodyOf(await german.video()).content).toContain('dein Video ist fertig.');
		await german.card(/^✅ Video fertig$/);

		world.discord.guildLocale = 'ko';
		const english = await animate(world, 'ja');
		await english.card(/^⏳ Waiting in the fal queue$/);
		expect(bodyOf(await english.video()).content).toContain('your video is ready.');
		await english.card(/^✅ Video ready$/);
	});

	it('Spanish (es-419): autocomplete names models and marks the default in Spanish', async () => {
		const { id } = await world.discord.dispatchAutocomplete({
			name: 'animate',
			options: [{ name: 'model', type: STRING, value: '', focused: true }],
			locale: 'es-419',
		});
		const choices = (replyOf(await callbackFor(world, id)) as unknown as { choices: { name: string; value: string }[] }).choices;
		expect(choices[0]).toEqual({
			name: 'Stable Video Diffusion · unos USD\u00a00.075 / vídeo (precio no publicado) · predeterminado',
			value: 'fal-ai/svd',
		});
	});

	it('German: /animate-help explains everything in German', async () => {
		const { id } = await world.discord.dispatchChatInput({ name: 'animate-help', locale: 'de' });
		const [help, here] = replyOf(await callbackFor(world, id)).embeds as Embed[];
		expect(help!.description).toMatch(/^Verwandelt ein Standbild mit Stable Video Diffusion in ein kurzes Video\./);
		expect(help!.fields![0]!.name).toBe('Optionen von /animate');
		expect(help!.fields![0]!.value).toContain('`image` (erforderlich): Das zu animierende Bild');
		expect(here!.title).toBe('Auf diesem Server gültig');
		expect(here!.description).toContain('**Kanäle:** alle');
	});

	it('Spanish: /animate-settings says what changed, in Spanish', async () => {
		const { id } = await world.discord.dispatchChatInput({ name: 'animate-settings', options: [{ name: 'all-channels', type: 1 }], locale: 'es-ES' });
		const [embed] = replyOf(await callbackFor(world, id)).embeds as Embed[];
		expect(embed!.title).toBe('Ajustes de animate-bot para este servidor');
		expect(embed!.description).toMatch(/^✅ Vídeos permitidos en todos los canales\.\n\*\*Canales:\*\* todos\n/);
	});

	it('French, through a user installation in a group DM: the card says the video may come by DM, and the video comes in French', async () => {
		const image = world.discord.addAttachment('source-1024x576.png');
		const fresh = since(world);
		// No server here: no guild_locale, only the member's own.
		const { token } = await world.discord.dispatchChatInput({
			name: 'animate',
			options: [{ name: 'image', type: ATTACHMENT, value: image.id }],
			attachments: [image],
			context: 2,
			locale: 'fr',
		});
		const card = await world.discord.waitForRequest((r) => fresh(r) && r.method === 'PATCH' && r.path.includes(token) && titleOf(r) !== '');
		expect(descriptionOf(card)).toContain(
			'Je ne suis pas dans ce salon : si cela prend plus de 15 minutes, je t’enverrai la vidéo en message privé.',
		);
		const video = await world.discord.waitForRequest(
			(r) => fresh(r) && r.route === 'POST /webhooks/:app/:token' && r.path.includes(token) && r.files.length === 1,
			15_000,
		);
		expect(bodyOf(video).content).toBe(`<@${world.discord.users[0]!.id}> ta vidéo est prête.`);
		expect(labelsOf(video)).toEqual(['Autre version', 'Plus de mouvement', 'Moins de mouvement', 'Supprimer']);
	});

	it('a button answers whoever pressed it, in their language: a German member rerolls a French video', async () => {
		const french = await animate(world, 'fr');
		const result: APIMessage = world.discord.message((((await french.video()).response ?? {}) as { id: string }).id)!;
		const reroll = (result.components as unknown as { components: { custom_id: string }[] }[])[0]!.components[0]!.custom_id;
		const fresh = since(world);
		const pressed = await world.discord.dispatchButton({ customId: reroll, message: result, user: world.discord.users[2]!, locale: 'de' });
		await world.discord.waitForRequest((r) => fresh(r) && r.path.includes(pressed.token) && titleOf(r) === '✅ Video fertig', 15_000);
		const video = world.discord.requests.filter((r) => fresh(r) && isVideoPost(r)).at(-1)!;
		expect(bodyOf(video).content).toBe(`<@${world.discord.users[2]!.id}> dein Video ist fertig.`);
		expect(labelsOf(video)).toEqual(['Neu würfeln', 'Mehr Bewegung', 'Weniger Bewegung', 'Löschen']);
	});
});

describe('a job keeps its language', () => {
	let world: World | undefined;
	afterEach(async () => {
		await world?.close();
		world = undefined;
	});

	it('across a restart: the card goes on in French and the video is posted in French', async () => {
		world = await startWorld({ progressIntervalMs: 100 });
		world.fal.setDefaultScript({ queuePositions: [6, 5, 4, 3, 2, 1, 0], queueStepMs: 400, runMs: 200 });
		const job = await animate(world, 'fr');
		await job.card(/^⏳ Dans la file d’attente de fal$/);
		await world.restart();
		const afterRestart = since(world);
		const video = await job.video();
		expect(bodyOf(video).content).toContain('ta vidéo est prête.');
		const done = await job.card(/^✅ Vidéo prête$/, 15_000);
		expect(afterRestart(done)).toBe(true);
		// Every edit of the card, before and after the restart, was French.
		const titles = world.discord.requests.filter((r) => job.fresh(r) && r.method === 'PATCH' && r.path.includes(job.token)).map(titleOf);
		expect(titles.length).toBeGreaterThan(1);
		for (const title of titles) expect(title).toMatch(/Préparation|En attente|Dans la file|Génération|Publication|Vidéo prête/);
	});

	it('across a restart after posting: the French post is recognised, not posted twice', async () => {
		world = await startWorld({ progressIntervalMs: 100 });
		world.fal.setDefaultScript({ queuePositions: [0], runMs: 50 });
		const job = await animate(world, 'fr');
		const done = await job.card(/^✅ Vidéo prête$/, 15_000);
		const jobId = jobIdOf(done);
		await world.bot.services.engine.idle();
		// As if the process died after posting, before recording it.
		await world.bot.services.jobs.update(jobId, { state: 'delivering', deliveredMessageId: null, finishedAt: null });
		const posts = world.discord.requests.filter(isVideoPost).length;
		await world.restart();
		await expect.poll(() => world!.logText().includes('found the video already posted before the restart'), { timeout: 10_000 }).toBe(true);
		await world.bot.services.engine.idle();
		expect(world.discord.requests.filter(isVideoPost)).toHaveLength(posts);
		expect((await world.bot.services.jobs.get(jobId))?.state).toBe('delivered');
	});

	it('started by a reaction: in the server’s preferred language', async () => {
		world = await startWorld({ progressIntervalMs: 100, env: { REACTION_TRIGGER: 'on' } });
		world.fal.setDefaultScript({ queuePositions: [0], runMs: 100 });
		// The server's language reaches the bot with the server itself, when it connects.
		world.discord.guildLocale = 'fr';
		await world.restart();
		const on = await world.discord.dispatchChatInput({
			name: 'animate-settings',
			options: [{ name: 'reactions', type: 1, options: [{ name: 'enabled', type: 5, value: true }] }],
		});
		// The admin's own locale is en-US: the answer is theirs, the jobs the server's.
		expect((replyOf(await callbackFor(world, on.id)).embeds as Embed[])[0]!.description).toContain('**Reaction trigger:** on, 🎬');

		const post = postImages(world, ['source-1024x576.png']);
		const fresh = since(world);
		world.discord.dispatchReactionAdd({ messageId: post.id, userId: world.discord.users[0]!.id, emoji: '🎬' });
		const card = await world.discord.waitForRequest((r) => fresh(r) && bodyOf(r).message_reference?.message_id === post.id, 10_000);
		expect(titleOf(card)).toMatch(/^(🧰 Préparation de ton image|⏳ En attente d’un créneau libre|⏳ Dans la file d’attente de fal)$/);
		expect(bodyOf(await world.discord.waitForRequest((r) => fresh(r) && isVideoPost(r), 10_000)).content).toContain('ta vidéo est prête.');

		// A reaction on a post without an image is answered in the channel, in French too.
		const text = world.discord.dispatchMessageCreate({ author: world.discord.users[1]!, content: 'rien à animer' });
		const later = since(world);
		world.discord.dispatchReactionAdd({ messageId: text.id, userId: world.discord.users[2]!.id, emoji: '🎬' });
		const answer = await world.discord.waitForRequest((r) => later(r) && bodyOf(r).message_reference?.message_id === text.id, 10_000);
		expect(bodyOf(answer).content).toBe(
			`<@${world.discord.users[2]!.id}> Ce message ne contient aucune image que je peux animer (PNG, JPEG, WebP ou GIF, en pièce jointe ou intégrée).`,
		);
	});
});
