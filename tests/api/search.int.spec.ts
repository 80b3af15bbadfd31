import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Search for caseworkers: by case reference, return-decision reference, and name with date of
 * birth through a blind index (keyed hashes of normalised values); erasure removes a person's
 * entries, so they are no longer found.
 */
describe('POST /v1/search/cases', () => {
  let t: TestApp;
  let api: Api;
  let amina: string;
  let other: string;
  beforeAll(async () => {
    t = await startTestApp();
    api = await Api.start(t);
    amina = await api.open({
      person: {
        givenNames: 'Ámina Zofia',
        familyName: 'Blindtestova',
        aliases: [],
        sex: 'female',
        dateOfBirth: '1990-04-01',
        placeOfBirth: 'Faisalabad',
        nationality: 'PK',
        languages: ['ur'],
      },
      returnDecision: { reference: 'RD-2026/4711', issuedOn: '2026-10-01' },
    });
    other = await api.open();
  });
  afterAll(() => t.close());

  /** The search, given as `key=value&…` for brevity; sent as a JSON body (never a URL). */
  const search = async (query: string, token = api.tk.cw) => {
    const minPosition = await t.services.store.headPosition();
    const body = { ...Object.fromEntries(new URLSearchParams(query)), minPosition };
    return t.call('POST', '/v1/search/cases', token, body);
  };
  const ids = async (query: string, token = api.tk.cw) => {
    const res = await search(query, token);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items.map((i: { caseId: string }) => i.caseId);
  };

  it('finds a person by any words of their names, any case and accents, with the date of birth', async () => {
    expect(await ids('name=amina%20BLINDTESTOVA&dateOfBirth=1990-04-01')).toEqual([amina]);
    expect(await ids('name=zofia&dateOfBirth=1990-04-01')).toEqual([amina]);
    expect(await ids('name=amina%20blindtestova&dateOfBirth=1990-04-02')).toEqual([]);
    expect(await ids('name=amina%20someoneelse&dateOfBirth=1990-04-01')).toEqual([]);
  });

  it('finds by return-decision reference and by case reference, within the caller’s State only', async () => {
    expect(await ids('returnDecisionReference=rd%202026-4711')).toEqual([amina]);
    const reference = (await api.view(other)).reference as string;
    const res = await search(`reference=${reference.toLowerCase()}`);
    expect(res.json().items).toEqual([expect.objectContaining({ caseId: other, reference })]);
    expect(await ids('name=amina%20blindtestova&dateOfBirth=1990-04-01', api.tk.cwFR)).toEqual([]);
    expect(await ids(`reference=${reference}`, api.tk.cwFR)).toEqual([]);
  });

  it('keeps no name in the read models, only keyed hashes', () => {
    const file = path.join(t.dataDir, 'read-models.sqlite');
    const bytes = Buffer.concat(
      [file, `${file}-wal`].filter((f) => statSync(f, { throwIfNoEntry: false })).map((f) => readFileSync(f)),
    );
    expect(bytes.includes('Blindtestova')).toBe(false);
    expect(bytes.includes('blindtestova')).toBe(false);
    expect(readdirSync(t.dataDir)).toContain('read-models.sqlite');
  });

  it('is for caseworkers, and asks for something to search by', async () => {
    expectProblem(await search('name=amina&dateOfBirth=1990-04-01', api.tk.monitor), 403);
    expectProblem(await search('name=amina&dateOfBirth=1990-04-01', api.tk.liaison), 403);
    expectProblem(await search('name=amina'), 400);
    expectProblem(await search(''), 400);
  });

  it('no longer finds a person whose personal data were erased', async () => {
    await api.do(api.tk.admin, amina, 'erase-personal-data', { reasons: 'Retention ended.' });
    expect(await ids('name=amina%20blindtestova&dateOfBirth=1990-04-01')).toEqual([]);
    expect(await ids('returnDecisionReference=RD-2026/4711')).toEqual([]);
  });
});
