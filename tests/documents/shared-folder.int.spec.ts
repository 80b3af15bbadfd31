import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.ts';
import { createServices, type Services } from '../../services/container.ts';
import { Api } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { tinyPdf, uploadForm } from './document-fixtures.ts';

/**
 * `RRC_DOCUMENTS_DIR` puts documents outside the data dir, and two replicas that share it
 * (and the key store, and the event store) serve each other's documents: one uploads, the
 * other downloads, and an erasure through either deletes the only copy.
 */
describe('the documents folder, shared by replicas', () => {
  const documentsDir = mkdtempSync(path.join(tmpdir(), 'rrc-documents-'));
  let t: TestApp;
  let api: Api;
  let replica: { services: Services; app: FastifyInstance };

  beforeAll(async () => {
    t = await startTestApp({ env: { RRC_DOCUMENTS_DIR: documentsDir } });
    api = await Api.start(t);
    // A second replica: its own app and services over the same data dir, keys and documents.
    const services = await createServices(t.config, { clock: t.clock.now });
    const app = await buildApp({ services, logger: false });
    await app.ready();
    replica = { services, app };
  });
  afterAll(async () => {
    await replica.app.close();
    await replica.services.close();
    await t.close();
    rmSync(documentsDir, { recursive: true, force: true });
  });

  it('stores the sealed files in RRC_DOCUMENTS_DIR, not in the data dir', async () => {
    expect(t.config.documentsDir).toBe(path.resolve(documentsDir));
    const caseId = await api.requested(await api.agreement());
    const form = uploadForm('passport-copy', tinyPdf(), { requestId: 'q1' });
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/documents`,
      headers: { authorization: `Bearer ${api.tk.cw}`, 'content-type': form.contentType },
      payload: form.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(readdirSync(path.join(documentsDir, caseId))).toHaveLength(1);
    expect(existsSync(path.join(t.dataDir, 'documents'))).toBe(false);
  });

  it('one replica uploads, the other serves the download, and erasure on it deletes the file', async () => {
    const caseId = await api.requested(await api.agreement());
    const pdf = tinyPdf('across replicas');
    const form = uploadForm('passport-copy', pdf, { requestId: 'q1' });
    const up = await t.app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/documents`,
      headers: { authorization: `Bearer ${api.tk.cw}`, 'content-type': form.contentType },
      payload: form.payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    const url = `/v1/cases/${caseId}/documents/${up.json().document.documentId}`;
    const got = await replica.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${api.tk.liaison}` },
    });
    expect(got.statusCode, got.body).toBe(200);
    expect(Buffer.compare(got.rawPayload, pdf)).toBe(0);

    const erased = await replica.app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/erase-personal-data`,
      headers: { authorization: `Bearer ${api.tk.admin}` },
      payload: { reasons: 'Erasure on the other replica (test).' },
    });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(existsSync(path.join(documentsDir, caseId))).toBe(false);
    expect((await t.call('GET', url, api.tk.cw)).statusCode).toBe(404);
  });
});
