/** Las palabras de /animate-help en español. */
import type { HelpMessages } from '../en/help.js';
import type { Formats } from '../formats.js';

export const esHelp = (_f: Formats): HelpMessages => ({
	'help.title': () => 'animate-bot',
	'help.about': () =>
		'Convierte una imagen fija en un vídeo corto con Stable Video Diffusion. ' +
		'Ejecuta `/animate` con una imagen, o haz clic derecho en una publicación → Aplicaciones → **Animar imagen**. La respuesta muestra ' +
		'tu posición en la cola y el progreso, y el vídeo se publica en el canal con la semilla usada, con botones para generar otra ' +
		'versión, añadir o quitar movimiento, o eliminarlo. `/animate-optout` impide que otras personas animen tus imágenes.',
	'help.options-title': () => 'Opciones de /animate',
	'help.option': (p) => `\`${p.name}\`${p.required ? ' (obligatoria)' : ''}: ${p.description}`,
	'command.animate': () => 'Convertir una imagen fija en un vídeo corto',
	'command.animate-image': () => 'Animar imagen',
	'command.animate-help': () => 'Qué hace animate-bot y cómo usar /animate',
	'command.animate-optout': () => 'Impedir que otros animen tus imágenes (undo:True para volver a permitirlo)',
	'command.animate-optout.undo': () => 'Volver a permitir que otros animen tus imágenes',
	'command.animate-settings': () => 'Ver o cambiar los ajustes de animate-bot en este servidor',
	'option.image': () => 'La imagen que se va a animar (PNG, JPEG o WebP; 1024×576 da el mejor resultado)',
	'option.model': () => 'El modelo de vídeo (si se omite, el predeterminado del servidor)',
	'option.prompt': () => 'Describe el movimiento (Wan, Kling, Hailuo, Luma)',
	'option.negative_prompt': () => 'Lo que se debe evitar en el vídeo (Kling)',
	'option.duration': () => 'Duración del vídeo, entre las opciones del modelo',
	'option.resolution': () => 'Resolución, entre las opciones del modelo',
	'option.aspect_ratio': () => 'Relación de aspecto, entre las opciones del modelo',
	'option.end_image': () => 'El último fotograma al que debe llegar el vídeo (Wan, Hailuo, Luma)',
	'option.loop': () => 'Termina donde empieza, para un bucle perfecto (Luma)',
	'option.motion': () => 'Cuánto se mueven las cosas, 1–255 (127 por defecto; modelos SVD)',
	'option.noise': () => 'Ruido añadido a la imagen, 0–10; más ruido = más cambio (modelos SVD)',
	'option.seed': () => 'Misma semilla + mismas opciones = mismo vídeo (aleatoria si se omite)',
	'option.steps': () => 'Pasos de eliminación de ruido; más es más lento y más fino (modelos SVD)',
	'option.fps': () => 'Fotogramas por segundo del vídeo (Stable Video, Fast SVD)',
	'option.mask': () => 'Imagen en blanco y negro: las zonas negras se mueven, las blancas quedan quietas (SVD)',
	'option.depth_maps': () => 'Zip de mapas de profundidad, uno por fotograma, para guiar el movimiento (SVD)',
});
