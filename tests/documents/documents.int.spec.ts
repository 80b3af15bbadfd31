import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { multipart, tinyPdf, tinyPng, uploadForm } from './document-fixtures.ts';

/**
 * Documents of a case over HTTP: who uploads, who sees what, the types accepted by their
 * bytes, the limits, and what the case's history and read audit keep of it.
 */
let t: TestApp;
let api: Api;
let agreementId: string;

beforeAll(async () => {
  t = await startTestApp();
  api = await Api.start(t);
  agreementId = await api.agreement();
});
afterAll(() => t.close());

const upload = (token: string, caseId: string, form: { payload: Buffer; contentType: string }) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/documents`,
    headers: { authorization: `Bearer ${token}`, 'content-type': form.contentType },
    payload: form.payload,
  });
const list = (token: string, caseId: string) => t.call('GET', `/v1/cases/${caseId}/documents`, token);
const download = (token: string, caseId: string, documentId: string) =>
  t.call('GET', `/v1/cases/${caseId}/documents/${documentId}`, token);

async function uploaded(token: string, caseId: string, form: { payload: Buffer; contentType: string }) {
  const res = await upload(token, caseId, form);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const sealedFiles = (caseId: string) => {
  const dir = path.join(t.config.documentsDir, caseId);
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe('uploading a document', () => {
  it('stores it, records DocumentAttached in the history, lists it and gives the same bytes back', async () => {
    const caseId = await api.requested(agreementId);
    const pdf = tinyPdf();
    const res = await upload(api.tk.cw, caseId, uploadForm('passport-copy', pdf, { requestId: 'q1' }));
    expect(res.statusCode, res.body).toBe(201);
    const answer = res.json();
    expect(answer.events).toEqual(['DocumentAttached']);
    expect(answer.status).toBe('readmission');
    expect(res.headers.location).toBe(`/v1/cases/${caseId}/documents/${answer.document.documentId}`);
    expect(res.headers.etag).toBe(`"${answer.revision}"`);
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    expect(answer.document).toMatchObject({
      kind: 'passport-copy',
      size: pdf.length,
      sha256,
      mediaType: 'application/pdf',
      requestId: 'q1',
      uploadedBy: 'carla-cw-de',
    });

    const listed = await list(api.tk.cw, caseId);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toEqual([answer.document]);

    const got = await download(api.tk.cw, caseId, answer.document.documentId);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['content-disposition']).toBe(
      `attachment; filename="document-${answer.document.documentId}.pdf"`,
    );
    expect(got.headers['cache-control']).toBe('no-store');
    expect(Buffer.compare(got.rawPayload, pdf)).toBe(0);

    const history = (await t.call('GET', `/v1/cases/${caseId}/history`, api.tk.cw)).json().items;
    expect(history.at(-1)).toMatchObject({
      type: 'DocumentAttached',
      actor: { sub: 'carla-cw-de', role: 'caseworker' },
    });
    expect(sealedFiles(caseId)).toEqual([`${answer.document.documentId}.sealed`]);
  });

  it('never echoes the file name the client sent: the download is named from the document id', async () => {
    const caseId = await api.cleared();
    const hostile = "x\"; filename*=UTF-8''evil.html; <script>.pdf";
    const { document } = await uploaded(api.tk.cw, caseId, uploadForm('photo', tinyPng(), {}, hostile));
    expect(document.mediaType).toBe('image/png');
    const got = await download(api.tk.cw, caseId, document.documentId);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['content-disposition']).toBe(`attachment; filename="document-${document.documentId}.png"`);
    expect(JSON.stringify((await list(api.tk.cw, caseId)).json())).not.toContain('evil');
  });

  it('is allowed in every open stage and refused on a closed case (case-closed)', async () => {
    const caseId = await api.open();
    await uploaded(api.tk.cw, caseId, uploadForm('birth-certificate', tinyPdf('intake')));
    await api.do(api.tk.cw, caseId, 'close-case', { outcome: 'withdrawn', reasons: 'Withdrawn (test).' });
    expectProblem(await upload(api.tk.cw, caseId, uploadForm('other', tinyPdf())), 409, ['case-closed']);
    expect(sealedFiles(caseId)).toHaveLength(1);
  });
});

describe('uploads side by side, and repeats', () => {
  it('lands every one of several concurrent uploads on one case, each with its own file', async () => {
    const caseId = await api.requested(agreementId);
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => upload(api.tk.cw, caseId, uploadForm('photo', tinyPdf(`page ${i}`)))),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201]);
    const ids = answers.map((a) => a.json().document.documentId as string);
    expect(new Set(ids).size).toBe(5);
    const listed = (await list(api.tk.cw, caseId)).json().items.map((d: { documentId: string }) => d.documentId);
    expect([...listed].sort()).toEqual([...ids].sort());
    expect([...sealedFiles(caseId)].sort()).toEqual(ids.map((id) => `${id}.sealed`).sort());
  });

  it('answers a repeat with the same Idempotency-Key with the first upload, and keeps one file', async () => {
    const caseId = await api.requested(agreementId);
    const form = uploadForm('passport-copy', tinyPdf('once'), { requestId: 'q1' });
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: `/v1/cases/${caseId}/documents`,
        headers: { authorization: `Bearer ${api.tk.cw}`, 'content-type': form.contentType, 'idempotency-key': 'k-1' },
        payload: form.payload,
      });
    const first = await send();
    const again = await send();
    expect(first.statusCode, first.body).toBe(201);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().document).toEqual(first.json().document);
    expect(again.json().revision).toBe(first.json().revision);
    expect(sealedFiles(caseId)).toEqual([`${first.json().document.documentId}.sealed`]);
    // The same key with another file is refused (422), and stores nothing.
    const other = uploadForm('passport-copy', tinyPdf('another'), { requestId: 'q1' });
    const reused = await t.app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/documents`,
      headers: { authorization: `Bearer ${api.tk.cw}`, 'content-type': other.contentType, 'idempotency-key': 'k-1' },
      payload: other.payload,
    });
    expectProblem(reused, 422);
    expect(sealedFiles(caseId)).toHaveLength(1);
  });
});

