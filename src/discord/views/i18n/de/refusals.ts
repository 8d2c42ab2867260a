/** Die Ablehnungen auf Deutsch: warum ein Video oder ein Befehl abgelehnt wird. */
import type { FileKind } from '../../../../domain/media.js';
import { channel, code, longDate, relative, user } from '../../format.js';
import type { RefusalMessages } from '../en/refusals.js';
import type { Formats } from '../formats.js';

const fileKind: Record<FileKind, string> = {
	png: 'ein PNG-Bild',
	jpeg: 'ein JPEG-Bild',
	webp: 'ein WebP-Bild',
	gif: 'ein GIF-Bild',
	zip: 'ein ZIP-Archiv',
	mp4: 'ein Video',
	pdf: 'ein PDF-Dokument',
	text: 'eine Textdatei',
	unknown: 'eine Datei, deren Typ ich nicht kenne',
};

export const deRefusals = (f: Formats): RefusalMessages => {
	const range = (min?: number, max?: number) =>
		min !== undefined && max !== undefined ? `zwischen ${min} und ${max}` : min !== undefined ? `mindestens ${min}` : `höchstens ${max ?? '?'}`;
	const mustBe = (min?: number, max?: number) =>
		min !== undefined && max !== undefined
			? `zwischen ${min} und ${max} liegen`
			: min !== undefined
				? `mindestens ${min} sein`
				: `höchstens ${max ?? '?'} sein`;
	const optionNeed = (option: string) =>
		option === 'prompt'
			? 'einen `prompt`: Beschreibe die Bewegung, z. B. „Die Wellen rollen langsam heran, während die Kamera nach links schwenkt“.'
			: option === 'end_image'
				? 'ein `end_image`: das Bild, mit dem das Video enden soll.'
				: `die Option ${code(option)}.`;
	return {
		'refusal.channel-not-allowed': (p) =>
			`In diesem Kanal können keine Videos erstellt werden. Dieser Server erlaubt sie in ${f.and(p.allowed.map(channel))}.`,
		'refusal.opted-out': (p) =>
			`Die Bilder von ${user(p.posterId)} dürfen auf deren Wunsch nicht von anderen animiert werden, deshalb lasse ich dieses in Ruhe.`,
		'refusal.options-not-taken': (p) =>
			`${p.model} unterstützt ${f.and(p.options.map(code))} nicht. Starte /animate erneut ohne ${f.plural(p.options.length, { one: 'diese Option', other: 'diese Optionen' })} ` +
			'oder wähle ein Modell, das sie unterstützt.',
		'refusal.unknown-model': (p) => `Das Modell ${code(p.model)} kenne ich nicht. Wähle eines aus der Liste, die /animate beim Tippen anbietet.`,
		'refusal.model-not-allowed': (p) => `${p.model} ist auf diesem Server nicht verfügbar. Mitglieder hier können ${f.or(p.allowed)} verwenden.`,
		'refusal.option-required': (p) => `${p.model} braucht ${optionNeed(p.option)}`,
		'refusal.option-out-of-range': (p) => `${code(p.option)} muss für ${p.model} ${mustBe(p.min, p.max)}.`,
		'refusal.option-length': (p) => `${code(p.option)} ist ${p.length} Zeichen lang; ${p.model} akzeptiert ${range(p.min, p.max)} Zeichen.`,
		'refusal.option-not-a-choice': (p) => `${p.model} akzeptiert für ${code(p.option)} nur ${f.or(p.values.map(code))}.`,
		'refusal.too-many-jobs': (p) =>
			`Du hast bereits ${f.number(p.active)} ${f.plural(p.active, { one: 'Video', other: 'Videos' })} in Arbeit (das Limit ist ${f.number(p.limit)}). ` +
			'Du kannst ein weiteres starten, sobald eines davon fertig ist.',
		'refusal.cooldown': (p) => `Immer langsam: ein Video nach dem anderen. Du kannst ${relative(p.until)} ein weiteres starten.`,
		'refusal.daily-limit': (p) =>
			`Dieser Server hat heute schon seine ${f.number(p.limit)} Videos erstellt. Weitere sind ${relative(p.resetsAt)} möglich.`,
		'refusal.spend-cap': (p) =>
			`Dieser Server hat sein monatliches Ausgabenlimit von ${f.usd(p.capUsd)} für Videos erreicht (${f.usd(p.usedUsd)} verbraucht). ` +
			`Es wird am ${longDate(p.resetsAt)} zurückgesetzt (${relative(p.resetsAt)}).`,
		'refusal.follow-up-unavailable': () => 'Dieses Video kann dafür nicht mehr verwendet werden. Bitte starte /animate erneut.',
		'refusal.retry-not-yours': () => 'Nur die Person, die diesen Auftrag gestartet hat, kann ihn wiederholen.',
		'refusal.cancel-not-yours': () => 'Nur die Person, die diesen Auftrag gestartet hat, kann ihn abbrechen.',
		'refusal.cancel-finished': () => 'Dieser Auftrag ist bereits abgeschlossen.',
		'refusal.cancel-too-late': () => 'Zu spät: Das Video wird bereits gepostet.',
		'refusal.delete-not-allowed': () =>
			'Nur die Person, die dieses Video angefordert hat, die Person, die das Bild gepostet hat, oder ein Moderator kann es löschen.',
		'refusal.no-image': () => 'Diese Nachricht enthält kein Bild, das ich animieren kann (PNG, JPEG, WebP oder GIF, angehängt oder eingebettet).',
		'refusal.not-text-channel': () => '/animate funktioniert in Textkanälen und Threads.',
		'refusal.invalid-emoji': (p) => `${code(p.text)} sieht nicht wie ein Emoji aus. Wähle eines aus der Emoji-Auswahl, z. B. 🎬.`,
		'refusal.forbid-default': (p) =>
			`${p.model} ist das Standardmodell dieses Servers. Wähle zuerst ein anderes Standardmodell (\`/animate-settings models default:…\`) und verbiete es dann.`,
		'refusal.restarting': () => 'animate-bot startet gerade neu; bitte versuch es in einer Minute noch einmal.',
		'refusal.not-available-here': () =>
			'Dieser Befehl funktioniert nur auf Servern, denen animate-bot hinzugefügt wurde. `/animate` und *Bild animieren* funktionieren überall, auch in Direktnachrichten.',
		'refusal.file-too-large': (p) =>
			`${code(p.file)} ist ${f.bytes(p.size)} groß; das Limit liegt bei ${f.bytes(p.limit)}. Bitte hänge eine kleinere Datei an.`,
		'refusal.source-unavailable': (p) =>
			`Ich konnte ${code(p.file)} nicht von Discord herunterladen (es dauerte zu lange oder Discord hat abgelehnt). Bitte versuch es noch einmal oder hänge die Datei erneut an.`,
		'refusal.source-not-allowed': (p) =>
			`${code(p.file)} liegt nicht bei Discord, deshalb rufe ich es nicht ab. Hänge das Bild an eine Nachricht an, statt es zu verlinken.`,
		'refusal.not-an-image': (p) => `${code(p.file)} ist ${fileKind[p.actual]}, kein Bild. Bitte hänge ein PNG-, JPEG- oder WebP-Bild an.`,
		'refusal.image-damaged': (p) =>
			`${code(p.file)} sieht aus wie ${fileKind[p.actual]}, ist aber beschädigt oder unvollständig und kann nicht gelesen werden. Versuch, es erneut zu exportieren.`,
		'refusal.image-too-small': (p) =>
			`${code(p.file)} ist ${p.width}×${p.height} Pixel groß; Bilder brauchen mindestens ${p.min} Pixel auf jeder Seite.`,
		'refusal.image-too-large': (p) =>
			`${code(p.file)} ist ${p.width}×${p.height} Pixel groß; Bilder dürfen höchstens ${p.max} Pixel pro Seite haben.`,
		'refusal.mask-shape': (p) =>
			`Die Maske ist ${p.mask.width}×${p.mask.height} groß, das Bild aber ${p.image.width}×${p.image.height}; die Maske muss dieselben Abmessungen wie das Bild haben.`,
		'refusal.not-a-zip': (p) => `${code(p.file)} ist ${fileKind[p.actual]}, kein ZIP. Hänge eine .zip-Datei mit Tiefenkarten an, eine pro Frame.`,
		'refusal.zip-too-many-files': (p) =>
			`${code(p.file)} enthält mehr als ${f.number(p.max)} Dateien; ein Tiefenkarten-ZIP braucht ein Bild pro Frame.`,
		'refusal.zip-entry-damaged': (p) => `${code(p.file)} ist beschädigt: ${code(p.entry)} kann nicht entpackt werden.`,
		'refusal.zip-damaged': (p) => `${code(p.file)} ist beschädigt und kann nicht entpackt werden.`,
		'refusal.zip-too-big': (p) => `${code(p.file)} ist entpackt größer als ${f.bytes(p.max)}; das ist zu viel für Tiefenkarten.`,
		'refusal.zip-bomb': (p) =>
			`${code(p.file)} sieht aus wie eine ZIP-Bombe (${code(p.entry)} wächst beim Entpacken auf mehr als das ${f.number(p.ratio)}-Fache), deshalb wurde es nicht geöffnet.`,
		'refusal.zip-no-images': (p) => `${code(p.file)} enthält keine Bilder. Lege ein Tiefenkarten-Bild (PNG/JPEG/WebP) pro Frame in das ZIP.`,
		'refusal.fal-invalid': (p) =>
			`fal hat die Anfrage abgelehnt. ${p.fields.map((x) => (x.option ? `${code(x.option)}: ${x.message}` : `${x.field}: ${x.message}`)).join('; ') || p.message}`,
		'refusal.fal-down': () =>
			'fal.ai (der Videodienst) antwortet gerade nicht, deshalb wurde nichts übermittelt. Bitte versuch es in ein paar Minuten noch einmal.',
	};
};
