/** Name and description localizations of the commands (Discord shows them in the member's language). */
export const COMMAND_LOCALIZATIONS = {
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
