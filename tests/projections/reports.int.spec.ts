import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READMISSION_OBSTACLES_COLUMNS } from '../../projections/index.ts';
import { AGREEMENT_A_TITLE, buildScenario, SCENARIO_TODAY, type Scenario } from '../support/projection-scenario.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) the way a spreadsheet does. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

const obstacle = (count: number, open: number, medianDaysOpen: number | null) => ({ count, open, medianDaysOpen });
const noObstacles = {
  'no-reply': obstacle(0, 0, null),
  'identification-failure': obstacle(0, 0, null),
  'readmission-rejected': obstacle(0, 0, null),
  'travel-document-delay': obstacle(0, 0, null),
  'travel-document-refused': obstacle(0, 0, null),
  'charter-refused': obstacle(0, 0, null),
  'no-transport': obstacle(0, 0, null),
  'medical-unfitness': obstacle(0, 0, null),
  'legal-suspension': obstacle(0, 0, null),
  absconded: obstacle(0, 0, null),
  'non-cooperation': obstacle(0, 0, null),
  other: obstacle(0, 0, null),
};
const noRejections = {
  'nationality-not-established': 0,
  'not-a-national': 0,
  'insufficient-evidence': 0,
  'person-unknown': 0,
  other: 0,
};
const noAborts = {
  'protection-claim': 0,
  medical: 0,
  resistance: 0,
  'pilot-refusal': 0,
  'escort-decision': 0,
  'court-order': 0,
  'origin-state-refusal': 0,
  'no-show': 0,
  technical: 0,
};

