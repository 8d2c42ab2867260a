// The page: a Discord channel driven by the playground's API. Everything the bot does arrives as Server-Sent Events
// (the fake Discord's message store and edits); everything the member does is an interaction through the fake gateway.
import { commandForm, localized } from './command-form.js';
import { tickTimestamps } from './markdown.js';
import { displayName, renderFailure, renderMessage } from './render.js';
import { setupPanel } from './panel.js';

const $ = (selector) => document.querySelector(selector);
const view = {
	data: undefined,
	channelId: undefined,
	me: localStorage.getItem('playground.me') ?? undefined,
	locale: localStorage.getItem('playground.locale') ?? 'en-US',
	dismissed: new Set(),
	/** channel id → Map(message id → message) */
	messages: new Map(),
	form: undefined,
	pending: [],
};

export function toast(text) {
	const note = document.createElement('div');
	note.className = 'toast';
	note.textContent = text;
	$('#toasts').append(note);
	setTimeout(() => note.remove(), 6_000);
}

async function call(path, body, init = {}) {
	const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...init });
	const data = await res.json().catch(() => ({ error: res.statusText }));
	if (!res.ok) return void toast(data.error ?? 'something went wrong');
	return data;
}

const upload = (file, forPost = false) =>
	call(`/api/attachments?filename=${encodeURIComponent(file.name)}&post=${forPost ? 1 : 0}&channel=${view.channelId}`, undefined, {
		body: file,
		headers: { 'content-type': 'application/octet-stream' },
	});

const member = () => ({ userId: view.me, locale: view.locale });
const names = () => ({
	users: new Map([view.data.bot, ...view.data.users].map((u) => [u.id, displayName(u)])),
	channels: new Map(view.data.channels.map((c) => [c.id, c.name])),
});

// --- messages -----------------------------------------------------------------------------------------------------

/** Ephemeral messages are for the member whose interaction they answer; others never see them. */
function visible(message) {
	if (view.dismissed.has(message.id)) return false;
	if (!((message.flags ?? 0) & (1 << 6))) return true;
	return message.interaction_metadata?.user?.id === view.me;
}

const context = () => ({
	names: names(),
	me: view.me,
	onButton: (message, customId, button) => {
		button.classList.add('busy');
		call('/api/interactions', { kind: 'button', ...member(), messageId: message.id, customId }).finally(() => button.classList.remove('busy'));
	},
	dismiss: (id) => {
		view.dismissed.add(id);
		document.getElementById(`msg-${id}`)?.remove();
	},
});

function place(message) {
	const list = $('#messages');
	const old = document.getElementById(`msg-${message.id}`);
	if (!visible(message)) return void old?.remove();
	const node = renderMessage(message, context());
	// A video that is already playing keeps playing when its message is edited.
	for (const video of node.querySelectorAll('video')) {
		const same = old && [...old.querySelectorAll('video')].find((v) => v.src === video.src);
		if (same) video.replaceWith(same);
	}
	// Reading the latest messages (or just having written one): stay at the bottom, also as images and videos load.
	const stick = list.scrollHeight - list.scrollTop - list.clientHeight < 80 || (!old && message.author.id === view.me);
	const bottom = () => (stick ? (list.scrollTop = list.scrollHeight) : undefined);
	for (const media of node.querySelectorAll('img, video'))
		media.addEventListener(media.tagName === 'VIDEO' ? 'loadedmetadata' : 'load', bottom, { once: true });
	if (old) old.replaceWith(node);
	else list.insertBefore(node, [...list.querySelectorAll('article.message')].find((m) => BigInt(m.dataset.id) > BigInt(message.id)) ?? null);
	bottom();
}

function drawChannel() {
	const channel = view.data.channels.find((c) => c.id === view.channelId);
	$('#channel-name').textContent = channel.name;
	$('#message-input').placeholder = `Message #${channel.name} — type / for commands`;
	for (const link of document.querySelectorAll('#channels button')) link.classList.toggle('active', link.dataset.id === view.channelId);
	$('#messages').innerHTML =
		'<div class="channel-start"><h2></h2><p>This is the start of the channel. The bot in it is the real one; Discord and fal are fakes on this machine.</p></div>';
	$('#messages .channel-start h2').textContent = `Welcome to #${channel.name}!`;
	for (const message of [...(view.messages.get(view.channelId)?.values() ?? [])]) place(message);
}

function onState(data) {
	view.data = data;
	if (!data.users.some((u) => u.id === view.me)) view.me = data.users[0].id;
	view.channelId ??= data.channels[0].id;
	view.messages = new Map(data.channels.map((c) => [c.id, new Map(c.messages.map((m) => [m.id, m]))]));
	$('#server-name').textContent = data.guild.name;
	$('#channels').innerHTML = '';
	for (const channel of data.channels) {
		const button = document.createElement('button');
		button.dataset.id = channel.id;
		button.innerHTML = '<span class="hash">#</span>';
		button.append(channel.name);
		button.addEventListener('click', () => ((view.channelId = channel.id), drawChannel()));
		$('#channels').append(button);
	}
	panel.draw(data);
	drawChannel();
}

function onMessage({ kind, message }) {
	const channel = view.messages.get(message.channel_id);
	if (!channel) return; // a DM or another server: not drawn
	if (kind === 'delete') channel.delete(message.id);
	else channel.set(message.id, message);
	if (message.channel_id !== view.channelId) return;
	if (kind === 'delete') document.getElementById(`msg-${message.id}`)?.remove();
	else place(message);
}

