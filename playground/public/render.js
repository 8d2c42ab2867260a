// One message as Discord's client draws it: author, content, attachments (images, and videos that play in place),
// embeds, buttons, the "used /animate" header of interaction replies, the "thinking…" of a deferred reply, and
// "Only you can see this" under ephemeral messages.
import { escape, markdown, timestamp } from './markdown.js';

const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;
const BUTTON_STYLE = { 1: 'primary', 2: 'secondary', 3: 'success', 4: 'danger', 5: 'link', 6: 'premium' };
const PALETTE = ['#5865f2', '#3ba55c', '#faa61a', '#ed4245', '#eb459e', '#747f8d'];

const el = (tag, className, html) => {
	const node = document.createElement(tag);
	if (className) node.className = className;
	if (html !== undefined) node.innerHTML = html;
	return node;
};

export const displayName = (user) => user.global_name ?? user.username;

function avatar(user, small = false) {
	const node = el('div', small ? 'avatar small' : 'avatar', escape(displayName(user).slice(0, 1).toUpperCase()));
	node.style.background = user.bot ? PALETTE[0] : PALETTE[1 + (Number(BigInt(user.id) % 5n) % 5)];
	return node;
}

/** ctx: { names, me, locale, onButton(message, customId), dismiss(messageId) } */
export function renderMessage(message, ctx) {
	const flags = message.flags ?? 0;
	const article = el('article', `message${flags & EPHEMERAL ? ' ephemeral' : ''}`);
	article.dataset.id = message.id;
	article.id = `msg-${message.id}`;
	const meta = message.interaction_metadata;
	if (meta && meta.type === 2 && meta.user) {
		const header = el('div', 'reply-header');
		header.append(
			avatar(meta.user, true),
			el(
				'span',
				'',
				`<strong>${escape(displayName(meta.user))}</strong> used <span class="command">${meta.command_type === 1 ? '/' : ''}${escape(meta.name ?? '')}</span>`,
			),
		);
		article.append(header);
	}
	article.append(avatar(message.author));
	const body = el('div', 'body');
	const when = new Date(message.timestamp);
	body.append(
		el(
			'header',
			'',
			`<span class="author">${escape(displayName(message.author))}</span>${message.author.bot ? '<span class="bot-tag">APP</span>' : ''}` +
				`<span class="when" title="${escape(when.toLocaleString())}">${timestamp(when.getTime() / 1000, 't')}</span>` +
				(message.edited_timestamp ? '<span class="edited">(edited)</span>' : ''),
		),
	);
	if (flags & LOADING) body.append(el('div', 'thinking', `${escape(displayName(message.author))} is thinking<span class="dots"></span>`));
	if (message.content) body.append(el('div', 'content', markdown(message.content, ctx.names)));
	if (message.attachments?.length) body.append(attachments(message.attachments));
	for (const embed of message.embeds ?? []) body.append(renderEmbed(embed, ctx));
	if (message.components?.length) body.append(components(message, ctx));
	if (flags & EPHEMERAL) {
		const note = el('div', 'ephemeral-note', '<span class="eye">👁</span> Only you can see this · ');
		const dismiss = el('button', 'dismiss', 'Dismiss message');
		dismiss.addEventListener('click', () => ctx.dismiss(message.id));
		note.append(dismiss);
		body.append(note);
	}
	article.append(body);
	return article;
}

function attachments(list) {
	const box = el('div', 'attachments');
	for (const a of list) {
		const type = a.content_type ?? '';
		if (type.startsWith('video/')) {
			const video = el('video');
			Object.assign(video, { src: a.url, controls: true, autoplay: true, muted: true, loop: true, playsInline: true });
			video.setAttribute('muted', '');
			video.dataset.filename = a.filename;
			box.append(video);
		} else if (type.startsWith('image/')) {
			const img = el('img');
			Object.assign(img, { src: a.url, alt: a.filename, loading: 'lazy' });
			box.append(img);
		} else {
			box.append(el('a', 'file', `📄 ${escape(a.filename)} <small>${(a.size / 1024).toFixed(1)} KB</small>`));
			box.lastElementChild.href = a.url;
		}
	}
	return box;
}

function renderEmbed(embed, ctx) {
	const box = el('div', 'embed');
	box.style.borderLeftColor = embed.color === undefined ? '#1e1f22' : `#${embed.color.toString(16).padStart(6, '0')}`;
	if (embed.author?.name) box.append(el('div', 'embed-author', escape(embed.author.name)));
	if (embed.title) {
		const title = embed.url
			? `<a href="${escape(embed.url)}" target="_blank" rel="noreferrer">${markdown(embed.title, ctx.names)}</a>`
			: markdown(embed.title, ctx.names);
		box.append(el('div', 'embed-title', title));
	}
	if (embed.description) box.append(el('div', 'embed-description', markdown(embed.description, ctx.names)));
	if (embed.fields?.length) {
		const fields = el('div', 'embed-fields');
		for (const field of embed.fields) {
			const node = el('div', `embed-field${field.inline ? ' inline' : ''}`);
			node.append(el('div', 'embed-field-name', markdown(field.name, ctx.names)), el('div', 'embed-field-value', markdown(field.value, ctx.names)));
			fields.append(node);
		}
		box.append(fields);
	}
	const image = embed.image ?? embed.thumbnail;
	if (image?.url) {
		const img = el('img', 'embed-image');
		img.src = image.proxy_url ?? image.url;
		box.append(img);
	}
	if (embed.footer?.text) box.append(el('div', 'embed-footer', escape(embed.footer.text)));
	return box;
}

function components(message, ctx) {
	const box = el('div', 'components');
	for (const row of message.components) {
		if (row.type !== 1) continue;
		const line = el('div', 'action-row');
		for (const c of row.components ?? []) {
			if (c.type !== 2) continue;
			const style = BUTTON_STYLE[c.style] ?? 'secondary';
			const button = el(style === 'link' ? 'a' : 'button', `button ${style}`);
			button.innerHTML = `${c.emoji?.name ? `<span class="emoji">${escape(c.emoji.name)}</span>` : ''}${escape(c.label ?? '')}${style === 'link' ? ' ↗' : ''}`;
			if (style === 'link') Object.assign(button, { href: c.url, target: '_blank', rel: 'noreferrer' });
			else {
				button.disabled = Boolean(c.disabled);
				button.dataset.customId = c.custom_id;
				button.addEventListener('click', () => ctx.onButton(message, c.custom_id, button));
			}
			line.append(button);
		}
		box.append(line);
	}
	return box;
}

/** "This interaction failed": the app did not answer in time. */
export function renderFailure() {
	return el('div', 'interaction-failed', '⚠️ This interaction failed');
}