describe('reports (exact figures on a known set of cases)', () => {
  let t: TestApp;
  let s: Scenario;
  let analyst: string;
  beforeAll(async () => {
    t = await startTestApp();
    s = await buildScenario(t);
    analyst = await t.token('analyst');
  });
  afterAll(() => t.close());

  it('gives one row per origin State and agreement with exact counts, medians, p90s and shares', async () => {
    const res = await t.call('GET', `/v1/reports/readmission-obstacles?minPosition=${s.position}`, analyst);
    expect(res.statusCode).toBe(200);
    const { asOf, rows } = res.json();
    expect(asOf).toBe(SCENARIO_TODAY);
    // By origin State, then agreement (facts of cases with no request last).
    expect(
      rows.map((r: { originState: string; agreementId: string | null }) => [r.originState, r.agreementId]),
    ).toEqual([
      ['MA', s.agreementB],
      ['PK', s.agreementA],
      ['PK', null],
    ]);
    const [ma, pk, pkNone] = rows;
    expect(pk).toEqual({
      originState: 'PK',
      agreementId: s.agreementA,
      agreementTitle: AGREEMENT_A_TITLE,
      requests: {
        submitted: 8,
        accepted: 5,
        deemedAccepted: 1,
        rejected: 1,
        rejectedByReason: { ...noRejections, 'insufficient-evidence': 1 },
        pending: 1,
        overdue: 0,
        withdrawn: 0,
        extensions: 1,
      },
      // Reply days 1, 2, 5, 10, 20, 38: median (5 + 10) / 2, p90 at rank 4.5: 20 + 0.5 · 18.
      replies: { answered: 6, medianDays: 7.5, p90Days: 29, answeredOnTime: 6, due: 7, shareOnTime: 0.8571 },
      // F1 and P1 on time, P2 late; P3 and P5 overdue; P6 due today (not overdue).
      travelDocuments: { issued: 3, issuedOnTime: 2, overdue: 2, shareOnTime: 0.4 },
      obstacles: {
        ...noObstacles,
        'readmission-rejected': obstacle(1, 0, 7),
        'identification-failure': obstacle(1, 1, 22),
        'no-transport': obstacle(1, 0, 4),
        // P3 open since 18 Nov (27 days), P5 since 3 Dec (12 days).
        'travel-document-delay': obstacle(2, 2, 19.5),
      },
      removals: { planned: 4, departed: 3, returned: 3, aborted: 1, abortedByReason: { ...noAborts, medical: 1 } },
    });
    expect(pkNone).toMatchObject({
      originState: 'PK',
      agreementId: null,
      agreementTitle: null,
      requests: { submitted: 0 },
      obstacles: { ...noObstacles, 'non-cooperation': obstacle(1, 1, 35) },
    });
    expect(ma).toEqual({
      originState: 'MA',
      agreementId: s.agreementB,
      agreementTitle: 'Fictional agreement EU–MA',
      requests: {
        submitted: 5,
        accepted: 2,
        deemedAccepted: 0,
        rejected: 2,
        rejectedByReason: { ...noRejections, 'not-a-national': 2 },
        pending: 1,
        overdue: 1,
        withdrawn: 0,
        extensions: 0,
      },
      // Reply days 3, 8, 14, 23: median (8 + 14) / 2, p90 at rank 2.7: 14 + 0.7 · 9.
      replies: { answered: 4, medianDays: 11, p90Days: 20.3, answeredOnTime: 3, due: 5, shareOnTime: 0.6 },
      // M1 holds a passport (no document needed); M3's came on time.
      travelDocuments: { issued: 1, issuedOnTime: 1, overdue: 0, shareOnTime: 1 },
      // M3's no-reply lasted 7 days; M4's is open since 18 Nov (27 days).
      obstacles: { ...noObstacles, 'no-reply': obstacle(2, 1, 17) },
      removals: { planned: 0, departed: 0, returned: 0, aborted: 0, abortedByReason: noAborts },
    });
  });

  it('filters by origin State and by the dates of the facts', async () => {
    const ma = (await t.call('GET', '/v1/reports/readmission-obstacles?originState=MA', analyst)).json();
    expect(ma.rows.map((r: { originState: string }) => r.originState)).toEqual(['MA']);
    const december = (
      await t.call('GET', '/v1/reports/readmission-obstacles?from=2026-12-01&to=2026-12-31', analyst)
    ).json();
    // Only P7's request was submitted in December; only P5's delay obstacle opened then.
    expect(december.rows).toHaveLength(1);
    expect(december.rows[0]).toMatchObject({
      originState: 'PK',
      requests: { submitted: 1, pending: 1 },
      obstacles: { 'travel-document-delay': obstacle(1, 1, 12) },
      removals: { planned: 0, departed: 0 },
    });
  });

  it('gives the safeguard figures', async () => {
    const res = await t.call('GET', '/v1/reports/safeguards', analyst);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      asOf: SCENARIO_TODAY,
      from: null,
      to: null,
      children: { removed: 1, assessedBeforeRemoval: 1, share: 1 },
      escortedRemovals: { departed: 1, withMonitor: 1, share: 1 },
      useOfForce: {
        reports: 1,
        withProhibitedTechniques: 1,
        prohibitedByTechnique: {
          'airway-obstruction': 0,
          sedation: 0,
          'face-down-restraint': 1,
          gag: 0,
          'punitive-force': 0,
        },
        injuriesReported: 0,
      },
      // Answered in 3 h (P2) and 6.5 h (P3): median 4.75, p90 3 + 0.9 · 3.5.
      criticalConcerns: {
        raised: 2,
        responded: 2,
        unanswered: 0,
        closedWithoutResponse: 0,
        hoursToResponse: { median: 4.75, p90: 6.15 },
      },
      aborts: { total: 1, byReason: { ...noAborts, medical: 1 } },
    });
  });

  it('answers CSV for Accept: text/csv: a header row, one row per origin State and agreement, RFC 4180 quoting', async () => {
    const res = await t.call('GET', '/v1/reports/readmission-obstacles', analyst, undefined, { accept: 'text/csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="readmission-obstacles-2026-12-15\.csv"/);
    expect(res.body.endsWith('\r\n')).toBe(true);
    // The title has a comma and double quotes: quoted, quotes doubled.
    expect(res.body).toContain('"Fictional agreement ""EU–PK"", test terms"');
    const [header, ...data] = parseCsv(res.body);
    expect(header).toEqual(READMISSION_OBSTACLES_COLUMNS);
    expect(header).toContain('replies.medianDays');
    expect(header).toContain('obstacles.travel-document-delay.medianDaysOpen');
    expect(header).toContain('removals.abortedByReason.medical');
    expect(data).toHaveLength(3);
    expect(data.every((row) => row.length === header!.length)).toBe(true);
    const pk = Object.fromEntries(header!.map((c, i) => [c, data[1]![i]]));
    expect(pk).toMatchObject({
      originState: 'PK',
      agreementId: s.agreementA,
      agreementTitle: AGREEMENT_A_TITLE,
      'requests.submitted': '8',
      'replies.medianDays': '7.5',
      'replies.p90Days': '29',
      'replies.shareOnTime': '0.8571',
      'obstacles.travel-document-delay.medianDaysOpen': '19.5',
      'obstacles.charter-refused.medianDaysOpen': '',
    });
    const none = Object.fromEntries(header!.map((c, i) => [c, data[2]![i]]));
    expect(none.agreementId).toBe('');
    // Counts, rates and durations only: no names, dates of birth or free text anywhere.
    for (const text of ['Testova', 'Examplo', 'Fictional reasons', 'Fictional note', '1985-07-12']) {
      expect(res.body).not.toContain(text);
    }
  });

  it('is for analysts and admins only (403 not-permitted otherwise)', async () => {
    const admin = await t.token('admin');
    expect((await t.call('GET', '/v1/reports/safeguards', admin)).statusCode).toBe(200);
    for (const role of ['caseworker', 'liaison', 'monitor'] as const) {
      const token = await t.token(role, { state: 'PK' });
      for (const url of ['/v1/reports/readmission-obstacles', '/v1/reports/safeguards']) {
        const res = await t.call('GET', url, token);
        expect(res.statusCode, `${role} ${url}`).toBe(403);
        expect(res.json()).toMatchObject({ status: 403, rules: ['not-permitted'] });
      }
    }
  });
});
