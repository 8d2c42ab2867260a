import type { FileKind } from '../domain/media.js';

/** What the bytes are, from their magic numbers; the file name and declared type are not trusted. */
export function sniff(bytes: Uint8Array): FileKind {
	const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
	const ascii = (from: number, text: string) => [...text].every((c, i) => bytes[from + i] === c.charCodeAt(0));
	if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
	if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
	if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp';
	if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'gif';
	if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return 'zip';
	if (ascii(4, 'ftyp')) return 'mp4';
	if (ascii(0, '%PDF')) return 'pdf';
	const sample = bytes.subarray(0, 512);
	if (sample.length > 0 && sample.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b !== 0x7f))) return 'text';
	return 'unknown';
}
