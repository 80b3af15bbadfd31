import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.ts';
import { createLogger } from '../../services/logger.ts';
import { Api } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DOCUMENT_MARKER, tinyPdf, uploadForm } from './document-fixtures.ts';

/**
 * Nothing of a document reaches the logs: not its bytes, not the name the client gave it, not
 * its digest, and not the bearer token that multipart parsing sees in the headers. Checked at
 * the test app's debug level and again at `trace`, where the multipart parser logs its options.
 */
const FILE_NAME = 'Quillfeather-Zephyrine-passport.pdf';

describe('documents and the logs', () => {
  let t: TestApp;
  let api: Api;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp({ captureLogs: true });
    api = await Api.start(t);
    caseId = await api.requested(await api.agreement());
  });
  afterAll(() => t.close());

  async function roundTrip(app: TestApp['app'], marker: string) {
    const form = uploadForm('passport-copy', tinyPdf(marker), { requestId: 'q1' }, FILE_NAME);
    const up = await app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/documents`,
      headers: { authorization: `Bearer ${api.tk.cw}`, 'content-type': form.contentType },
      payload: form.payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    const { documentId, sha256 } = up.json().document;
    for (const token of [api.tk.cw, api.tk.liaison]) {
      const got = await app.inject({
        method: 'GET',
        url: `/v1/cases/${caseId}/documents/${documentId}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(got.statusCode).toBe(200);
    }
    const refused = uploadForm('photo', Buffer.from(`not an image ${marker}`), {}, FILE_NAME);
    const bad = await app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/documents`,
      headers: { authorization: `Bearer ${api.tk.cw}`, 'content-type': refused.contentType },
      payload: refused.payload,
    });
    expect(bad.statusCode).toBe(415);
    return { documentId: documentId as string, sha256: sha256 as string };
  }

  const secrets = (marker: string, sha256: string) => [
    marker,
    Buffer.from(marker).toString('base64').slice(0, 24),
    'Quillfeather',
    FILE_NAME,
    sha256,
    api.tk.cw.split('.')[2]!,
    api.tk.liaison.split('.')[2]!,
  ];

  it('logs ids only at the debug level', async () => {
    const marker = `${DOCUMENT_MARKER}-debug`;
    const { documentId, sha256 } = await roundTrip(t.app, marker);
    const logs = t.logs.join('\n');
    // Control: the requests were logged, by id.
    expect(logs).toContain('/v1/cases/:caseId/documents');
    expect(logs).not.toContain(documentId); // the URL is logged as its route pattern
    for (const s of secrets(marker, sha256)) expect(logs, s).not.toContain(s);
  });

  it('logs ids only at the trace level too', async () => {
    const lines: string[] = [];
    const app = await buildApp({
      services: t.services,
      logger: createLogger('trace', { write: (line: string) => void lines.push(line) }),
    });
    await app.ready();
    try {
      const marker = `${DOCUMENT_MARKER}-trace`;
      const { sha256 } = await roundTrip(app, marker);
      const logs = lines.join('\n');
      expect(lines.length).toBeGreaterThan(5);
      for (const s of secrets(marker, sha256)) expect(logs, s).not.toContain(s);
    } finally {
      await app.close();
    }
  });
});
