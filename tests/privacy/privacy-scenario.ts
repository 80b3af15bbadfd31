import { expect } from 'vitest';
import { agreementBody, cleared } from '../support/http-fixtures.ts';
import type { TestApp } from '../support/test-app.ts';

/**
 * One fictional family's case carried through everything that is special-category data:
 * a protection claim, a vulnerability finding, a use-of-force report, a monitor's concern,
 * free text everywhere, then return. The names and dates are distinctive so a byte search
 * for them finds nothing else.
 */
export const PII = {
  givenNames: 'Zephyrine',
  familyName: 'Quillfeatherova',
  alias: 'Zeph Quillo',
  dateOfBirth: '1987-03-19',
  placeOfBirth: 'Xandria-under-Test',
  childGivenNames: 'Orlanthe',
  childDateOfBirth: '2018-11-23',
  decisionReference: 'RD-PII-77731',
  passportNumber: 'PK-P-99183371',
  findingNote: 'Zephyrine reports chronic asthma needing an inhaler',
  concernText: 'Escort team used a tight grip on Zephyrine during boarding',
  justificationText: 'Zephyrine resisted at the aircraft door',
} as const;

export const SECRET_VALUES = Object.values(PII);

export async function runPrivacyScenario(t: TestApp) {
  const admin = await t.token('admin', { sub: 'admin-1' });
  const cw = await t.token('caseworker', { state: 'DE', sub: 'cw-de-1' });
  const liaison = await t.token('liaison', { state: 'PK', sub: 'liaison-pk-1' });
  const monitor = await t.token('monitor', { sub: 'monitor-1' });

  const ok = async (method: 'POST' | 'GET', url: string, token: string, body?: unknown) => {
    const res = await t.call(method, url, token, body);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };

  const agreement = await ok('POST', '/v1/agreements', admin, agreementBody());
  const opened = await ok('POST', '/v1/cases', cw, {
    person: {
      givenNames: PII.givenNames,
      familyName: PII.familyName,
      aliases: [PII.alias],
      sex: 'female',
      dateOfBirth: PII.dateOfBirth,
      placeOfBirth: PII.placeOfBirth,
      nationality: 'PK',
      languages: ['ur'],
    },
    household: [
      {
        givenNames: PII.childGivenNames,
        familyName: PII.familyName,
        dateOfBirth: PII.childDateOfBirth,
        relationship: 'child',
      },
    ],
    originState: 'PK',
    returnDecision: { reference: PII.decisionReference, issuedOn: '2026-10-01' },
  });
  const caseId: string = opened.caseId;
  const act = (action: string, token: string, body: unknown) =>
    ok('POST', `/v1/cases/${caseId}/${action}`, token, body);

  await act('verify-protection-status', cw, cleared);
  await act('record-vulnerability-screening', cw, {
    screenedOn: '2026-10-21',
    findings: [{ memberId: 'principal', kind: 'health', note: PII.findingNote }],
  });
  await act('record-best-interests-assessment', cw, {
    memberId: 'm1',
    assessedOn: '2026-10-22',
    assessingBody: 'Youth Welfare Office (independent)',
    independentOfEnforcement: true,
    conclusion: 'return-in-best-interests',
    reasons: `${PII.childGivenNames} has family care waiting`,
  });
  await act('submit-readmission-request', cw, {
    agreementId: agreement.agreementId,
    procedure: 'normal',
    evidence: [{ type: 'passport', reference: PII.passportNumber, validUntil: '2030-01-01' }],
    requestInterview: false,
    careNeededInTransit: 'Inhaler within reach',
  });
  await act('lodge-protection-claim', cw, { lodgedOn: '2026-11-02', kind: 'subsequent-application' });
  await act('decide-protection-claim', cw, { decidedOn: '2026-11-02', outcome: 'rejected' });
  await act('accept-readmission', liaison, { acceptedOn: '2026-11-02' });
  await act('raise-safeguard-concern', monitor, { severity: 'major', text: PII.concernText });
  await act('report-use-of-force', monitor, {
    occurredAt: '2026-11-02T08:00:00Z',
    techniques: ['handcuffs'],
    durationMinutes: 5,
    justification: PII.justificationText,
  });
  // What the liaison sees, read after all of that.
  const liaisonView = await ok('GET', `/v1/cases/${caseId}`, liaison);
  return { caseId, tokens: { admin, cw, liaison, monitor }, liaisonView };
}
