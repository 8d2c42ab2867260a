// A slash command's form, built from the command as the bot registered it with the fake Discord (names and
// descriptions in the member's language where the bot gave them), with Discord's option types: attachments are
// uploaded to the fake CDN, numbers keep their ranges, choices become a list, and autocomplete asks the bot itself.
import { escape } from './markdown.js';

const T = { SUB_COMMAND: 1, GROUP: 2, STRING: 3, INTEGER: 4, BOOLEAN: 5, NUMBER: 10, ATTACHMENT: 11 };

export const localized = (thing, key, locale) => thing[`${key}_localizations`]?.[locale] ?? thing[key];

/**
 * Renders `command` into `root`. api: { upload(file) → attachment, autocomplete(options) → choices, send(options) }.
 * Returns { setFile(file) } so a dropped image lands in the first empty attachment option.
 */
export function commandForm(root, command, locale, api) {
	root.innerHTML = '';
	root.hidden = false;
	const form = document.createElement('form');
	form.className = 'command-form';
	form.innerHTML = `<div class="command-title"><span class="command">/${escape(localized(command, 'name', locale))}</span> <span class="muted">${escape(localized(command, 'description', locale))}</span></div>`;
	const fields = document.createElement('div');
	fields.className = 'fields';
	form.append(fields);
	const subcommands = (command.options ?? []).filter((o) => o.type === T.SUB_COMMAND);
	let current = { options: command.options ?? [] };
	let inputs = [];
	const draw = () => {
		fields.innerHTML = '';
		if (subcommands.length > 0) fields.append(subcommandPicker(subcommands, current, locale, (sub) => ((current = sub), draw())));
		inputs = (current.options ?? [])
			.filter((o) => o.type !== T.SUB_COMMAND && o.type !== T.GROUP)
			.map((o) => optionField(o, locale, api, () => values()));
		// Required options first, as Discord lists them.
		for (const input of [...inputs.filter((i) => i.option.required), ...inputs.filter((i) => !i.option.required)]) fields.append(input.node);
	};
	if (subcommands.length > 0) current = subcommands[0];
	draw();
	const values = () =>
		inputs.flatMap((input) => (input.value() === undefined ? [] : [{ name: input.option.name, type: input.option.type, value: input.value() }]));
	const status = document.createElement('div');
	status.className = 'form-status';
	const actions = document.createElement('div');
	actions.className = 'form-actions';
	actions.innerHTML = `<button type="button" class="button secondary cancel">Cancel</button><button type="submit" class="button primary send">Send /${escape(command.name)}</button>`;
	form.append(status, actions);
	const close = () => {
		root.hidden = true;
		root.innerHTML = '';
	};
	actions.querySelector('.cancel').addEventListener('click', close);
	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		status.textContent = inputs.some((i) => i.pending()) ? 'Uploading…' : '';
		await Promise.all(inputs.map((i) => i.pending()?.catch(() => undefined)));
		const missing = inputs.find((i) => i.option.required && i.value() === undefined);
		if (missing) return void (status.textContent = `${localized(missing.option, 'name', locale)} is required.`);
		status.textContent = '';
		const options = values();
		const sent = await api.send(subcommands.length > 0 ? [{ name: current.name, type: T.SUB_COMMAND, options }] : options);
		if (sent) close();
	});
	root.append(form);
	form.querySelector('input:not([type=file]), select')?.focus();
	return {
		setFile(file) {
			const target =
				inputs.find((i) => i.option.type === T.ATTACHMENT && i.value() === undefined) ?? inputs.find((i) => i.option.type === T.ATTACHMENT);
			target?.setFile(file);
		},
	};
}

function subcommandPicker(subcommands, current, locale, pick) {
	const label = document.createElement('label');
	label.className = 'field wide';
	label.innerHTML = '<span class="field-name">subcommand</span>';
	const select = document.createElement('select');
	for (const sub of subcommands)
		select.append(new Option(`${localized(sub, 'name', locale)} — ${localized(sub, 'description', locale)}`, sub.name, false, sub === current));
	select.addEventListener('change', () => pick(subcommands.find((s) => s.name === select.value)));
	label.append(select);
	return label;
}

