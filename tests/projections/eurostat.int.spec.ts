import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The Eurostat return figures (Regulation (EC) No 862/2007 art. 7) on a few fictional cases
 * walked over HTTP, in known quarters:
 *
 *   A  DE, family of 2, PK national, decision 20 Sep 2026 (Q3); removal departs 5 Nov (Q4), both travel
 *   B  DE, single adult, MA national returning to MA, decision 10 Oct (Q4); assisted voluntary
 *      departure verified 10 Nov (Q4)
 *   C  DE, single adult, AF national to be returned to PK, decision 15 Aug (Q3); still open
 *   E  DE, single adult, AF national returned to PK, decision 5 Oct (Q4); a voluntary-assisted
 *      removal departs 5 Nov (Q4): enforced and assisted
 *   D  FR, family of 2, PK national, decision 1 Oct (Q4); still open
 */
const ZERO = {
  orderedToLeave: 0,
  returned: 0,
  returnedEnforced: 0,
  returnedVoluntary: 0,
  returnedAssisted: 0,
  returnedNonAssisted: 0,
  returnedByDestination: {},
};
const adult = (givenNames: string, nationality: string) => ({
  givenNames,
  familyName: 'Fictionova',
  aliases: [],
  sex: 'male' as const,
  dateOfBirth: '1984-02-03',
  placeOfBirth: 'Nowhere',
  nationality,
  languages: [],
});

const EXPECTED = [
  { ...ZERO, reportingState: 'DE', quarter: '2026-Q3', citizenship: 'AF', orderedToLeave: 1 },
  { ...ZERO, reportingState: 'DE', quarter: '2026-Q3', citizenship: 'PK', orderedToLeave: 2 },
  {
    ...ZERO,
    reportingState: 'DE',
    quarter: '2026-Q4',
    citizenship: 'AF',
    orderedToLeave: 1,
    returned: 1,
    returnedEnforced: 1,
    returnedAssisted: 1,
    returnedByDestination: { PK: 1 },
  },
  {
    ...ZERO,
    reportingState: 'DE',
    quarter: '2026-Q4',
    citizenship: 'MA',
    orderedToLeave: 1,
    returned: 1,
    returnedVoluntary: 1,
    returnedAssisted: 1,
    returnedByDestination: { MA: 1 },
  },
  {
    ...ZERO,
    reportingState: 'DE',
    quarter: '2026-Q4',
    citizenship: 'PK',
    returned: 2,
    returnedEnforced: 2,
    returnedNonAssisted: 2,
    returnedByDestination: { PK: 2 },
  },
  { ...ZERO, reportingState: 'FR', quarter: '2026-Q4', citizenship: 'PK', orderedToLeave: 2 },
];

