import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyExport } from '../../services/trust/case-export.ts';
import { openSqliteEventStore } from '../../services/event-store/sqlite-store.ts';
import { verifyChains } from '../../services/event-store/chain.ts';
import { Api } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Tamper evidence: each stored event carries its predecessor's hash and its own, over the
 * bytes stored; `rrc verify` names the first broken link; a case export is signed (Ed25519)
 * and can be checked offline with the published key.
 */
const run = promisify(execFile);
const rrc = (dataDir: string, ...args: string[]) =>
  run(process.execPath, ['bin/rrc.js', ...args], { env: { ...process.env, RRC_DATA_DIR: dataDir } }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );

describe('tamper evidence', () => {
  let t: TestApp;
  let api: Api;
  let caseId: string;
  beforeAll(async () => {
    t = await startTestApp();
    api = await Api.start(t);
    caseId = await api.accepted(await api.agreement());
    await api.do(api.tk.admin, caseId, 'erase-personal-data', { reasons: 'Retention ended.' });
  });
  afterAll(() => t.close());

  const file = () => path.join(t.dataDir, 'events.sqlite');

  it('chains every event, and erasure (which rewrites nothing) keeps every chain whole', async () => {
    const stored = await t.services.store.readStream(`case-${caseId}`);
    expect(stored.at(-1)?.type).toBe('PersonalDataErased');
    stored.forEach((e, i) => {
      expect(e.chain?.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(e.chain?.prevHash).toBe(i === 0 ? '0'.repeat(64) : stored[i - 1]!.chain?.hash);
    });
  });

  it('signs an export that verifies offline, and fails when one byte of it changes', async () => {
    const res = await t.call('GET', `/v1/cases/${caseId}/export`, api.tk.monitor);
    expect(res.statusCode, res.body).toBe(200);
    const keys = (await t.call('GET', '/.well-known/rrc-export-keys.json', undefined)).json();
    expect(keys.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' })]);
    expect(keys.keys[0]).not.toHaveProperty('d');

    const checked = await verifyExport(res.json(), keys);
    expect(checked).toMatchObject({ ok: true, export: { caseId, format: 'rrc-case-export-1' } });
    if (!checked.ok) return;
    expect(checked.export.events.map((e) => e.type)).toContain('ReadmissionAccepted');
    // Personal fields travel as stored: ciphertext, so the export holds no name.
    expect(res.body).not.toContain('Testova');

    const jws = res.json();
    const payload = Buffer.from(jws.payload, 'base64url')
      .toString()
      .replace('ReadmissionAccepted', 'ReadmissionRejected');
    const forged = { ...jws, payload: Buffer.from(payload).toString('base64url') };
    expect(await verifyExport(forged, keys)).toMatchObject({ ok: false, reason: 'signature' });

    writeFileSync(path.join(t.dataDir, 'export.json'), res.body);
    writeFileSync(path.join(t.dataDir, 'keys.json'), JSON.stringify(keys));
    const cli = await rrc(
      t.dataDir,
      'verify-export',
      path.join(t.dataDir, 'export.json'),
      '--key',
      path.join(t.dataDir, 'keys.json'),
    );
    expect(cli).toMatchObject({ code: 0, stdout: expect.stringContaining(`ok: case ${caseId}`) });
  });

  it('is for caseworkers of the State and monitors: a liaison gets 403, another State 404', async () => {
    expect((await t.call('GET', `/v1/cases/${caseId}/export`, api.tk.liaison)).statusCode).toBe(403);
    expect((await t.call('GET', `/v1/cases/${caseId}/export`, api.tk.cwFR)).statusCode).toBe(404);
  });

  it('rrc verify holds on the untouched store and names the event whose stored byte was edited', async () => {
    await t.stop();
    expect(await rrc(t.dataDir, 'verify')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^ok: \d+ events/) });

    const raw = new Database(file());
    const target = raw
      .prepare(`SELECT position, revision, data FROM events WHERE stream_id = ? AND revision = 1`)
      .get(`case-${caseId}`) as { position: number; revision: number; data: string };
    // One byte: the first digit of the stored payload, one higher.
    const i = target.data.search(/\d/);
    const edited = `${target.data.slice(0, i)}${(Number(target.data[i]) + 1) % 10}${target.data.slice(i + 1)}`;
    expect(Buffer.byteLength(edited)).toBe(Buffer.byteLength(target.data));
    raw.prepare(`UPDATE events SET data = ? WHERE position = ?`).run(edited, target.position);
    raw.close();

    const result = await rrc(t.dataDir, 'verify');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`broken: stream case-${caseId} at revision 1 (position ${target.position})`);
    expect(result.stdout).toContain('stored bytes no longer match');
  });
});

describe('a store written before hash chains', () => {
  it('chains the events it holds when opened, and verifies', async () => {
    const t = await startTestApp();
    const file = path.join(t.dataDir, 'old-events.sqlite');
    const raw = new Database(file);
    raw.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
      stream_id TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT, metadata TEXT,
      created_at TEXT NOT NULL, UNIQUE (stream_id, revision))`);
    const insert = raw.prepare(
      `INSERT INTO events (id, stream_id, revision, type, data, metadata, created_at) VALUES (?, ?, ?, 'Noted', '{}', '{}', '2026-01-01T00:00:00.000Z')`,
    );
    ['a', 'b', 'c'].forEach((id, i) => insert.run(id, i < 2 ? 's-1' : 's-2', i < 2 ? i : 0));
    raw.pragma('user_version = 1');
    raw.close();

    const store = openSqliteEventStore(file, { synchronous: 'NORMAL' });
    try {
      expect(await verifyChains(store.chainLinks())).toEqual({ events: 3, streams: 2, firstBreak: null });
      await store.append('s-1', [{ id: 'd', type: 'Noted', data: {}, metadata: {} }], 1);
      const s1 = await store.readStream('s-1');
      expect(s1[2]!.chain?.prevHash).toBe(s1[1]!.chain?.hash);
      expect((await verifyChains(store.chainLinks())).firstBreak).toBeNull();
    } finally {
      await store.close();
      await t.close();
    }
  });
});