// --- commands, posts, context menu --------------------------------------------------------------------------------

const chatCommands = () => view.data.commands.filter((c) => c.type === 1);

function openCommand(command, file) {
	$('#command-picker').hidden = true;
	view.form = commandForm($('#command-form'), command, view.locale, {
		upload: (f) => upload(f),
		autocomplete: async (options) =>
			(await call('/api/autocomplete', { ...member(), channelId: view.channelId, name: command.name, options }))?.choices ?? [],
		send: (options) => call('/api/interactions', { kind: 'command', ...member(), channelId: view.channelId, name: command.name, options }),
	});
	if (file) void view.form.setFile(file);
}

const animate = (file) => openCommand(chatCommands().find((c) => c.name === 'animate') ?? chatCommands()[0], file);

function showPicker(typed) {
	const picker = $('#command-picker');
	const matches = chatCommands().filter((c) => localized(c, 'name', view.locale).startsWith(typed));
	picker.hidden = matches.length === 0;
	picker.innerHTML = '';
	for (const command of matches) {
		const item = document.createElement('button');
		item.innerHTML = '<strong></strong> <span class="muted"></span>';
		item.querySelector('strong').textContent = `/${localized(command, 'name', view.locale)}`;
		item.querySelector('.muted').textContent = localized(command, 'description', view.locale);
		item.addEventListener('click', () => (($('#message-input').value = ''), openCommand(command)));
		picker.append(item);
	}
}

async function sendPost() {
	const input = $('#message-input');
	if (!input.value.trim() && view.pending.length === 0) return;
	const attachments = await Promise.all(view.pending.map((file) => upload(file, true)));
	if (attachments.some((a) => !a)) return;
	const posted = await call('/api/messages', {
		userId: view.me,
		channelId: view.channelId,
		content: input.value,
		attachmentIds: attachments.map((a) => a.id),
	});
	if (!posted) return;
	input.value = '';
	view.pending = [];
	$('#pending').innerHTML = '';
}

function contextMenu(event) {
	const article = event.target.closest('article.message');
	if (!article) return;
	event.preventDefault();
	const menu = $('#context-menu');
	menu.innerHTML = '<div class="menu-label">Apps</div>';
	for (const command of view.data.commands.filter((c) => c.type === 3)) {
		const item = document.createElement('button');
		item.textContent = localized(command, 'name', view.locale);
		item.addEventListener('click', () => {
			menu.hidden = true;
			void call('/api/interactions', { kind: 'message-command', ...member(), name: command.name, messageId: article.dataset.id });
		});
		menu.append(item);
	}
	Object.assign(menu.style, { left: `${Math.min(event.clientX, innerWidth - 220)}px`, top: `${Math.min(event.clientY, innerHeight - 120)}px` });
	menu.hidden = false;
}

// --- wiring -------------------------------------------------------------------------------------------------------

const panel = setupPanel({
	view,
	call,
	toast,
	useSample: async (name) => animate(new File([await (await fetch(`/samples/${name}`)).blob()], name)),
	changed: () => {
		localStorage.setItem('playground.me', view.me);
		localStorage.setItem('playground.locale', view.locale);
		drawChannel();
		if (view.form) $('#command-form').hidden = true;
	},
});

$('#message-input').addEventListener('input', (event) => {
	const value = event.target.value;
	if (value.startsWith('/')) showPicker(value.slice(1));
	else $('#command-picker').hidden = true;
});
$('#message-input').addEventListener('keydown', (event) => {
	if (event.key !== 'Enter' || event.shiftKey) return;
	event.preventDefault();
	const typed = event.target.value;
	const exact = typed.startsWith('/') && chatCommands().find((c) => localized(c, 'name', view.locale) === typed.slice(1).trim());
	if (exact) return void ((event.target.value = ''), openCommand(exact));
	void sendPost();
});
$('#animate-button').addEventListener('click', () => animate());
$('#attach-button').addEventListener('click', () => $('#post-file').click());
$('#post-file').addEventListener('change', (event) => {
	view.pending.push(...event.target.files);
	$('#pending').textContent = view.pending.map((f) => `📎 ${f.name}`).join('  ');
	event.target.value = '';
});
const main = $('#chat');
main.addEventListener('dragover', (event) => (event.preventDefault(), main.classList.add('dragging')));
main.addEventListener('dragleave', (event) => event.target === main && main.classList.remove('dragging'));
main.addEventListener('drop', (event) => {
	event.preventDefault();
	main.classList.remove('dragging');
	const file = event.dataTransfer.files[0];
	if (!file) return;
	if (view.form && !$('#command-form').hidden) void view.form.setFile(file);
	else animate(file);
});
$('#messages').addEventListener('contextmenu', contextMenu);
document.addEventListener('click', (event) => {
	if (!event.target.closest('#context-menu')) $('#context-menu').hidden = true;
});
setInterval(() => tickTimestamps(document), 1_000);

const events = new EventSource('/api/events');
events.addEventListener('state', (event) => onState(JSON.parse(event.data)));
events.addEventListener('message', (event) => onMessage(JSON.parse(event.data)));
events.addEventListener('script', (event) => panel.drawScript(JSON.parse(event.data)));
events.addEventListener('interaction-failed', (event) => {
	const failure = JSON.parse(event.data);
	if (failure.userId === view.me && failure.channelId === view.channelId) $('#messages').append(renderFailure());
});
events.addEventListener('error', () => toast('Lost the playground; reconnecting…'));