describe('Eurostat return figures (GET /v1/reports/eurostat-returns)', () => {
  let t: TestApp;
  let api: Api;
  let caseB = '';
  let position = 0;

  const report = async (query = '', headers: Record<string, string> = {}, token = api.tk.analyst) =>
    t.call('GET', `/v1/reports/eurostat-returns?minPosition=${position}${query}`, token, undefined, headers);

  beforeAll(async () => {
    t = await startTestApp();
    api = await Api.start(t);
    const agreementId = await api.agreement();
    const caseA = await api.requested(agreementId, { returnDecision: { reference: 'RD-A', issuedOn: '2026-09-20' } });
    await api.do(api.tk.liaison, caseA, 'accept-readmission');
    await api.do(api.tk.cw, caseA, 'record-best-interests-assessment');
    await api.do(api.tk.cw, caseA, 'plan-removal');
    await api.do(api.tk.cw, caseA, 'record-departure');
    const caseE = await api.requested(agreementId, {
      person: adult('Farid', 'AF'),
      household: [],
      returnDecision: { reference: 'RD-E', issuedOn: '2026-10-05' },
    });
    await api.do(api.tk.liaison, caseE, 'accept-readmission');
    await api.do(api.tk.cw, caseE, 'plan-removal', { mode: 'voluntary-assisted' });
    await api.do(api.tk.cw, caseE, 'record-departure');
    caseB = await api.open({
      person: adult('Yusuf', 'MA'),
      household: [],
      originState: 'MA',
      returnDecision: { reference: 'RD-B', issuedOn: '2026-10-10' },
    });
    await api.do(api.tk.cw, caseB, 'verify-protection-status');
    await api.do(api.tk.cw, caseB, 'grant-voluntary-departure', { assisted: true });
    t.clock.set('2026-11-10T12:00:00Z');
    await api.do(api.tk.cw, caseB, 'record-voluntary-departure', { departedOn: '2026-11-10' });
    await api.open({
      person: adult('Omid', 'AF'),
      household: [],
      returnDecision: { reference: 'RD-C', issuedOn: '2026-08-15' },
    });
    const caseD = await api.open({}, api.tk.cwFR);
    position = (await api.do(api.tk.cwFR, caseD, 'verify-protection-status')).position;
  });
  afterAll(() => t.close());

  it('counts persons ordered to leave and returned per reporting State, quarter and citizenship', async () => {
    const res = await report();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ asOf: '2026-11-10', from: null, to: null, rows: EXPECTED });
  });

  it('limits the rows to the quarters asked for, inclusive', async () => {
    const q4 = await report('&from=2026-Q4&to=2026-Q4');
    expect(q4.json().rows).toEqual(EXPECTED.filter((r) => r.quarter === '2026-Q4'));
    const upToQ3 = await report('&to=2026-Q3');
    expect(upToQ3.json().rows).toEqual(EXPECTED.filter((r) => r.quarter === '2026-Q3'));
    expect((await report('&from=2027-Q1')).json().rows).toEqual([]);
  });

  it('answers the same rows as CSV, with a column per destination', async () => {
    const res = await report('', { accept: 'text/csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="eurostat-returns-2026-11-10.csv"');
    expect(res.body.split('\r\n')).toEqual([
      'reportingState,quarter,citizenship,orderedToLeave,returned,returnedEnforced,returnedVoluntary,' +
        'returnedAssisted,returnedNonAssisted,returnedByDestination.MA,returnedByDestination.PK',
      'DE,2026-Q3,AF,1,0,0,0,0,0,0,0',
      'DE,2026-Q3,PK,2,0,0,0,0,0,0,0',
      'DE,2026-Q4,AF,1,1,1,0,1,0,0,1',
      'DE,2026-Q4,MA,1,1,0,1,1,0,1,0',
      'DE,2026-Q4,PK,0,2,2,0,0,2,0,2',
      'FR,2026-Q4,PK,2,0,0,0,0,0,0,0',
      '',
    ]);
  });

  it('gives analysts numbers only: no name of a person in the answer', async () => {
    for (const headers of [{}, { accept: 'text/csv' }] as Record<string, string>[]) {
      const body = (await report('', headers)).body;
      for (const name of ['Amina', 'Testova', 'Sami', 'Yusuf', 'Omid', 'Farid', 'Fictionova', 'RD-']) {
        expect(body).not.toContain(name);
      }
    }
  });

  it('refuses other roles and bad quarters with Problem Details', async () => {
    expectProblem(await report('', {}, api.tk.liaison), 403);
    expect((await report('', {}, api.tk.admin)).statusCode).toBe(200);
    expectProblem(await report('&from=2026-13'), 400);
    expectProblem(await report('&from=2026-Q5'), 400);
    expectProblem(await report('&from=2026-Q4&to=2026-Q3'), 400);
    expectProblem(await t.call('GET', '/v1/reports/eurostat-returns', undefined), 401);
  });

  it('a rebuild gives the same rows', async () => {
    await t.services.projections.rebuild('eurostat');
    expect((await report()).json().rows).toEqual(EXPECTED);
  });

  it('after erasure the persons stay counted, under unknown citizenship, and a rebuild agrees', async () => {
    const erased = await api.do(api.tk.admin, caseB, 'erase-personal-data');
    position = erased.position;
    // Same figures; B's row is now under UNK, which sorts after PK.
    const withUnknown = [...EXPECTED.slice(0, 3), EXPECTED[4], { ...EXPECTED[3], citizenship: 'UNK' }, EXPECTED[5]];
    expect((await report()).json().rows).toEqual(withUnknown);
    await t.services.projections.rebuild('eurostat');
    expect((await report()).json().rows).toEqual(withUnknown);
  });
});
