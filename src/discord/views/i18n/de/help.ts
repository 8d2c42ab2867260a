/** Die Wörter von /animate-help auf Deutsch. */
import type { HelpMessages } from '../en/help.js';
import type { Formats } from '../formats.js';

export const deHelp = (_f: Formats): HelpMessages => ({
	'help.title': () => 'animate-bot',
	'help.about': () =>
		'Verwandelt ein Standbild mit Stable Video Diffusion in ein kurzes Video. ' +
		'Starte `/animate` mit einem Bild oder klicke mit der rechten Maustaste auf einen Beitrag → Apps → **Bild animieren**. Die Antwort ' +
		'zeigt deinen Platz in der Warteschlange und den Fortschritt, und das Video wird mit dem verwendeten Seed im Kanal gepostet, mit ' +
		'Buttons, um es neu zu würfeln, mehr oder weniger Bewegung zu wählen oder es zu löschen. `/animate-optout` verhindert, dass andere deine Bilder animieren.',
	'help.options-title': () => 'Optionen von /animate',
	'help.option': (p) => `\`${p.name}\`${p.required ? ' (erforderlich)' : ''}: ${p.description}`,
	'command.animate': () => 'Ein Standbild in ein kurzes Video verwandeln',
	'command.animate-image': () => 'Bild animieren',
	'command.animate-help': () => 'Was animate-bot macht und wie man /animate benutzt',
	'command.animate-optout': () => 'Anderen verbieten, deine Bilder zu animieren (undo:True erlaubt es wieder)',
	'command.animate-optout.undo': () => 'Anderen wieder erlauben, deine Bilder zu animieren',
	'command.animate-settings': () => 'Die Einstellungen von animate-bot für diesen Server ansehen oder ändern',
	'option.image': () => 'Das zu animierende Bild (PNG, JPEG oder WebP; 1024×576 eignet sich am besten)',
	'option.model': () => 'Das Videomodell (ohne Angabe das Standardmodell des Servers)',
	'option.prompt': () => 'Beschreibe die Bewegung (Wan, Kling, Hailuo, Luma)',
	'option.negative_prompt': () => 'Was im Video vermieden werden soll (Kling)',
	'option.duration': () => 'Länge des Videos, aus der Auswahl des Modells',
	'option.resolution': () => 'Auflösung, aus der Auswahl des Modells',
	'option.aspect_ratio': () => 'Seitenverhältnis, aus der Auswahl des Modells',
	'option.end_image': () => 'Das letzte Bild, bei dem das Video ankommen soll (Wan, Hailuo, Luma)',
	'option.loop': () => 'Endet, wo es beginnt, für eine nahtlose Schleife (Luma)',
	'option.motion': () => 'Wie viel sich bewegt, 1–255 (Standard 127; SVD-Modelle)',
	'option.noise': () => 'Rauschen für das Bild, 0–10; mehr Rauschen = mehr Veränderung (SVD-Modelle)',
	'option.seed': () => 'Gleicher Seed + gleiche Optionen = gleiches Video (ohne Angabe zufällig)',
	'option.steps': () => 'Entrauschungsschritte; mehr ist langsamer und feiner (SVD-Modelle)',
	'option.fps': () => 'Bilder pro Sekunde des Videos (Stable Video, Fast SVD)',
	'option.mask': () => 'Schwarz-Weiß-Bild: Schwarze Bereiche bewegen sich, weiße bleiben still (SVD)',
	'option.depth_maps': () => 'ZIP mit Tiefenkarten, eine pro Frame, um die Bewegung zu steuern (SVD)',
});
