/**
 * User-facing words that more than one place uses, and the command localizations. Messages that
 * belong to one check stay next to it, where their reason is.
 */

export const formatUsd = (usd: number) => `$${usd.toFixed(2)}`;

export const STRINGS = {
	restarting: 'animate-bot is restarting; please try again in a minute.',
	noImage: "That message has no image I can animate (PNG, JPEG, WebP or GIF, attached or embedded).",
	manyImages: (count: number) => `That post has ${count} images; I animated the first one.`,
	optedOut: 'Done: others can no longer animate your images. Run `/animate-optout undo:True` to allow it again.',
	optedIn: 'Done: others may animate your images again.',
	deleted: 'Deleted.',
	notAllowedToDelete: 'Only the person who asked for this video, the poster of the image, or a moderator can delete it.',
} as const;

/** Name and description localizations for the commands (Discord shows them in the member's language). */
export const LOCALIZED = {
	animate: {
		description_localizations: {
			fr: 'Transformer une image fixe en courte vidéo (Stable Video Diffusion)',
			de: 'Ein Standbild in ein kurzes Video verwandeln (Stable Video Diffusion)',
			'es-ES': 'Convertir una imagen fija en un vídeo corto (Stable Video Diffusion)',
		},
	},
	animateImage: {
		name_localizations: { fr: 'Animer l’image', de: 'Bild animieren', 'es-ES': 'Animar imagen' },
	},
} as const;