function optionField(option, locale, api, others) {
	// A file field is no <label>: a label would open the file picker a second time.
	const node = document.createElement(option.type === T.ATTACHMENT ? 'div' : 'label');
	node.className = `field${option.type === T.ATTACHMENT || option.type === T.STRING ? ' wide' : ''}`;
	node.dataset.option = option.name;
	node.innerHTML = `<span class="field-name">${escape(localized(option, 'name', locale))}${option.required ? '<span class="required">*</span>' : ''}</span><span class="field-help">${escape(localized(option, 'description', locale))}</span>`;
	if (option.type === T.ATTACHMENT) return attachmentField(option, node, api);
	let control;
	if (option.choices?.length || option.type === T.BOOLEAN) {
		control = document.createElement('select');
		control.append(new Option('—', ''));
		const choices = option.choices ?? [
			{ name: 'True', value: true },
			{ name: 'False', value: false },
		];
		for (const c of choices) control.append(new Option(localized(c, 'name', locale), String(c.value)));
	} else {
		control = document.createElement('input');
		control.type = option.type === T.STRING ? 'text' : 'number';
		if (option.type === T.NUMBER) control.step = 'any';
		if (option.min_value !== undefined) control.min = option.min_value;
		if (option.max_value !== undefined) control.max = option.max_value;
		if (option.max_length !== undefined) control.maxLength = option.max_length;
		if (option.autocomplete) autocomplete(control, option, api, others);
	}
	control.name = option.name;
	node.append(control);
	const value = () => {
		if (control.value === '') return undefined;
		if (option.type === T.BOOLEAN) return control.value === 'true';
		if (option.type === T.INTEGER || option.type === T.NUMBER) return Number(control.value);
		return control.value;
	};
	return { option, node, value, pending: () => undefined, setFile: () => undefined };
}

/** Autocomplete the way Discord does it: every keystroke (debounced) is an interaction the bot answers with choices. */
function autocomplete(control, option, api, others) {
	const list = document.createElement('datalist');
	list.id = `choices-${option.name}`;
	control.setAttribute('list', list.id);
	control.autocomplete = 'off';
	let timer;
	const ask = () => {
		clearTimeout(timer);
		timer = setTimeout(async () => {
			const typed = others().filter((o) => o.name !== option.name && o.type !== T.ATTACHMENT);
			const choices = await api.autocomplete([...typed, { name: option.name, type: option.type, value: control.value, focused: true }]);
			list.innerHTML = '';
			for (const c of choices) list.append(new Option(c.name, String(c.value)));
		}, 200);
	};
	control.addEventListener('input', ask);
	control.addEventListener('focus', ask);
	queueMicrotask(() => control.after(list));
}

function attachmentField(option, node, api) {
	const zone = document.createElement('div');
	zone.className = 'drop-zone';
	zone.innerHTML = '<span class="drop-text">Drop a file or <u>pick one</u></span>';
	const input = document.createElement('input');
	input.type = 'file';
	input.name = option.name;
	input.hidden = true;
	zone.append(input);
	node.append(zone);
	let attachment;
	let uploading;
	const setFile = (file) => {
		attachment = undefined;
		zone.classList.add('filled');
		zone.querySelector('.drop-text').textContent = `⏳ ${file.name}`;
		uploading = api.upload(file).then((a) => {
			if (!a) return void (zone.querySelector('.drop-text').textContent = `Could not upload ${file.name}`);
			attachment = a;
			zone.querySelector('.drop-text').innerHTML =
				`${a.content_type?.startsWith('image/') ? `<img src="${a.url}" alt="">` : '📄'} ${escape(a.filename)}`;
			zone.dataset.attachmentId = a.id;
		});
		return uploading;
	};
	zone.addEventListener('click', (event) => (event.target !== input ? input.click() : undefined));
	input.addEventListener('change', () => input.files[0] && setFile(input.files[0]));
	zone.addEventListener('dragover', (event) => event.preventDefault());
	zone.addEventListener('drop', (event) => {
		event.preventDefault();
		event.stopPropagation();
		if (event.dataTransfer.files[0]) setFile(event.dataTransfer.files[0]);
	});
	return { option, node, value: () => attachment?.id, pending: () => uploading, setFile };
}
