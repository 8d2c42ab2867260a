/** Las palabras de una tarea en español: la tarjeta de progreso, el vídeo publicado, las respuestas breves. */
import { code, relative, user } from '../../format.js';
import type { JobMessages } from '../en/jobs.js';
import { falFailure, type FalFailure } from '../fal-failures.js';
import type { Formats } from '../formats.js';

const FAL_FAILURES: Record<FalFailure, string> = {
	timeout: 'fal lo abandonó: el modelo tardó demasiado',
	'content-policy': 'El control de contenido de fal rechazó esta imagen',
	'image-too-small': 'Según fal, la imagen es demasiado pequeña para este modelo',
	'image-too-large': 'Según fal, la imagen es demasiado grande para este modelo',
	unreadable: 'fal no pudo leer la imagen',
	download: 'fal no pudo descargar la imagen',
	'no-video': 'El modelo terminó sin generar ningún vídeo',
	'no-face': 'El modelo necesita una cara en la imagen y no encontró ninguna',
	other: 'fal informó de un error al generarlo',
};

export const esJobs = (f: Formats): JobMessages => ({
	'note.many-images': (p) => `Esa publicación tiene ${f.number(p.count)} imágenes; he animado la primera.`,
	'note.estimated-cost': (p) =>
		`Precio estimado: ${f.usd(p.priceUsd)}; este servidor ha usado ${f.usd(p.usedUsd)} de su límite mensual de ${f.usd(p.capUsd)}.`,
	'note.first-frame': (p) => `${code(p.file)} es animado, así que se ha usado su primer fotograma.`,
	'note.text': (p) => p.text,
	'note.dm-if-late': () => 'No estoy en este canal: si tarda más de 15 minutos, te enviaré el vídeo por mensaje directo.',
	'note.sent-by-dm': () => 'El vídeo se te ha enviado por mensaje directo.',
	'note.cancelled': (p) =>
		({
			queued: 'Cancelada mientras esperaba en la cola.',
			running: 'He dejado de esperarla; puede que fal la termine, pero no se publicará.',
			'before-submit': 'Cancelada antes de enviarla.',
		})[p.stage],
	'note.timed-out': () => 'Tardaba demasiado, así que la he abandonado.',
	'note.fal-outage-gave-up': (p) => `fal.ai estuvo inaccesible durante más de ${f.number(p.minutes)} minutos, así que he abandonado esta tarea.`,
	'note.fal-waiting': (p) =>
		`fal.ai no responde en este momento. Tu tarea se conserva y continuará cuando vuelva (próximo intento ${relative(p.nextTryAt)}).`,
	'note.fal-failed': (p) => `${FAL_FAILURES[falFailure(p.errorType)]} (ID de error ${code(p.errorId)}).`,
	'note.internal-error': (p) => `Algo ha fallado por nuestra parte (ID de error ${code(p.errorId)}).`,
	'note.posted-as-follow-up': () => 'No he podido publicar en este canal, así que el vídeo está en la respuesta de abajo.',

	'card.title.preparing': () => '🧰 Preparando tu imagen',
	'card.title.waiting': () => '⏳ Esperando un espacio libre',
	'card.title.queued': () => '⏳ En la cola de fal',
	'card.title.running': () => '🎬 Generando tu vídeo',
	'card.title.delivering': () => '📤 Publicando tu vídeo',
	'card.title.delivered': () => '✅ Vídeo listo',
	'card.title.failed': () => '⚠️ No se pudo crear el vídeo',
	'card.title.cancelled': () => '🛑 Cancelada',
	'card.local-position': (p) =>
		`El bot está ocupado: **${f.number(p.position)}** ${f.plural(p.position, { one: 'tarea', other: 'tareas' })} por delante de la tuya aquí, antes incluso de la cola de fal.`,
	'card.next-for-slot': () => 'Tu tarea es la siguiente en obtener un espacio en fal.',
	'card.queue-position': (p) =>
		`**${f.number(p.position)}** ${f.plural(p.position, { one: 'solicitud', other: 'solicitudes' })} por delante de la tuya.`,
	'card.next-in-line': () => 'Tu tarea es la siguiente: se está asignando una GPU.',
	'card.in-queue': () => 'Esperando a que fal indique su lugar en la cola.',
	'card.step': (p) => `${p.bar} (paso ${f.number(p.step)}/${f.number(p.total)})`,
	'card.working': () => 'El modelo está trabajando en ello.',
	'card.video-here': (p) => `Tu vídeo está aquí: ${p.url}`,
	'card.video-posted': () => 'Tu vídeo se ha publicado.',
	'card.took': (p) => `Tardó ${f.elapsed(p.ms)}.`,
	'card.started': (p) => `Empezó ${relative(p.at)} · ${f.elapsed(p.ms)} hasta ahora`,
	'card.footer': (p) => `tarea ${p.jobId}`,
	'card.footer-model': (p) => `${p.model}${p.priceUsd > 0 ? ` · unos ${f.usd(p.priceUsd)}` : ''} · tarea ${p.jobId}`,
	'button.cancel': () => 'Cancelar',
	'button.retry': () => 'Reintentar',

	'result.ready': (p) => `${user(p.userId)} tu vídeo está listo.`,
	'result.ready-link': (p) =>
		`${user(p.userId)} tu vídeo está listo. Con ${f.bytes(p.size)} supera el límite de subida de ${f.bytes(p.limit)} de este servidor, así que aquí tienes un enlace: ${p.url}`,
	'result.title': (p) => `🎬 ${p.file}`,
	'result.footer': (p) => `resultado de la tarea ${p.jobId}`,
	'result.seed': () => 'Semilla',
	'result.motion': () => 'Movimiento',
	'result.noise': () => 'Ruido',
	'result.steps': () => 'Pasos',
	'result.fps': () => 'FPS',
	'result.mask': () => 'Máscara',
	'result.mask-yes': () => 'sí',
	'result.depth-maps': () => 'Mapas de profundidad',
	'result.frames': (p) => `${f.number(p.frames)} ${f.plural(p.frames, { one: 'fotograma', other: 'fotogramas' })}`,
	'result.prompt': () => 'Prompt',
	'result.negative-prompt': () => 'Evitar',
	'result.duration': () => 'Duración',
	'result.seconds': (p) => `${f.number(p.seconds)} s`,
	'result.resolution': () => 'Resolución',
	'result.aspect-ratio': () => 'Relación de aspecto',
	'result.end-image': () => 'Fotograma final',
	'result.loop': () => 'Bucle',
	'result.yes': () => 'sí',
	'result.no': () => 'no',
	'button.reroll': () => 'Otra versión',
	'button.loop': () => 'Bucle',
	'button.more': () => 'Más movimiento',
	'button.less': () => 'Menos movimiento',
	'button.delete': () => 'Eliminar',

	'error.unexpected': (p) => `Algo ha fallado por nuestra parte (ID de error ${code(p.errorId)}). Vuelve a intentarlo en un momento.`,
	'mention.prefix': (p) => `${user(p.userId)} ${p.text}`,
	'optout.done': () => 'Hecho: los demás ya no pueden animar tus imágenes. Ejecuta `/animate-optout undo:True` para volver a permitirlo.',
	'optout.undone': () => 'Hecho: los demás vuelven a poder animar tus imágenes.',
	'delete.done': () => 'Eliminado.',
});