describe('what is accepted', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = await api.requested(agreementId);
  });

  it('judges the type by the bytes, not the name: a text file called passport.pdf is a 415', async () => {
    const res = await upload(
      api.tk.cw,
      caseId,
      uploadForm('passport-copy', Buffer.from('just text, not a PDF'), {}, 'passport.pdf'),
    );
    const p = expectProblem(res, 415);
    expect(p.detail).toMatch(/PDF, JPEG, PNG and TIFF/);
    const html = await upload(
      api.tk.cw,
      caseId,
      uploadForm('photo', Buffer.from('<html><script>x</script>'), {}, 'a.png'),
    );
    expectProblem(html, 415);
    expect(sealedFiles(caseId)).toEqual([]);
  });

  it('answers a JSON body with 415 and says to send a form', async () => {
    const p = expectProblem(await t.call('POST', `/v1/cases/${caseId}/documents`, api.tk.cw, { kind: 'photo' }), 415);
    expect(p.detail).toMatch(/multipart\/form-data/);
  });

  it('refuses a file over 10 MiB with 413 and a problem detail naming the limit', async () => {
    const big = Buffer.concat([tinyPdf(), Buffer.alloc(10 * 1024 * 1024)]);
    const p = expectProblem(await upload(api.tk.cw, caseId, uploadForm('passport-copy', big)), 413);
    expect(p.detail).toMatch(/10 MiB/);
    expect(sealedFiles(caseId)).toEqual([]);
  });

  it('takes a file of exactly 10 MiB', async () => {
    const pdf = tinyPdf();
    const exact = Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024 - pdf.length)]);
    const { document } = await uploaded(api.tk.cw, caseId, uploadForm('court-decision', exact));
    expect(document.size).toBe(10 * 1024 * 1024);
  });

  it('answers bad forms with 400: no kind, an unknown kind, an unknown field, no file, two files, an unknown request', async () => {
    const pdf = tinyPdf();
    const cases: [string, { payload: Buffer; contentType: string }, number][] = [
      ['no kind', multipart([{ name: 'file', file: { bytes: pdf } }]), 400],
      ['unknown kind', uploadForm('selfie', pdf), 400],
      ['unknown field', uploadForm('photo', pdf, { note: 'x' }), 400],
      ['no file', multipart([{ name: 'kind', value: 'photo' }]), 400],
      [
        'file in another field',
        multipart([
          { name: 'kind', value: 'photo' },
          { name: 'scan', file: { bytes: pdf } },
        ]),
        400,
      ],
      ['unknown request', uploadForm('photo', pdf, { requestId: 'q9' }), 400],
      ['bad request id', uploadForm('photo', pdf, { requestId: '../q1' }), 400],
      [
        'two files',
        multipart([
          { name: 'kind', value: 'photo' },
          { name: 'file', file: { bytes: pdf } },
          { name: 'file', file: { bytes: pdf } },
        ]),
        413,
      ],
    ];
    const before = sealedFiles(caseId).length;
    for (const [what, form, status] of cases) {
      const res = await upload(api.tk.cw, caseId, form);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
    }
    expect(sealedFiles(caseId)).toHaveLength(before);
  });

  it('keeps every other route JSON-only: a form sent to an action is still a 415', async () => {
    const res = await upload(api.tk.cw, caseId, uploadForm('photo', tinyPng()));
    expect(res.statusCode).toBe(201);
    const form = uploadForm('photo', tinyPng());
    const action = await t.app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/record-obstacle`,
      headers: { authorization: `Bearer ${api.tk.cw}`, 'content-type': form.contentType },
      payload: form.payload,
    });
    expect(action.statusCode).toBe(415);
  });
});

describe('who sees which document', () => {
  let caseId: string;
  let shared: string;
  let internal: string;
  let medical: string;

  beforeAll(async () => {
    caseId = await api.requested(agreementId);
    shared = (await uploaded(api.tk.cw, caseId, uploadForm('passport-copy', tinyPdf('shared'), { requestId: 'q1' })))
      .document.documentId;
    internal = (await uploaded(api.tk.cw, caseId, uploadForm('photo', tinyPng()))).document.documentId;
    medical = (await uploaded(api.tk.cw, caseId, uploadForm('medical-certificate', tinyPdf('fit')))).document
      .documentId;
  });

  it('never shares a medical certificate or a court decision with the origin State (document-not-shareable)', async () => {
    for (const kind of ['medical-certificate', 'court-decision']) {
      const res = await upload(api.tk.cw, caseId, uploadForm(kind, tinyPdf(), { requestId: 'q1' }));
      expectProblem(res, 409, ['document-not-shareable']);
    }
    expect(sealedFiles(caseId)).toHaveLength(3);
    const history = (await t.call('GET', `/v1/cases/${caseId}/history`, api.tk.cw)).json().items;
    expect(history.filter((i: { type: string }) => i.type === 'DocumentAttached')).toHaveLength(3);
  });

  it('the destination State’s caseworker and the monitors see all; the origin State’s liaison only what is shared', async () => {
    const ids = async (token: string) =>
      ((await list(token, caseId)).json().items as { documentId: string }[]).map((d) => d.documentId);
    expect(await ids(api.tk.cw)).toEqual([shared, internal, medical]);
    expect(await ids(api.tk.monitor)).toEqual([shared, internal, medical]);
    expect(await ids(api.tk.liaison)).toEqual([shared]);
    expect((await download(api.tk.liaison, caseId, shared)).statusCode).toBe(200);
    for (const id of [internal, medical]) {
      const res = await download(api.tk.liaison, caseId, id);
      expectProblem(res, 404);
    }
    expect((await download(api.tk.monitor, caseId, medical)).statusCode).toBe(200);
  });

  it('analysts and admins see none (403); other States do not know of the case (404); only the caseworker uploads', async () => {
    for (const token of [api.tk.analyst, api.tk.admin]) {
      expectProblem(await list(token, caseId), 403, ['not-permitted']);
      expectProblem(await download(token, caseId, shared), 403, ['not-permitted']);
    }
    for (const token of [api.tk.cwFR, api.tk.liaisonMA]) {
      expectProblem(await list(token, caseId), 404);
      expectProblem(await download(token, caseId, shared), 404);
      expectProblem(await upload(token, caseId, uploadForm('photo', tinyPng())), 404);
    }
    for (const token of [api.tk.liaison, api.tk.monitor]) {
      expectProblem(await upload(token, caseId, uploadForm('photo', tinyPng())), 403, ['not-permitted']);
    }
    expectProblem(await download(api.tk.cw, caseId, crypto.randomUUID()), 404);
    expectProblem(await download(api.tk.cw, caseId, 'not-an-id'), 400);
  });

  it('records every download and list by a liaison or a monitor in the read audit, not the caseworker’s', async () => {
    const before = (await t.call('GET', `/v1/audit/reads?caseId=${caseId}&limit=500`, api.tk.admin)).json().items
      .length;
    await download(api.tk.liaison, caseId, shared);
    await download(api.tk.monitor, caseId, internal);
    await download(api.tk.cw, caseId, internal);
    await list(api.tk.liaison, caseId);
    await download(api.tk.liaison, caseId, medical); // refused: not recorded as a download
    const reads = (await t.call('GET', `/v1/audit/reads?caseId=${caseId}&limit=500`, api.tk.admin)).json().items;
    expect(
      reads
        .slice(before)
        .map((r: { view: string; documentId?: string; reader: { role: string } }) => [
          r.reader.role,
          r.view,
          r.documentId ?? null,
        ]),
    ).toEqual([
      ['liaison', 'document', shared],
      ['monitor', 'document', internal],
      ['liaison', 'documents', null],
    ]);
  });
});
