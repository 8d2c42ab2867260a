/** Les mots d’une tâche, en français : la carte de progression, la vidéo publiée, les réponses courtes. */
import { code, relative, user } from '../../format.js';
import type { JobMessages } from '../en/jobs.js';
import { falFailure, type FalFailure } from '../fal-failures.js';
import type { Formats } from '../formats.js';

const FAL_FAILURES: Record<FalFailure, string> = {
	timeout: 'fal a abandonné : le modèle a mis trop de temps',
	'content-policy': 'Le contrôle de contenu de fal a refusé cette image',
	'image-too-small': 'Selon fal, l’image est trop petite pour ce modèle',
	'image-too-large': 'Selon fal, l’image est trop grande pour ce modèle',
	unreadable: 'fal n’a pas pu lire l’image',
	download: 'fal n’a pas pu télécharger l’image',
	'no-video': 'Le modèle a terminé sans produire de vidéo',
	'no-face': 'Le modèle a besoin d’un visage dans l’image et n’en a trouvé aucun',
	other: 'fal a signalé une erreur pendant la création',
};

export const frJobs = (f: Formats): JobMessages => ({
	'note.many-images': (p) => `Ce message contient ${f.number(p.count)} images ; j’ai animé la première.`,
	'note.estimated-cost': (p) =>
		`Coût estimé : ${f.usd(p.priceUsd)} ; ce serveur a utilisé ${f.usd(p.usedUsd)} de son plafond mensuel de ${f.usd(p.capUsd)}.`,
	'note.first-frame': (p) => `${code(p.file)} est animé, sa première image a donc été utilisée.`,
	'note.text': (p) => p.text,
	'note.dm-if-late': () => 'Je ne suis pas dans ce salon : si cela prend plus de 15 minutes, je t’enverrai la vidéo en message privé.',
	'note.sent-by-dm': () => 'La vidéo t’a été envoyée en message privé.',
	'note.cancelled': (p) =>
		({
			queued: 'Annulée pendant l’attente dans la file.',
			running: 'J’ai arrêté de l’attendre ; fal la terminera peut-être, mais elle ne sera pas publiée.',
			'before-submit': 'Annulée avant l’envoi.',
		})[p.stage],
	'note.timed-out': () => 'C’était trop long, j’ai donc abandonné.',
	'note.fal-outage-gave-up': (p) => `fal.ai est resté injoignable pendant plus de ${f.number(p.minutes)} minutes, j’ai donc abandonné cette tâche.`,
	'note.fal-waiting': (p) =>
		`fal.ai ne répond pas pour le moment. Ta tâche est conservée et reprendra à son retour (prochain essai ${relative(p.nextTryAt)}).`,
	'note.fal-failed': (p) => `${FAL_FAILURES[falFailure(p.errorType)]} (identifiant d’erreur ${code(p.errorId)}).`,
	'note.internal-error': (p) => `Un problème est survenu de notre côté (identifiant d’erreur ${code(p.errorId)}).`,
	'note.posted-as-follow-up': () => 'Je n’ai pas pu publier dans ce salon, la vidéo est donc dans la réponse ci-dessous.',

	'card.title.preparing': () => '🧰 Préparation de ton image',
	'card.title.waiting': () => '⏳ En attente d’un créneau libre',
	'card.title.queued': () => '⏳ Dans la file d’attente de fal',
	'card.title.running': () => '🎬 Génération de ta vidéo',
	'card.title.delivering': () => '📤 Publication de ta vidéo',
	'card.title.delivered': () => '✅ Vidéo prête',
	'card.title.failed': () => '⚠️ La vidéo n’a pas pu être créée',
	'card.title.cancelled': () => '🛑 Annulée',
	'card.local-position': (p) =>
		`Le bot est occupé : **${f.number(p.position)}** ${f.plural(p.position, { one: 'tâche', other: 'tâches' })} avant la tienne ici, avant même la file d’attente de fal.`,
	'card.next-for-slot': () => 'Ta tâche est la prochaine à obtenir un créneau chez fal.',
	'card.queue-position': (p) => `**${f.number(p.position)}** ${f.plural(p.position, { one: 'requête', other: 'requêtes' })} avant la tienne.`,
	'card.next-in-line': () => 'Ta tâche est la prochaine : un GPU est en cours d’attribution.',
	'card.in-queue': () => 'En attente de la place que fal lui donne dans la file.',
	'card.step': (p) => `${p.bar} (étape ${f.number(p.step)}/${f.number(p.total)})`,
	'card.working': () => 'Le modèle y travaille.',
	'card.video-here': (p) => `Ta vidéo est ici : ${p.url}`,
	'card.video-posted': () => 'Ta vidéo a été publiée.',
	'card.took': (p) => `Durée : ${f.elapsed(p.ms)}.`,
	'card.started': (p) => `Démarrée ${relative(p.at)} · ${f.elapsed(p.ms)} jusqu’ici`,
	'card.footer': (p) => `tâche ${p.jobId}`,
	'card.footer-model': (p) => `${p.model}${p.priceUsd > 0 ? ` · environ ${f.usd(p.priceUsd)}` : ''} · tâche ${p.jobId}`,
	'button.cancel': () => 'Annuler',
	'button.retry': () => 'Réessayer',

	'result.ready': (p) => `${user(p.userId)} ta vidéo est prête.`,
	'result.ready-link': (p) =>
		`${user(p.userId)} ta vidéo est prête. Avec ${f.bytes(p.size)}, elle dépasse la limite d’envoi de ${f.bytes(p.limit)} de ce serveur, voici donc un lien : ${p.url}`,
	'result.title': (p) => `🎬 ${p.file}`,
	'result.footer': (p) => `résultat de la tâche ${p.jobId}`,
	'result.seed': () => 'Graine',
	'result.motion': () => 'Mouvement',
	'result.noise': () => 'Bruit',
	'result.steps': () => 'Étapes',
	'result.fps': () => 'Images/s',
	'result.mask': () => 'Masque',
	'result.mask-yes': () => 'oui',
	'result.depth-maps': () => 'Cartes de profondeur',
	'result.frames': (p) => `${f.number(p.frames)} ${f.plural(p.frames, { one: 'image', other: 'images' })}`,
	'result.prompt': () => 'Prompt',
	'result.negative-prompt': () => 'À éviter',
	'result.duration': () => 'Durée',
	'result.seconds': (p) => `${f.number(p.seconds)} s`,
	'result.resolution': () => 'Résolution',
	'result.aspect-ratio': () => 'Format',
	'result.end-image': () => 'Image finale',
	'result.loop': () => 'Boucle',
	'result.yes': () => 'oui',
	'result.no': () => 'non',
	'button.reroll': () => 'Autre version',
	'button.loop': () => 'Boucle',
	'button.more': () => 'Plus de mouvement',
	'button.less': () => 'Moins de mouvement',
	'button.delete': () => 'Supprimer',

	'error.unexpected': (p) => `Un problème est survenu de notre côté (identifiant d’erreur ${code(p.errorId)}). Réessaie dans un instant.`,
	'mention.prefix': (p) => `${user(p.userId)} ${p.text}`,
	'optout.done': () => 'C’est fait : les autres ne peuvent plus animer tes images. Lance `/animate-optout undo:True` pour l’autoriser à nouveau.',
	'optout.undone': () => 'C’est fait : les autres peuvent à nouveau animer tes images.',
	'delete.done': () => 'Vidéo supprimée.',
});
