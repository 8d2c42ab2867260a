// The playground's own controls, beside the channel: who you are, your Discord language, how long the fake fal
// takes, and sample images (two of them broken, to read how the bot refuses them).
import { displayName } from './render.js';

const SAMPLES = [
	['source-1024x576.png', 'Landscape PNG, 1024×576'],
	['square-768.jpg', 'Square JPEG'],
	['small-640x360.webp', 'Small WebP'],
	['truncated.png', 'Broken: a PNG cut short'],
	['not-an-image.png', 'Broken: text named .png'],
];

const $ = (selector) => document.querySelector(selector);

export function setupPanel({ view, call, toast, useSample, changed }) {
	const samples = $('#samples');
	for (const [file, label] of SAMPLES) {
		const button = document.createElement('button');
		button.className = 'sample';
		button.dataset.sample = file;
		button.innerHTML =
			file.startsWith('source') || file.startsWith('square') || file.startsWith('small')
				? `<img src="/samples/${file}" alt="">`
				: '<span class="broken">⚠</span>';
		button.append(label);
		button.addEventListener('click', () => void useSample(file));
		samples.append(button);
	}
	$('#member').addEventListener('change', (event) => ((view.me = event.target.value), changed()));
	$('#locale').addEventListener('change', (event) => ((view.locale = event.target.value), changed()));
	$('#fal-form').addEventListener('submit', async (event) => {
		event.preventDefault();
		const form = new FormData(event.target);
		const steps = Number(form.get('steps'));
		const script = {
			queuePositions: String(form.get('positions'))
				.split(/[\s,]+/)
				.filter(Boolean)
				.map(Number),
			queueStepMs: Math.round(Number(form.get('stepSeconds')) * 1000),
			runMs: Math.round(Number(form.get('runSeconds')) * 1000),
			// The bot shows a progress bar from "Step k/N" logs when N is the job's steps (20 unless asked).
			logs: Array.from({ length: steps }, (_, i) => `Step ${Math.round(((i + 1) * 20) / steps)}/20`),
		};
		if (await call('/api/fal', script)) toast('The fake fal takes that long from the next video on.');
	});

	return {
		draw(data) {
			const member = $('#member');
			member.innerHTML = '';
			for (const user of data.users) member.append(new Option(displayName(user), user.id, false, user.id === view.me));
			const locale = $('#locale');
			locale.innerHTML = '';
			for (const l of data.locales) locale.append(new Option(`${l.name} (${l.code})`, l.code, false, l.code === view.locale));
			this.drawScript(data.script);
		},
		drawScript(script) {
			const form = $('#fal-form');
			form.positions.value = script.queuePositions.join(', ');
			form.stepSeconds.value = script.queueStepMs / 1000;
			form.runSeconds.value = script.runMs / 1000;
			form.steps.value = script.logs.length;
		},
	};
}
