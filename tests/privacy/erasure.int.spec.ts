import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { PII, runPrivacyScenario, SECRET_VALUES } from './privacy-scenario.ts';

/** Every file below a folder, read as bytes. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesBelow(p) : [p];
  });
}

/** Where any of the values occurs in the bytes, as UTF-8 or UTF-16. */
function hits(bytes: Buffer, values: readonly string[]): string[] {
  return values.filter((v) => bytes.includes(Buffer.from(v, 'utf8')) || bytes.includes(Buffer.from(v, 'utf16le')));
}

describe('erasure by crypto-shredding', () => {
  let t: TestApp;
  let caseId: string;
  let tokens: Awaited<ReturnType<typeof runPrivacyScenario>>['tokens'];

  beforeAll(async () => {
    t = await startTestApp({ captureLogs: true });
    ({ caseId, tokens } = await runPrivacyScenario(t));
  });
  afterAll(() => t.close());

  it('never writes personal data in the clear, even before erasure', () => {
    // Controls: the search does find what is stored in the clear.
    const all = Buffer.concat(filesBelow(t.dataDir).map((f) => readFileSync(f)));
    expect(hits(all, ['CaseOpened', caseId])).toHaveLength(2);
    expect(hits(all, SECRET_VALUES)).toEqual([]);
  });

  it('reads the personal data back while the key exists', async () => {
    const view = (await t.call('GET', `/v1/cases/${caseId}`, tokens.cw)).json();
    expect(view.person.givenNames).toBe(PII.givenNames);
    expect(view.household[0].dateOfBirth).toBe(PII.childDateOfBirth);
  });

  it('is for admins only and needs reasons', async () => {
    const byCaseworker = await t.call('POST', `/v1/cases/${caseId}/erase-personal-data`, tokens.cw, { reasons: 'x' });
    expect(byCaseworker.statusCode).toBe(403);
    const blank = await t.call('POST', `/v1/cases/${caseId}/erase-personal-data`, tokens.admin, { reasons: '  ' });
    expect(blank.statusCode).toBe(409);
    expect(blank.json().rules).toEqual(['reasons-required']);
  });

  it('leaves no personal data in events, read models, files or logs, and keeps the history', async () => {
    const historyBefore = (await t.call('GET', `/v1/cases/${caseId}/history?limit=500`, tokens.cw)).json().items;
    const res = await t.call('POST', `/v1/cases/${caseId}/erase-personal-data`, tokens.admin, {
      reasons: 'Retention period ended',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().events).toEqual(['PersonalDataErased']);

    const view = (await t.call('GET', `/v1/cases/${caseId}`, tokens.cw)).json();
    expect(view.person).toBeNull();
    expect(view.personalDataErased).toBe(true);
    expect(JSON.stringify(view)).not.toContain(PII.givenNames);
    expect(hits(Buffer.from(JSON.stringify(view)), SECRET_VALUES)).toEqual([]);

    const historyAfter = (await t.call('GET', `/v1/cases/${caseId}/history?limit=500`, tokens.cw)).json().items;
    expect(historyAfter.slice(0, historyBefore.length)).toEqual(historyBefore);
    expect(historyAfter.at(-1)).toMatchObject({ type: 'PersonalDataErased', actor: { sub: 'admin-1', role: 'admin' } });

    const again = await t.call('POST', `/v1/cases/${caseId}/erase-personal-data`, tokens.admin, { reasons: 'twice' });
    expect(again.statusCode).toBe(409);

    await t.stop();
    const files = filesBelow(t.dataDir);
    expect(files.some((f) => f.endsWith('events.sqlite'))).toBe(true);
    for (const file of files) expect(hits(readFileSync(file), SECRET_VALUES), file).toEqual([]);
    expect(t.logs.length).toBeGreaterThan(10);
    expect(hits(Buffer.from(t.logs.join('\n')), SECRET_VALUES)).toEqual([]);
  });
});
