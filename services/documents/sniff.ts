import type { DocumentMediaType } from '../../contracts/index.ts';

/**
 * The media type of a file from its first bytes (magic numbers), never from its name or the
 * type a client claims: a file is what its bytes say it is, or it is refused.
 */
const SIGNATURES: readonly { type: DocumentMediaType; bytes: readonly number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/tiff', bytes: [0x49, 0x49, 0x2a, 0x00] }, // little-endian "II*\0"
  { type: 'image/tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] }, // big-endian "MM\0*"
];

export function sniffMediaType(bytes: Uint8Array): DocumentMediaType | undefined {
  return SIGNATURES.find((s) => s.bytes.length <= bytes.length && s.bytes.every((b, i) => bytes[i] === b))?.type;
}

/** The file name extension a download gets for its media type. */
export const EXTENSIONS: Record<DocumentMediaType, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/tiff': 'tif',
};
