/** Die Wörter eines Auftrags auf Deutsch: die Fortschrittskarte, das gepostete Video, kurze Antworten. */
import { code, relative, user } from '../../format.js';
import type { JobMessages } from '../en/jobs.js';
import { falFailure, type FalFailure } from '../fal-failures.js';
import type { Formats } from '../formats.js';

const FAL_FAILURES: Record<FalFailure, string> = {
	timeout: 'fal hat aufgegeben: Das Modell hat zu lange gebraucht',
	'content-policy': 'Die Inhaltsprüfung von fal hat dieses Bild abgelehnt',
	'image-too-small': 'Laut fal ist das Bild für dieses Modell zu klein',
	'image-too-large': 'Laut fal ist das Bild für dieses Modell zu groß',
	unreadable: 'fal konnte das Bild nicht lesen',
	download: 'fal konnte das Bild nicht herunterladen',
	'no-video': 'Das Modell ist fertig geworden, ohne ein Video zu erzeugen',
	'no-face': 'Das Modell braucht ein Gesicht im Bild und hat keines gefunden',
	other: 'fal hat bei der Erstellung einen Fehler gemeldet',
};

export const deJobs = (f: Formats): JobMessages => ({
	'note.many-images': (p) => `Dieser Beitrag enthält ${f.number(p.count)} Bilder; ich habe das erste animiert.`,
	'note.estimated-cost': (p) =>
		`Geschätzte Kosten: ${f.usd(p.priceUsd)}; dieser Server hat ${f.usd(p.usedUsd)} von seinem monatlichen Limit von ${f.usd(p.capUsd)} verbraucht.`,
	'note.first-frame': (p) => `${code(p.file)} ist animiert, deshalb wurde das erste Einzelbild verwendet.`,
	'note.text': (p) => p.text,
	'note.dm-if-late': () => 'Ich bin nicht in diesem Kanal: Dauert es länger als 15 Minuten, schicke ich dir das Video per Direktnachricht.',
	'note.sent-by-dm': () => 'Das Video wurde dir per Direktnachricht geschickt.',
	'note.cancelled': (p) =>
		({
			queued: 'Beim Warten in der Warteschlange abgebrochen.',
			running: 'Ich warte nicht mehr darauf; fal stellt es vielleicht noch fertig, aber es wird nicht gepostet.',
			'before-submit': 'Vor der Übermittlung abgebrochen.',
		})[p.stage],
	'note.timed-out': () => 'Es hat zu lange gedauert, deshalb habe ich aufgegeben.',
	'note.fal-outage-gave-up': (p) => `fal.ai war über ${f.number(p.minutes)} Minuten nicht erreichbar, deshalb habe ich diesen Auftrag aufgegeben.`,
	'note.fal-waiting': (p) =>
		`fal.ai antwortet gerade nicht. Dein Auftrag bleibt erhalten und geht weiter, sobald es wieder da ist (nächster Versuch ${relative(p.nextTryAt)}).`,
	'note.fal-failed': (p) => `${FAL_FAILURES[falFailure(p.errorType)]} (Fehler-ID ${code(p.errorId)}).`,
	'note.internal-error': (p) => `Bei uns ist etwas schiefgelaufen (Fehler-ID ${code(p.errorId)}).`,
	'note.posted-as-follow-up': () => 'Ich konnte in diesem Kanal nicht posten, deshalb ist das Video in der Antwort unten.',

	'card.title.preparing': () => '🧰 Dein Bild wird vorbereitet',
	'card.title.waiting': () => '⏳ Warten auf einen freien Platz',
	'card.title.queued': () => '⏳ In der Warteschlange von fal',
	'card.title.running': () => '🎬 Dein Video wird erstellt',
	'card.title.delivering': () => '📤 Dein Video wird gepostet',
	'card.title.delivered': () => '✅ Video fertig',
	'card.title.failed': () => '⚠️ Das Video konnte nicht erstellt werden',
	'card.title.cancelled': () => '🛑 Abgebrochen',
	'card.local-position': (p) =>
		`Der Bot ist ausgelastet: **${f.number(p.position)}** ${f.plural(p.position, { one: 'Auftrag', other: 'Aufträge' })} vor deinem hier, noch vor der Warteschlange von fal.`,
	'card.next-for-slot': () => 'Als Nächstes an der Reihe für einen Platz bei fal.',
	'card.queue-position': (p) => `**${f.number(p.position)}** ${f.plural(p.position, { one: 'Anfrage', other: 'Anfragen' })} vor deiner.`,
	'card.next-in-line': () => 'Als Nächstes dran: Eine GPU wird zugewiesen.',
	'card.in-queue': () => 'Warte darauf, dass fal den Platz in der Warteschlange nennt.',
	'card.step': (p) => `${p.bar} (Schritt ${f.number(p.step)}/${f.number(p.total)})`,
	'card.working': () => 'Das Modell arbeitet daran.',
	'card.video-here': (p) => `Dein Video ist hier: ${p.url}`,
	'card.video-posted': () => 'Dein Video wurde gepostet.',
	'card.took': (p) => `Dauer: ${f.elapsed(p.ms)}.`,
	'card.started': (p) => `Gestartet ${relative(p.at)} · bisher ${f.elapsed(p.ms)}`,
	'card.footer': (p) => `Auftrag ${p.jobId}`,
	'card.footer-model': (p) => `${p.model}${p.priceUsd > 0 ? ` · etwa ${f.usd(p.priceUsd)}` : ''} · Auftrag ${p.jobId}`,
	'button.cancel': () => 'Abbrechen',
	'button.retry': () => 'Erneut versuchen',

	'result.ready': (p) => `${user(p.userId)} dein Video ist fertig.`,
	'result.ready-link': (p) =>
		`${user(p.userId)} dein Video ist fertig. Mit ${f.bytes(p.size)} ist es größer als das Upload-Limit dieses Servers von ${f.bytes(p.limit)}, deshalb hier ein Link: ${p.url}`,
	'result.title': (p) => `🎬 ${p.file}`,
	'result.footer': (p) => `Ergebnis von Auftrag ${p.jobId}`,
	'result.seed': () => 'Seed',
	'result.motion': () => 'Bewegung',
	'result.noise': () => 'Rauschen',
	'result.steps': () => 'Schritte',
	'result.fps': () => 'FPS',
	'result.mask': () => 'Maske',
	'result.mask-yes': () => 'ja',
	'result.depth-maps': () => 'Tiefenkarten',
	'result.frames': (p) => `${f.number(p.frames)} ${f.plural(p.frames, { one: 'Frame', other: 'Frames' })}`,
	'result.prompt': () => 'Prompt',
	'result.negative-prompt': () => 'Vermeiden',
	'result.duration': () => 'Dauer',
	'result.seconds': (p) => `${f.number(p.seconds)} s`,
	'result.resolution': () => 'Auflösung',
	'result.aspect-ratio': () => 'Seitenverhältnis',
	'result.end-image': () => 'Endbild',
	'result.loop': () => 'Schleife',
	'result.yes': () => 'ja',
	'result.no': () => 'nein',
	'button.reroll': () => 'Neu würfeln',
	'button.loop': () => 'Schleife',
	'button.more': () => 'Mehr Bewegung',
	'button.less': () => 'Weniger Bewegung',
	'button.delete': () => 'Löschen',

	'error.unexpected': (p) => `Bei uns ist etwas schiefgelaufen (Fehler-ID ${code(p.errorId)}). Bitte versuch es gleich noch einmal.`,
	'mention.prefix': (p) => `${user(p.userId)} ${p.text}`,
	'optout.done': () => 'Erledigt: Andere können deine Bilder nicht mehr animieren. Mit `/animate-optout undo:True` erlaubst du es wieder.',
	'optout.undone': () => 'Erledigt: Andere dürfen deine Bilder wieder animieren.',
	'delete.done': () => 'Gelöscht.',
});
