/** Les refus, en français : pourquoi une vidéo ou une commande est refusée. */
import type { FileKind } from '../../../../domain/media.js';
import { channel, code, longDate, relative, user } from '../../format.js';
import type { RefusalMessages } from '../en/refusals.js';
import type { Formats } from '../formats.js';

const fileKind: Record<FileKind, string> = {
	png: 'une image PNG',
	jpeg: 'une image JPEG',
	webp: 'une image WebP',
	gif: 'une image GIF',
	zip: 'une archive zip',
	mp4: 'une vidéo',
	pdf: 'un document PDF',
	text: 'un fichier texte',
	unknown: 'un fichier d’un type que je ne reconnais pas',
};

export const frRefusals = (f: Formats): RefusalMessages => {
	const between = (min?: number, max?: number) =>
		min !== undefined && max !== undefined ? `entre ${min} et ${max}` : min !== undefined ? `au moins ${min}` : `au plus ${max ?? '?'}`;
	const valueRange = (min?: number, max?: number) =>
		min !== undefined && max !== undefined
			? `comprise entre ${min} et ${max}`
			: min !== undefined
				? `supérieure ou égale à ${min}`
				: `inférieure ou égale à ${max ?? '?'}`;
	// « a besoin d’un… » : la préposition s’élide, elle fait donc partie de chaque besoin.
	const optionNeed = (option: string) =>
		option === 'prompt'
			? 'd’un `prompt` : décris le mouvement, par exemple « les vagues arrivent lentement tandis que la caméra pivote vers la gauche ».'
			: option === 'end_image'
				? 'd’une `end_image` : l’image sur laquelle la vidéo doit se terminer.'
				: `de l’option ${code(option)}.`;
	return {
		'refusal.channel-not-allowed': (p) =>
			`Impossible de créer des vidéos dans ce salon. Ce serveur les autorise dans ${f.and(p.allowed.map(channel))}.`,
		'refusal.opted-out': (p) =>
			`${user(p.posterId)} a demandé que ses images ne soient pas animées par d’autres, je laisse donc celle-ci tranquille.`,
		'refusal.options-not-taken': (p) => {
			const n = p.options.length;
			return (
				`${p.model} ne prend pas en charge ${f.and(p.options.map(code))}. Relance /animate sans ${f.plural(n, { one: 'cette option', other: 'ces options' })}, ` +
				`ou choisis un modèle qui ${f.plural(n, { one: 'la', other: 'les' })} prend en charge.`
			);
		},
		'refusal.unknown-model': (p) =>
			`Je ne connais pas le modèle ${code(p.model)}. Choisis-en un dans la liste que /animate propose pendant la saisie.`,
		'refusal.model-not-allowed': (p) => `${p.model} n’est pas disponible sur ce serveur. Ici, les membres peuvent utiliser ${f.or(p.allowed)}.`,
		'refusal.option-required': (p) => `${p.model} a besoin ${optionNeed(p.option)}`,
		'refusal.option-out-of-range': (p) => `La valeur de ${code(p.option)} doit être ${valueRange(p.min, p.max)} pour ${p.model}.`,
		'refusal.option-length': (p) =>
			`${code(p.option)} fait ${p.length} ${f.plural(p.length, { one: 'caractère', other: 'caractères' })} ; ${p.model} en accepte ${between(p.min, p.max)}.`,
		'refusal.option-not-a-choice': (p) => `Pour ${code(p.option)}, ${p.model} accepte uniquement ${f.or(p.values.map(code))}.`,
		'refusal.too-many-jobs': (p) =>
			`Tu as déjà ${f.number(p.active)} ${f.plural(p.active, { one: 'vidéo', other: 'vidéos' })} en cours (la limite est de ${f.number(p.limit)}). ` +
			'Tu pourras en lancer une autre dès que l’une d’elles sera terminée.',
		'refusal.cooldown': (p) => `Doucement : une vidéo à la fois. Tu pourras en lancer une autre ${relative(p.until)}.`,
		'refusal.daily-limit': (p) =>
			`Ce serveur a créé ses ${f.number(p.limit)} vidéos pour aujourd’hui. D’autres pourront être créées ${relative(p.resetsAt)}.`,
		'refusal.spend-cap': (p) =>
			`Ce serveur a atteint son plafond mensuel de dépenses de ${f.usd(p.capUsd)} pour les vidéos (${f.usd(p.usedUsd)} utilisés). ` +
			`Il sera remis à zéro le ${longDate(p.resetsAt)} (${relative(p.resetsAt)}).`,
		'refusal.follow-up-unavailable': () => 'Cette vidéo ne peut plus servir à cela. Relance /animate.',
		'refusal.retry-not-yours': () => 'Seule la personne qui a lancé cette tâche peut la relancer.',
		'refusal.cancel-not-yours': () => 'Seule la personne qui a lancé cette tâche peut l’annuler.',
		'refusal.cancel-finished': () => 'Cette tâche est déjà terminée.',
		'refusal.cancel-too-late': () => 'Trop tard : la vidéo est déjà en cours de publication.',
		'refusal.delete-not-allowed': () => 'Seuls la personne qui a demandé cette vidéo, l’auteur de l’image ou un modérateur peuvent la supprimer.',
		'refusal.no-image': () => 'Ce message ne contient aucune image que je peux animer (PNG, JPEG, WebP ou GIF, en pièce jointe ou intégrée).',
		'refusal.not-text-channel': () => '/animate fonctionne dans les salons textuels et les fils.',
		'refusal.invalid-emoji': (p) => `${code(p.text)} ne ressemble pas à un emoji. Choisis-en un dans le sélecteur d’emojis, par exemple 🎬.`,
		'refusal.forbid-default': (p) =>
			`${p.model} est le modèle par défaut de ce serveur. Choisis d’abord un autre modèle par défaut (\`/animate-settings models default:…\`), puis interdis celui-ci.`,
		'refusal.restarting': () => 'animate-bot redémarre ; réessaie dans une minute.',
		'refusal.not-available-here': () =>
			'Cette commande ne fonctionne que sur les serveurs où animate-bot a été ajouté. `/animate` et *Animer l’image* fonctionnent partout, messages privés compris.',
		'refusal.file-too-large': (p) => `${code(p.file)} fait ${f.bytes(p.size)} ; la limite est de ${f.bytes(p.limit)}. Joins un fichier plus petit.`,
		'refusal.source-unavailable': (p) =>
			`Je n’ai pas pu télécharger ${code(p.file)} depuis Discord (c’était trop long ou Discord a refusé). Réessaie, ou joins à nouveau le fichier.`,
		'refusal.source-not-allowed': (p) =>
			`${code(p.file)} n’est pas hébergé par Discord, je ne vais donc pas le récupérer. Joins l’image à un message au lieu de mettre un lien.`,
		'refusal.not-an-image': (p) => `${code(p.file)} est ${fileKind[p.actual]}, pas une image. Joins une image PNG, JPEG ou WebP.`,
		'refusal.image-damaged': (p) =>
			`${code(p.file)} ressemble à ${fileKind[p.actual]}, mais le fichier est endommagé ou tronqué et ne peut pas être lu. Essaie de l’exporter à nouveau.`,
		'refusal.image-too-small': (p) =>
			`${code(p.file)} mesure ${p.width}×${p.height} pixels ; les images doivent mesurer au moins ${p.min} pixels de côté.`,
		'refusal.image-too-large': (p) =>
			`${code(p.file)} mesure ${p.width}×${p.height} pixels ; les images peuvent mesurer au plus ${p.max} pixels de côté.`,
		'refusal.mask-shape': (p) =>
			`Le masque mesure ${p.mask.width}×${p.mask.height} mais l’image mesure ${p.image.width}×${p.image.height} ; le masque doit avoir les mêmes dimensions que l’image.`,
		'refusal.not-a-zip': (p) =>
			`${code(p.file)} est ${fileKind[p.actual]}, pas un zip. Joins un .zip de cartes de profondeur, une par image de la vidéo.`,
		'refusal.zip-too-many-files': (p) =>
			`${code(p.file)} contient plus de ${f.number(p.max)} fichiers ; un zip de cartes de profondeur contient une carte par image de la vidéo.`,
		'refusal.zip-entry-damaged': (p) => `${code(p.file)} est endommagé : ${code(p.entry)} ne peut pas être décompressé.`,
		'refusal.zip-damaged': (p) => `${code(p.file)} est endommagé et ne peut pas être décompressé.`,
		'refusal.zip-too-big': (p) => `${code(p.file)} dépasse ${f.bytes(p.max)} une fois décompressé ; c’est trop pour des cartes de profondeur.`,
		'refusal.zip-bomb': (p) =>
			`${code(p.file)} ressemble à une bombe zip (${code(p.entry)} grossit plus de ${f.number(p.ratio)} fois à la décompression), il n’a donc pas été ouvert.`,
		'refusal.zip-no-images': (p) =>
			`${code(p.file)} ne contient aucune image. Mets dans le zip une carte de profondeur (PNG/JPEG/WebP) par image de la vidéo.`,
		'refusal.fal-invalid': (p) =>
			`fal a refusé la requête. ${p.fields.map((x) => (x.option ? `${code(x.option)} : ${x.message}` : `${x.field} : ${x.message}`)).join(' ; ') || p.message}`,
		'refusal.fal-down': () => 'fal.ai (le service de vidéo) ne répond pas pour le moment, rien n’a donc été envoyé. Réessaie dans quelques minutes.',
	};
};
