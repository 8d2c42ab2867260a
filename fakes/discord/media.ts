import { readFileSync } from 'node:fs';
import { extname } from 'node:path';

const BY_EXTENSION: Record<string, string> = {
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.webp': 'image/webp',
	'.gif': 'image/gif',
	'.mp4': 'video/mp4',
	'.webm': 'video/webm',
	'.mov': 'video/quicktime',
	'.zip': 'application/zip',
	'.json': 'application/json; charset=utf-8',
	'.txt': 'text/plain; charset=utf-8',
};

/** Content type Discord would report: sniffed from the bytes first (like Discord's media pipeline), then the extension. */
export function detectContentType(bytes: Buffer, filename: string): string | undefined {
	if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
	if (bytes.length >= 12 && bytes.toString('ascii', 0, 4) === 'RIFF' && bytes.toString('ascii', 8, 12) === 'WEBP') return 'image/webp';
	if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.toString('ascii', 0, 6))) return 'image/gif';
	if (bytes.length >= 12 && bytes.toString('ascii', 4, 8) === 'ftyp') return 'video/mp4';
	if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0304) return 'application/zip';
	return BY_EXTENSION[extname(filename).toLowerCase()];
}

/** Width/height of PNG, JPEG, GIF and WebP images (undefined for anything else or truncated data). */
export function imageDimensions(bytes: Buffer): { width: number; height: number } | undefined {
	try {
		const type = detectContentType(bytes, '');
		if (type === 'image/png') {
			if (bytes.length < 24 || bytes.toString('ascii', 12, 16) !== 'IHDR') return undefined;
			return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
		}
		if (type === 'image/gif') {
			if (bytes.length < 10) return undefined;
			return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
		}
		if (type === 'image/webp') {
			const chunk = bytes.toString('ascii', 12, 16);
			if (chunk === 'VP8X') return { width: 1 + bytes.readUIntLE(24, 3), height: 1 + bytes.readUIntLE(27, 3) };
			if (chunk === 'VP8L') {
				const bits = bytes.readUInt32LE(21);
				return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
			}
			if (chunk === 'VP8 ') return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
			return undefined;
		}
		if (type === 'image/jpeg') {
			let offset = 2;
			while (offset + 9 < bytes.length) {
				if (bytes[offset] !== 0xff) return undefined;
				const marker = bytes[offset + 1] ?? 0;
				const length = bytes.readUInt16BE(offset + 2);
				// SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC)
				if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
					return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
				}
				offset += 2 + length;
			}
		}
	} catch {
		return undefined;
	}
	return undefined;
}

/**
 * The bytes behind a file name given to addAttachment / addExternalMedia: a file of the repository's test/fixtures.
 * Tests name their fixtures for brevity; anything else (the playground) passes bytes.
 */
export function readNamedFixture(name: string): Buffer {
	return readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url));
}
