import { randomBytes } from 'node:crypto';

/**
 * Tiny, valid files built in code (no binary fixtures in the repository), and multipart
 * bodies for `inject`. The marker is a byte string found nowhere else, so a byte search of
 * the data dir or the logs for it finds only a leak.
 */
export const DOCUMENT_MARKER = 'DOC-MARKER-Vq93xZephyrQuill-passport-page-2';

/** A one-page PDF whose content stream holds `text` (valid enough for a viewer to open). */
export function tinyPdf(text = DOCUMENT_MARKER): Buffer {
  const stream = `BT /F1 12 Tf 20 100 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A 1×1 PNG. */
export const tinyPng = (): Buffer =>
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );

export interface FormPart {
  name: string;
  value?: string;
  file?: { bytes: Buffer; filename?: string; contentType?: string };
}

/** A multipart/form-data body and its content type. */
export function multipart(parts: readonly FormPart[]): { payload: Buffer; contentType: string } {
  const boundary = `----rrc-test-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if (p.file) {
      const name = p.file.filename ?? 'scan.bin';
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${name}"\r\n` +
            `Content-Type: ${p.file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        ),
        p.file.bytes,
        Buffer.from('\r\n'),
      );
    } else {
      chunks.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The usual upload form: a file with its kind and, optionally, the request it is shared with. */
export function uploadForm(kind: string, bytes: Buffer, extra: Record<string, string> = {}, filename = 'scan.pdf') {
  return multipart([
    { name: 'kind', value: kind },
    ...Object.entries(extra).map(([name, value]) => ({ name, value })),
    { name: 'file', file: { bytes, filename } },
  ]);
}
