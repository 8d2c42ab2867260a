// Discord's message markdown, as much of it as the bot writes: code, bold, italics, underline, strike, links,
// mentions, timestamps (<t:unix:R> and friends), quotes and `-#` small print. Everything is escaped first.

const escape = (text) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** `names` maps ids to what a mention shows: { users: Map(id → name), channels: Map(id → name) }. */
export function markdown(text, names) {
	const codes = [];
	// Kept pieces (code, links) wait behind private-use marks while the rest is formatted.
	const keep = (html) => `\ue000${codes.push(html) - 1}\ue001`;
	let html = escape(text ?? '')
		.replace(/```(?:[a-z]*\n)?([\s\S]*?)```/g, (_, code) => keep(`<pre><code>${code}</code></pre>`))
		.replace(/`([^`\n]+)`/g, (_, code) => keep(`<code>${code}</code>`));
	html = html
		.replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, (_, label, url) => keep(link(url, label)))
		.replace(/(^|[\s(])(https?:\/\/[^\s<)]+)/g, (_, before, url) => `${before}${keep(link(url, messageLink(url, names) ?? url))}`)
		.replace(/&lt;@!?(\d+)&gt;/g, (_, id) => `<span class="mention">@${escape(names.users.get(id) ?? 'unknown-user')}</span>`)
		.replace(/&lt;#(\d+)&gt;/g, (_, id) => `<span class="mention">#${escape(names.channels.get(id) ?? 'unknown')}</span>`)
		.replace(
			/&lt;t:(-?\d+)(?::([tTdDfFR]))?&gt;/g,
			(_, unix, style) => `<time data-unix="${unix}" data-style="${style ?? 'f'}">${timestamp(Number(unix), style ?? 'f')}</time>`,
		)
		.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
		.replace(/__([^_]+)__/g, '<u>$1</u>')
		.replace(/(^|[^*\w])\*([^*\n]+)\*/g, '$1<em>$2</em>')
		.replace(/(^|[^_\w])_([^_\n]+)_(?!\w)/g, '$1<em>$2</em>')
		.replace(/~~([^~]+)~~/g, '<s>$1</s>');
	html = html
		.split('\n')
		.map((line) => {
			if (line.startsWith('-# ')) return `<small class="subtext">${line.slice(3)}</small>`;
			if (line.startsWith('&gt; ')) return `<blockquote>${line.slice(5)}</blockquote>`;
			return line;
		})
		.join('<br>')
		.replace(/<\/blockquote><br><blockquote>/g, '<br>');
	return html.replace(/\ue000(\d+)\ue001/g, (_, i) => codes[Number(i)]);
}

// A link to a message in this server jumps to it, as in Discord, rather than leaving for discord.com.
const MESSAGE_URL = /^https:\/\/discord\.com\/channels\/\d+\/(\d+)\/(\d+)$/;
const link = (url, label) => {
	const message = MESSAGE_URL.exec(url);
	return message
		? `<a href="#msg-${message[2]}" class="message-link">${label}</a>`
		: `<a href="${url}" target="_blank" rel="noreferrer">${label}</a>`;
};
const messageLink = (url, names) => {
	const message = MESSAGE_URL.exec(url);
	return message ? `#${escape(names.channels.get(message[1]) ?? 'channel')} › 💬` : undefined;
};

/** A Discord timestamp in the reader's own time zone, in one of Discord's styles. */
export function timestamp(unix, style) {
	const date = new Date(unix * 1000);
	if (style === 'R') return relative(date);
	const options = {
		t: { timeStyle: 'short' },
		T: { timeStyle: 'medium' },
		d: { dateStyle: 'short' },
		D: { dateStyle: 'long' },
		f: { dateStyle: 'long', timeStyle: 'short' },
		F: { dateStyle: 'full', timeStyle: 'short' },
	}[style];
	return new Intl.DateTimeFormat(undefined, options).format(date);
}

function relative(date) {
	const seconds = Math.round((date.getTime() - Date.now()) / 1000);
	const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
	for (const [unit, size] of [
		['day', 86_400],
		['hour', 3_600],
		['minute', 60],
	]) {
		if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
	}
	return format.format(seconds, 'second');
}

/** Keeps relative timestamps ("12 seconds ago") current, as Discord's client does. */
export function tickTimestamps(root) {
	for (const time of root.querySelectorAll('time[data-style="R"]')) time.textContent = timestamp(Number(time.dataset.unix), 'R');
}

export { escape };
