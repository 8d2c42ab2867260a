/** Les mots de /animate-help, en français. */
import type { HelpMessages } from '../en/help.js';
import type { Formats } from '../formats.js';

export const frHelp = (_f: Formats): HelpMessages => ({
	'help.title': () => 'animate-bot',
	'help.about': () =>
		'Transforme une image fixe en courte vidéo avec Stable Video Diffusion. ' +
		'Lance `/animate` avec une image, ou fais un clic droit sur un message → Applications → **Animer l’image**. La réponse indique ' +
		'ta place dans la file et la progression, et la vidéo est publiée dans le salon avec la graine utilisée, avec des boutons pour ' +
		'en faire une autre version, ajouter ou retirer du mouvement, ou la supprimer. `/animate-optout` empêche les autres d’animer tes images.',
	'help.options-title': () => 'Options de /animate',
	'help.option': (p) => `\`${p.name}\`${p.required ? ' (obligatoire)' : ''} : ${p.description}`,
	'command.animate': () => 'Transformer une image fixe en courte vidéo',
	'command.animate-image': () => 'Animer l’image',
	'command.animate-help': () => 'Ce que fait animate-bot et comment utiliser /animate',
	'command.animate-optout': () => 'Empêcher les autres d’animer tes images (undo:True pour l’autoriser à nouveau)',
	'command.animate-optout.undo': () => 'Autoriser à nouveau les autres à animer tes images',
	'command.animate-settings': () => 'Voir ou modifier les réglages d’animate-bot pour ce serveur',
	'option.image': () => 'L’image à animer (PNG, JPEG ou WebP ; 1024×576 donne les meilleurs résultats)',
	'option.model': () => 'Le modèle vidéo (celui par défaut du serveur si non précisé)',
	'option.prompt': () => 'Décris le mouvement (Wan, Kling, Hailuo, Luma)',
	'option.negative_prompt': () => 'Ce qu’il faut éviter dans la vidéo (Kling)',
	'option.duration': () => 'Durée de la vidéo, parmi les choix du modèle',
	'option.resolution': () => 'Résolution, parmi les choix du modèle',
	'option.aspect_ratio': () => 'Format d’image, parmi les choix du modèle',
	'option.end_image': () => 'La dernière image que la vidéo doit atteindre (Wan, Hailuo, Luma)',
	'option.loop': () => 'Finir là où elle commence, pour une boucle parfaite (Luma)',
	'option.motion': () => 'Quantité de mouvement, 1–255 (127 par défaut ; modèles SVD)',
	'option.noise': () => 'Bruit ajouté à l’image, 0–10 ; plus de bruit = plus de changement (modèles SVD)',
	'option.seed': () => 'Même graine + mêmes options = même vidéo (aléatoire si non précisée)',
	'option.steps': () => 'Étapes de débruitage ; plus il y en a, plus c’est lent et fin (modèles SVD)',
	'option.fps': () => 'Images par seconde de la vidéo (Stable Video, Fast SVD)',
	'option.mask': () => 'Image en noir et blanc : les zones noires bougent, les blanches restent fixes (SVD)',
	'option.depth_maps': () => 'Zip de cartes de profondeur, une par image, pour guider le mouvement (SVD)',
});
