/** Los rechazos en español: por qué se rechaza un vídeo o un comando. */
import type { FileKind } from '../../../../domain/media.js';
import { channel, code, longDate, relative, user } from '../../format.js';
import type { RefusalMessages } from '../en/refusals.js';
import type { Formats } from '../formats.js';

const fileKind: Record<FileKind, string> = {
	png: 'una imagen PNG',
	jpeg: 'una imagen JPEG',
	webp: 'una imagen WebP',
	gif: 'una imagen GIF',
	zip: 'un archivo zip',
	mp4: 'un vídeo',
	pdf: 'un documento PDF',
	text: 'un archivo de texto',
	unknown: 'un archivo de un tipo que no reconozco',
};

export const esRefusals = (f: Formats): RefusalMessages => {
	const between = (min?: number, max?: number) =>
		min !== undefined && max !== undefined ? `entre ${min} y ${max}` : min !== undefined ? `al menos ${min}` : `como máximo ${max ?? '?'}`;
	const mustBe = (min?: number, max?: number) =>
		min !== undefined && max !== undefined
			? `estar entre ${min} y ${max}`
			: min !== undefined
				? `ser al menos ${min}`
				: `ser como máximo ${max ?? '?'}`;
	const characters = (n: number) => f.plural(n, { one: 'carácter', other: 'caracteres' });
	const optionNeed = (option: string) =>
		option === 'prompt'
			? 'un `prompt`: describe el movimiento, por ejemplo «las olas llegan despacio mientras la cámara se desplaza hacia la izquierda».'
			: option === 'end_image'
				? 'una `end_image`: la imagen con la que debe terminar el vídeo.'
				: `la opción ${code(option)}.`;
	return {
		'refusal.channel-not-allowed': (p) => `No se pueden crear vídeos en este canal. Este servidor los permite en ${f.and(p.allowed.map(channel))}.`,
		'refusal.opted-out': (p) => `${user(p.posterId)} ha pedido que nadie más anime sus imágenes, así que dejaré esta en paz.`,
		'refusal.options-not-taken': (p) => {
			const n = p.options.length;
			return (
				`${p.model} no admite ${f.and(p.options.map(code))}. Vuelve a ejecutar /animate sin ${f.plural(n, { one: 'esa opción', other: 'esas opciones' })} ` +
				`o elige un modelo que ${f.plural(n, { one: 'la', other: 'las' })} admita.`
			);
		},
		'refusal.unknown-model': (p) => `No conozco el modelo ${code(p.model)}. Elige uno de la lista que /animate te ofrece mientras escribes.`,
		'refusal.model-not-allowed': (p) => `${p.model} no está disponible en este servidor. Aquí los miembros pueden usar ${f.or(p.allowed)}.`,
		'refusal.option-required': (p) => `${p.model} necesita ${optionNeed(p.option)}`,
		'refusal.option-out-of-range': (p) => `${code(p.option)} debe ${mustBe(p.min, p.max)} para ${p.model}.`,
		'refusal.option-length': (p) =>
			`${code(p.option)} tiene ${p.length} ${characters(p.length)}; ${p.model} admite ${between(p.min, p.max)} ${characters(p.max ?? p.min ?? 0)}.`,
		'refusal.option-not-a-choice': (p) => `Para ${code(p.option)}, ${p.model} solo admite ${f.or(p.values.map(code))}.`,
		'refusal.too-many-jobs': (p) =>
			`Ya tienes ${f.number(p.active)} ${f.plural(p.active, { one: 'vídeo', other: 'vídeos' })} en curso (el límite es ${f.number(p.limit)}). ` +
			'Podrás empezar otro en cuanto termine uno de ellos.',
		'refusal.cooldown': (p) => `Con calma: un vídeo cada vez. Podrás empezar otro ${relative(p.until)}.`,
		'refusal.daily-limit': (p) => `Este servidor ya ha hecho sus ${f.number(p.limit)} vídeos de hoy. Se podrán hacer más ${relative(p.resetsAt)}.`,
		'refusal.spend-cap': (p) =>
			`Este servidor ha alcanzado su límite de gasto mensual de ${f.usd(p.capUsd)} en vídeos (${f.usd(p.usedUsd)} usados). ` +
			`Se restablece el ${longDate(p.resetsAt)} (${relative(p.resetsAt)}).`,
		'refusal.follow-up-unavailable': () => 'Ese vídeo ya no se puede usar para esto. Vuelve a ejecutar /animate.',
		'refusal.retry-not-yours': () => 'Solo quien inició esta tarea puede reintentarla.',
		'refusal.cancel-not-yours': () => 'Solo quien inició esta tarea puede cancelarla.',
		'refusal.cancel-finished': () => 'Esa tarea ya ha terminado.',
		'refusal.cancel-too-late': () => 'Demasiado tarde: el vídeo ya se está publicando.',
		'refusal.delete-not-allowed': () => 'Solo quien pidió este vídeo, quien publicó la imagen o un moderador pueden eliminarlo.',
		'refusal.no-image': () => 'Ese mensaje no tiene ninguna imagen que pueda animar (PNG, JPEG, WebP o GIF, adjunta o insertada).',
		'refusal.not-text-channel': () => '/animate funciona en canales de texto e hilos.',
		'refusal.invalid-emoji': (p) => `${code(p.text)} no parece un emoji. Elige uno del selector de emojis, por ejemplo 🎬.`,
		'refusal.forbid-default': (p) =>
			`${p.model} es el modelo predeterminado de este servidor. Elige primero otro modelo predeterminado (\`/animate-settings models default:…\`) y luego prohíbelo.`,
		'refusal.restarting': () => 'animate-bot se está reiniciando; vuelve a intentarlo en un minuto.',
		'refusal.not-available-here': () =>
			'Este comando solo funciona en servidores a los que se ha añadido animate-bot. `/animate` y *Animar imagen* funcionan en todas partes, también en mensajes directos.',
		'refusal.file-too-large': (p) => `${code(p.file)} ocupa ${f.bytes(p.size)}; el límite es ${f.bytes(p.limit)}. Adjunta un archivo más pequeño.`,
		'refusal.source-unavailable': (p) =>
			`No he podido descargar ${code(p.file)} de Discord (tardó demasiado o Discord lo rechazó). Vuelve a intentarlo o adjunta el archivo de nuevo.`,
		'refusal.source-not-allowed': (p) =>
			`${code(p.file)} no está alojado en Discord, así que no voy a descargarlo. Adjunta la imagen a un mensaje en lugar de enlazarla.`,
		'refusal.not-an-image': (p) => `${code(p.file)} es ${fileKind[p.actual]}, no una imagen. Adjunta una imagen PNG, JPEG o WebP.`,
		'refusal.image-damaged': (p) =>
			`${code(p.file)} parece ${fileKind[p.actual]}, pero el archivo está dañado o incompleto y no se puede leer. Prueba a exportarlo de nuevo.`,
		'refusal.image-too-small': (p) =>
			`${code(p.file)} mide ${p.width}×${p.height} píxeles; las imágenes necesitan al menos ${p.min} píxeles por lado.`,
		'refusal.image-too-large': (p) =>
			`${code(p.file)} mide ${p.width}×${p.height} píxeles; las imágenes pueden tener como máximo ${p.max} píxeles por lado.`,
		'refusal.mask-shape': (p) =>
			`La máscara mide ${p.mask.width}×${p.mask.height}, pero la imagen mide ${p.image.width}×${p.image.height}; la máscara debe tener las mismas dimensiones que la imagen.`,
		'refusal.not-a-zip': (p) => `${code(p.file)} es ${fileKind[p.actual]}, no un zip. Adjunta un .zip de mapas de profundidad, uno por fotograma.`,
		'refusal.zip-too-many-files': (p) =>
			`${code(p.file)} tiene más de ${f.number(p.max)} archivos; un zip de mapas de profundidad lleva una imagen por fotograma.`,
		'refusal.zip-entry-damaged': (p) => `${code(p.file)} está dañado: no se puede descomprimir ${code(p.entry)}.`,
		'refusal.zip-damaged': (p) => `${code(p.file)} está dañado y no se puede descomprimir.`,
		'refusal.zip-too-big': (p) => `${code(p.file)} ocupa más de ${f.bytes(p.max)} al descomprimirlo; es demasiado para mapas de profundidad.`,
		'refusal.zip-bomb': (p) =>
			`${code(p.file)} parece una bomba zip (${code(p.entry)} crece más de ${f.number(p.ratio)} veces al descomprimirse), así que no se ha abierto.`,
		'refusal.zip-no-images': (p) =>
			`${code(p.file)} no contiene imágenes. Pon en el zip una imagen de mapa de profundidad (PNG/JPEG/WebP) por fotograma.`,
		'refusal.fal-invalid': (p) =>
			`fal rechazó la solicitud. ${p.fields.map((x) => (x.option ? `${code(x.option)}: ${x.message}` : `${x.field}: ${x.message}`)).join('; ') || p.message}`,
		'refusal.fal-down': () =>
			'fal.ai (el servicio de vídeo) no responde en este momento, así que no se ha enviado nada. Vuelve a intentarlo en unos minutos.',
	};
};
