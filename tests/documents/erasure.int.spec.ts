import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DOCUMENT_MARKER, tinyPdf, uploadForm } from './document-fixtures.ts';

/**
 * Erasure reaches documents: once a case's personal data are erased (the admin route,
 * `rrc erase`, the end of retention), none of its documents can be read and their files are
 * gone. The proof is a byte search of every file under the data dir (the SQLite files and
 * their WAL included) for a string that only the uploaded file held.
 */
const run = promisify(execFile);

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesBelow(p) : [p];
  });
}

/** Files under the data dir whose bytes hold `marker` (as UTF-8, UTF-16 or base64). */
function filesHolding(dir: string, marker: string): string[] {
  const forms = [
    Buffer.from(marker, 'utf8'),
    Buffer.from(marker, 'utf16le'),
    Buffer.from(Buffer.from(marker).toString('base64')),
  ];
  return filesBelow(dir).filter((f) => {
    const bytes = readFileSync(f);
    return forms.some((form) => bytes.includes(form));
  });
}

describe('erasing a case erases its documents', () => {
  let t: TestApp;
  let api: Api;
  let agreementId: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { RRC_RETENTION_DAYS: '30' } });
    api = await Api.start(t);
    agreementId = await api.agreement();
  });
  afterAll(() => t.close());

  async function caseWithDocument(marker: string) {
    const caseId = await api.requested(agreementId);
    const form = uploadForm('passport-copy', tinyPdf(marker), { requestId: 'q1' });
    const up = await t.app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/documents`,
      headers: { authorization: `Bearer ${api.tk.cw}`, 'content-type': form.contentType },
      payload: form.payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    const documentId: string = up.json().document.documentId;
    const got = await t.call('GET', `/v1/cases/${caseId}/documents/${documentId}`, api.tk.liaison);
    expect(got.rawPayload.includes(Buffer.from(marker))).toBe(true);
    return { caseId, documentId };
  }

  async function expectErased(caseId: string, documentId: string, marker: string) {
    for (const token of [api.tk.cw, api.tk.liaison, api.tk.monitor]) {
      const res = await t.call('GET', `/v1/cases/${caseId}/documents/${documentId}`, token);
      expect(res.statusCode, res.body).toBe(404);
    }
    // The list keeps what is not personal (kind, size, type, when, who); the digest is shredded.
    const items = (await t.call('GET', `/v1/cases/${caseId}/documents`, api.tk.cw)).json().items;
    expect(items).toEqual([expect.objectContaining({ documentId, kind: 'passport-copy', sha256: null })]);
    expect(existsSync(path.join(t.config.documentsDir, caseId))).toBe(false);
    expect(filesHolding(t.dataDir, marker)).toEqual([]);
  }

  it('stores nothing of the document in the clear, before any erasure', async () => {
    const marker = `${DOCUMENT_MARKER}-clear`;
    const { caseId } = await caseWithDocument(marker);
    // Control: the search finds what is there in the clear (the case id is in the events).
    expect(filesHolding(t.dataDir, caseId).length).toBeGreaterThan(0);
    expect(filesHolding(t.dataDir, marker)).toEqual([]);
    expect(readdirSync(path.join(t.config.documentsDir, caseId))).toHaveLength(1);
  });

  it('by the admin route: the document is unreadable and its file deleted', async () => {
    const marker = `${DOCUMENT_MARKER}-route`;
    const { caseId, documentId } = await caseWithDocument(marker);
    const res = await t.call('POST', `/v1/cases/${caseId}/erase-personal-data`, api.tk.admin, {
      reasons: 'Erasure requested (test).',
    });
    expect(res.statusCode, res.body).toBe(200);
    await expectErased(caseId, documentId, marker);
    // And nothing new can be attached to an erased case.
    const form = uploadForm('photo', tinyPdf('after'));
    const again = await t.app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/documents`,
      headers: { authorization: `Bearer ${api.tk.cw}`, 'content-type': form.contentType },
      payload: form.payload,
    });
    expect(again.statusCode).toBe(409);
    expect(existsSync(path.join(t.config.documentsDir, caseId))).toBe(false);
  });

  it('by `rrc erase` from another process', async () => {
    const marker = `${DOCUMENT_MARKER}-cli`;
    const { caseId, documentId } = await caseWithDocument(marker);
    await run(process.execPath, ['bin/rrc.js', 'erase', '--case', caseId, '--operator', 'ops-1'], {
      env: { ...process.env, RRC_DATA_DIR: t.dataDir },
    });
    await expectErased(caseId, documentId, marker);
  });

  it('at the end of retention, and every file under the data dir is clean once the server stops', async () => {
    const marker = `${DOCUMENT_MARKER}-retention`;
    const { caseId, documentId } = await caseWithDocument(marker);
    const closed = await t.call('POST', `/v1/cases/${caseId}/close-case`, api.tk.cw, {
      outcome: 'withdrawn',
      reasons: 'Withdrawn (test).',
    });
    expect(closed.statusCode).toBe(200);
    t.clock.advanceDays(32);
    expect((await t.services.deadlines.runOnce()).erased).toBeGreaterThanOrEqual(1);
    await expectErased(caseId, documentId, marker);
    await t.stop();
    const files = filesBelow(t.dataDir);
    expect(files.some((f) => f.endsWith('events.sqlite'))).toBe(true);
    for (const m of ['-clear', '-route', '-cli', '-retention']) {
      const leaked = filesHolding(t.dataDir, `${DOCUMENT_MARKER}${m}`);
      // The first case was never erased: its one sealed file holds ciphertext, not the marker.
      expect(leaked, m).toEqual([]);
    }
  });
});
