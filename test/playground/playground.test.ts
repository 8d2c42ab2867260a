import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground, type Playground } from '../../playground/playground.js';

const CHROMIUM = '/usr/bin/chromium';
// The project's one kind of skip: a missing service, named. CI installs chromium first (.ci/run), so it never skips there.
const chromiumMissing = existsSync(CHROMIUM) ? undefined : `no browser at ${CHROMIUM} (apt-get install chromium)`;
const FIXTURE = fileURLToPath(new URL('../fixtures/source-1024x576.png', import.meta.url));
// The README's screenshot is rewritten only when asked (UPDATE_SCREENSHOT=1 npm test), so a test run leaves the tree clean.
const SCREENSHOT = process.env['UPDATE_SCREENSHOT']
	? fileURLToPath(new URL('../../docs/playground.png', import.meta.url))
	: join(tmpdir(), 'animate-bot-playground.png');

// The few DOM shapes the test reads inside the page (the project's TypeScript has no DOM library).
type Played = { currentTime: number };
type Scrolled = { scrollTo(x: number, y: number): void; scrollHeight: number };
type Attributed = { getAttribute(name: string): string | null };

describe.skipIf(chromiumMissing !== undefined)(`the playground in a real browser${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
	let playground: Playground;
	let browser: Browser;
	let page: Page;
	const pageErrors: string[] = [];

	beforeAll(async () => {
		playground = await startPlayground();
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
		});
		page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
		page.on('pageerror', (error) => pageErrors.push(error.message));
		page.on('console', (message) => (message.type() === 'error' ? pageErrors.push(message.text()) : undefined));
		await page.goto(playground.url);
		await page.locator('#member option').first().waitFor({ state: 'attached' });
	}, 60_000);
	// Looping videos keep a core busy decoding; once a test has seen them play, they stop, for the tests running beside.
	afterEach(async () => {
		await page?.locator('video').evaluateAll((videos: { pause(): void }[]) => videos.forEach((video) => video.pause()));
	});
	afterAll(async () => {
		await browser?.close();
		await playground?.close();
	});

	const videos = () => page.locator('#messages article.message video');
	const dispatched = async (action: () => Promise<void>) => {
		const response = page.waitForResponse((r) => r.url().endsWith('/api/interactions'));
		await action();
		const { id } = (await (await response).json()) as { id: string };
		return playground.discord.interaction(id)!;
	};
	/**
	 * The time `video` has played to, once past its first frame. It autoplays muted, like Discord's GIF-like videos;
	 * Chromium holds back muted autoplay off screen, so it is scrolled into view first, as a member would.
	 */
	async function playing(video: Locator): Promise<number> {
		await video.scrollIntoViewIfNeeded();
		const handle = await video.elementHandle();
		const played = await page.waitForFunction(
			(v) => ((v as unknown as Played).currentTime > 0 ? (v as unknown as Played).currentTime : false),
			handle,
			{ timeout: 15_000 },
		);
		return (await played.jsonValue()) as number;
	}

	async function setFalTiming(positions: string, stepSeconds: number, runSeconds: number, steps: number) {
		await page.fill('#fal-form [name=positions]', positions);
		await page.fill('#fal-form [name=stepSeconds]', String(stepSeconds));
		await page.fill('#fal-form [name=runSeconds]', String(runSeconds));
		await page.fill('#fal-form [name=steps]', String(steps));
		const applied = page.waitForResponse((r) => r.url().endsWith('/api/fal') && r.ok());
		await page.click('#fal-form button[type=submit]');
		await applied;
	}

	it('turns the uploaded PNG into a video that plays in the channel, the card moving through the queue on the way', async () => {
		await setFalTiming('4, 3, 2, 1, 0', 1, 3, 5);
		const submits = playground.fal.submits.length;
		await page.click('#animate-button');
		await page.setInputFiles('#command-form .field[data-option=image] input[type=file]', FIXTURE);
		await page.locator('#command-form .drop-zone.filled img').waitFor();
		await page.fill('#command-form input[name=seed]', '42');
		const interaction = await dispatched(() => page.click('#command-form .send'));
		expect(interaction.payload['locale']).toBe('en-US');

		// The card is the deferred reply to the interaction; every edit the bot makes arrives over the event stream. What
		// it says is its title and its first line (the queue position, the progress bar); the "started … ago" line
		// below changes with the page's clock alone, so it does not count.
		const card = page.locator('#messages article.message', { has: page.locator('.reply-header') }).first();
		const status = async () =>
			`${await card.locator('.embed-title').innerText()} / ${(await card.locator('.embed-description').innerText()).split('\n')[0]}`;
		await card.locator('.embed-title').waitFor();
		const seen = [await status()];
		await expect
			.poll(
				async () => {
					const now = await status();
					if (now !== seen.at(-1)) seen.push(now);
					return seen.length;
				},
				{ timeout: 20_000, interval: 50 },
			)
			.toBeGreaterThanOrEqual(3);

		await videos().first().waitFor({ timeout: 20_000 });
		expect(await playing(videos().first())).toBeGreaterThan(0);
		// The <video> plays what the bot uploaded, from the fake Discord's CDN.
		expect(await videos().first().getAttribute('src')).toMatch(
			new RegExp(`^${playground.discord.cdnUrl}/attachments/${playground.discord.channelId}/\\d+/animate-42\\.mp4\\?`),
		);
		expect(playground.fal.submits).toHaveLength(submits + 1);
		expect(playground.fal.submits.at(-1)!.input).toMatchObject({ seed: 42 });
		expect(pageErrors).toEqual([]);
	}, 60_000);

	it('Reroll under the video makes a second video, with another seed, that plays too', async () => {
		await setFalTiming('1, 0', 0.5, 1, 3);
		const first = playground.fal.submits.at(-1)!.input as { seed: number; image_url: string };
		const reroll = page.locator('#messages article.message:has(video) button[data-custom-id^="animate:reroll:"]').first();
		const interaction = await dispatched(() => reroll.click());
		expect(interaction.type).toBe(3);
		await expect.poll(() => videos().count(), { timeout: 20_000 }).toBe(2);
		expect(await playing(videos().nth(1))).toBeGreaterThan(0);
		const again = playground.fal.submits.at(-1)!.input as { seed: number; image_url: string };
		expect(again.image_url).toBe(first.image_url);
		expect(again.seed).not.toBe(first.seed);

		// The screenshot for the README: the channel at its latest, without the passing notice about fal's timing.
		await page.locator('#messages').evaluate((list: Scrolled) => list.scrollTo(0, list.scrollHeight));
		await page.locator('.toast').evaluateAll((toasts: { remove(): void }[]) => toasts.forEach((toast) => toast.remove()));
		await page.mouse.move(0, 0);
		await page.screenshot({ path: SCREENSHOT });
		expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
		expect(pageErrors).toEqual([]);
	}, 60_000);

	it('a broken file is refused in a message only that member sees', async () => {
		const interaction = await dispatched(async () => {
			await page.click('.sample[data-sample="truncated.png"]');
			await page.locator('#command-form .drop-zone.filled[data-attachment-id]').waitFor();
			await page.click('#command-form .send');
		});
		const refusal = page.locator(`#messages article.message.ephemeral`).last();
		await expect.poll(() => refusal.innerText().catch(() => ''), { timeout: 10_000 }).toContain('truncated.png');
		expect(await refusal.locator('.ephemeral-note').innerText()).toContain('Only you can see this');
		// What the page shows is what Discord holds: the bot's answer to that interaction, flagged EPHEMERAL.
		const stored = playground.discord.interaction(interaction.id)!;
		const answers = [stored.original, ...stored.followups].filter((m) => m !== undefined);
		expect(answers.some((m) => ((m.flags ?? 0) & 64) !== 0 && JSON.stringify(m).includes('truncated.png'))).toBe(true);

		// Another member does not see it; the one it answered sees it again.
		await page.selectOption('#member', { label: 'Bob' });
		expect(await page.locator('#messages article.message.ephemeral').count()).toBe(0);
		await page.selectOption('#member', { label: 'Alice' });
		expect(await page.locator('#messages article.message.ephemeral').count()).toBeGreaterThan(0);
		expect(pageErrors).toEqual([]);
	}, 30_000);

	it('the model option asks the bot for its suggestions, as Discord’s autocomplete does', async () => {
		await page.click('#animate-button');
		await page.click('#command-form input[name=model]');
		await expect
			.poll(() => page.locator('#command-form datalist option').evaluateAll((options: Attributed[]) => options.map((o) => o.getAttribute('value'))))
			.toContain('fal-ai/svd');
		await page.click('#command-form .cancel');
		expect(pageErrors).toEqual([]);
	});

	it('a French member sees the command in French and reads the bot’s answer in French', async () => {
		await page.selectOption('#locale', 'fr');
		await page.click('#animate-button');
		const registered = playground.discord.commands(playground.discord.guild.id).find((c) => c.name === 'animate')!;
		const french = (registered['description_localizations'] as Record<string, string>)['fr']!;
		expect(await page.locator('#command-form .command-title').innerText()).toContain(french);
		await page.click('.sample[data-sample="not-an-image.png"]');
		await page.locator('#command-form .drop-zone.filled[data-attachment-id]').waitFor();
		const interaction = await dispatched(() => page.click('#command-form .send'));
		expect(interaction.payload['locale']).toBe('fr');
		const refusal = page.locator('#messages article.message.ephemeral', { hasText: 'not-an-image.png' });
		await expect.poll(() => refusal.innerText().catch(() => ''), { timeout: 10_000 }).toContain('pas une image');
		await page.selectOption('#locale', 'en-US');
		expect(pageErrors).toEqual([]);
	}, 30_000);

	it('right-click a post → Apps → Animate image animates the post’s image', async () => {
		await page.setInputFiles('#post-file', FIXTURE);
		await page.fill('#message-input', 'animate this one please');
		await page.press('#message-input', 'Enter');
		const post = page.locator('#messages article.message', { hasText: 'animate this one please' });
		await post.locator('.attachments img').waitFor();
		const before = await videos().count();
		await post.click({ button: 'right' });
		const interaction = await dispatched(() => page.click('#context-menu button:text("Animate image")'));
		expect(interaction.payload['data']).toMatchObject({ name: 'Animate image', type: 3 });
		await expect.poll(() => videos().count(), { timeout: 20_000 }).toBe(before + 1);
		expect(await playing(videos().last())).toBeGreaterThan(0);
		expect(pageErrors).toEqual([]);
	}, 60_000);
});
