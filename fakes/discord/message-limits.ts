/**
 * Discord's documented message limits that the OpenAPI document leaves out or states more loosely than the API
 * enforces for bots (content 4000 in the spec is for Nitro users; bots get 2000; the 6000-character total of all
 * embeds; 5 action rows of 5 buttons or one select). Lengths count code points, as Discord (and ajv) do.
 *
 * A refusal is `400 { code: 50035, message: 'Invalid Form Body', errors: { embeds: { '0': { title: { _errors: [...] } } } } }`,
 * the error tree keyed by field name and array index; an interaction callback's errors sit under `data`.
 */
import type { FormError } from './validation.js';

export const MESSAGE_LIMITS = {
	content: 2000,
	embeds: 10,
	embedTitle: 256,
	embedDescription: 4096,
	embedFields: 25,
	fieldName: 256,
	fieldValue: 1024,
	footerText: 2048,
	authorName: 256,
	/** Sum of title, description, field names/values, footer text and author name over every embed of a message. */
	embedTotal: 6000,
	actionRows: 5,
	rowComponents: 5,
	customId: 100,
	buttonLabel: 80,
	selectOptions: 25,
	selectPlaceholder: 150,
	optionText: 100,
} as const;

interface Embed {
	title?: unknown;
	description?: unknown;
	fields?: { name?: unknown; value?: unknown }[] | null;
	footer?: { text?: unknown } | null;
	author?: { name?: unknown } | null;
}

const max = (path: string[], limit: number): FormError => ({
	path,
	code: 'BASE_TYPE_MAX_LENGTH',
	message: `Must be ${limit} or fewer in length.`,
});

/** Length in code points (Discord counts characters, not UTF-16 units). */
export function textLength(value: unknown): number {
	if (typeof value !== 'string') return 0;
	let n = 0;
	for (const _ of value) n += 1;
	return n;
}

const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

function embedErrors(embeds: unknown[], at: (...p: string[]) => string[], errors: FormError[]): void {
	const L = MESSAGE_LIMITS;
	if (embeds.length > L.embeds) errors.push(max(at('embeds'), L.embeds));
	let total = 0;
	(embeds as Embed[]).forEach((embed, i) => {
		if (!embed || typeof embed !== 'object') return;
		const e = (...p: string[]) => at('embeds', String(i), ...p);
		const check = (value: unknown, limit: number, path: string[]) => {
			const n = textLength(value);
			if (n > limit) errors.push(max(path, limit));
			total += n;
		};
		check(embed.title, L.embedTitle, e('title'));
		check(embed.description, L.embedDescription, e('description'));
		check(embed.footer?.text, L.footerText, e('footer', 'text'));
		check(embed.author?.name, L.authorName, e('author', 'name'));
		if (Array.isArray(embed.fields)) {
			if (embed.fields.length > L.embedFields) errors.push(max(e('fields'), L.embedFields));
			embed.fields.forEach((field, j) => {
				check(field?.name, L.fieldName, e('fields', String(j), 'name'));
				check(field?.value, L.fieldValue, e('fields', String(j), 'value'));
			});
		}
	});
	if (total > L.embedTotal) {
		errors.push({ path: at('embeds'), code: 'MAX_EMBED_SIZE_EXCEEDED', message: `Embed size exceeds maximum size of ${L.embedTotal}` });
	}
}

function componentErrors(components: unknown[], at: (...p: string[]) => string[], errors: FormError[]): void {
	const L = MESSAGE_LIMITS;
	if (components.length > L.actionRows) errors.push(max(at('components'), L.actionRows));
	components.forEach((row: unknown, i) => {
		const r = row as { type?: unknown; components?: unknown } | null;
		if (!r || typeof r !== 'object') return;
		const rowAt = (...p: string[]) => at('components', String(i), ...p);
		if (r.type !== 1) {
			errors.push({
				path: rowAt('type'),
				code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
				message: 'Top-level components must be action rows unless the IS_COMPONENTS_V2 flag is set.',
			});
			return;
		}
		if (!Array.isArray(r.components)) return;
		if (r.components.length > L.rowComponents) errors.push(max(rowAt('components'), L.rowComponents));
		const hasSelect = r.components.some((c: unknown) => SELECT_TYPES.has((c as { type?: number } | null)?.type ?? -1));
		if (hasSelect && r.components.length > 1) {
			// "An Action Row can contain up to 5 buttons, or a single select component."
			errors.push({
				path: rowAt('components'),
				code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
				message: 'The specified component exceeds the maximum width',
			});
		}
		r.components.forEach((c: unknown, j) => {
			const comp = c as { type?: unknown; custom_id?: unknown; label?: unknown; placeholder?: unknown; options?: unknown } | null;
			if (!comp || typeof comp !== 'object') return;
			const cAt = (...p: string[]) => rowAt('components', String(j), ...p);
			if (textLength(comp.custom_id) > L.customId) errors.push(max(cAt('custom_id'), L.customId));
			if (textLength(comp.label) > L.buttonLabel) errors.push(max(cAt('label'), L.buttonLabel));
			if (textLength(comp.placeholder) > L.selectPlaceholder) errors.push(max(cAt('placeholder'), L.selectPlaceholder));
			if (Array.isArray(comp.options)) {
				if (comp.options.length > L.selectOptions) errors.push(max(cAt('options'), L.selectOptions));
				comp.options.forEach((o: unknown, k) => {
					const option = o as { label?: unknown; value?: unknown; description?: unknown } | null;
					for (const key of ['label', 'value', 'description'] as const) {
						if (textLength(option?.[key]) > L.optionText) errors.push(max(cAt('options', String(k), key), L.optionText));
					}
				});
			}
		});
	});
}

/**
 * Limits on a message payload (channel message create/edit, interaction response data, webhook message create/edit).
 * `prefix` is where the payload sits in the request body (['data'] for an interaction callback).
 */
export function messageLimitErrors(payload: Record<string, unknown> | null | undefined, prefix: string[] = []): FormError[] {
	if (!payload || typeof payload !== 'object') return [];
	const errors: FormError[] = [];
	const at = (...p: string[]) => [...prefix, ...p];
	if (textLength(payload.content) > MESSAGE_LIMITS.content) errors.push(max(at('content'), MESSAGE_LIMITS.content));
	if (Array.isArray(payload.embeds)) embedErrors(payload.embeds, at, errors);
	const flags = typeof payload.flags === 'number' ? payload.flags : 0;
	const componentsV2 = (flags & (1 << 15)) !== 0;
	if (Array.isArray(payload.components) && !componentsV2) componentErrors(payload.components, at, errors);
	return errors;
}
