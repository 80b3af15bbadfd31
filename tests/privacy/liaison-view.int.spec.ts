import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { PII, runPrivacyScenario } from './privacy-scenario.ts';

/** Keys that must never appear in anything a liaison receives (domain.md: absent, not hidden). */
const FORBIDDEN_KEYS = [
  'protection',
  'holds',
  'protectionClaims',
  'vulnerabilityScreening',
  'findings',
  'bestInterestsAssessments',
  'fitnessToTravel',
  'useOfForceAssessment',
  'useOfForceReports',
  'openConcerns',
  'concerns',
  'openObstacles',
  'abortedRemovals',
  'monitor',
  'returnDecision',
  'outcome',
  'languages',
];
/** Values that would tell the origin State of the claim, the health data, the incident or the concern. */
const FORBIDDEN_VALUES = [
  'subsequent-application',
  'protection-claim',
  PII.findingNote,
  PII.concernText,
  PII.justificationText,
  'handcuffs',
  'asthma',
  PII.decisionReference,
];

function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysOf(v, into);
    }
  }
  return into;
}

function expectNothingForbidden(answer: string) {
  const parsed: unknown = JSON.parse(answer);
  const keys = keysOf(parsed);
  expect(FORBIDDEN_KEYS.filter((k) => keys.has(k))).toEqual([]);
  expect(FORBIDDEN_VALUES.filter((v) => answer.includes(v))).toEqual([]);
}

describe('the liaison sees only the allow-list', () => {
  let t: TestApp;
  let scenario: Awaited<ReturnType<typeof runPrivacyScenario>>;
  beforeAll(async () => {
    t = await startTestApp();
    scenario = await runPrivacyScenario(t);
  });
  afterAll(() => t.close());

  it('gets identity, request, deadlines and care in transit in the case view', () => {
    const v = scenario.liaisonView;
    expect(v.person).toMatchObject({ givenNames: PII.givenNames, dateOfBirth: PII.dateOfBirth, nationality: 'PK' });
    expect(v.readmissionRequest).toMatchObject({ status: 'accepted' });
    expect(v.careNeededInTransit).toBe('Inhaler within reach');
    expect(v.identityDocuments).toEqual([
      { type: 'passport', reference: PII.passportNumber, validUntil: '2030-01-01' },
    ]);
  });

  // Review against the law (domain/README.md): the household child travels with the person and
  // the origin State readmits the child too, so the request shows who travels, minimised.
  it('names the household members who travel with the person, before any removal is planned', () => {
    expect(scenario.liaisonView.accompanyingMembers).toEqual([
      {
        memberId: 'm1',
        givenNames: PII.childGivenNames,
        familyName: PII.familyName,
        dateOfBirth: PII.childDateOfBirth,
        relationship: 'child',
      },
    ]);
  });

  it('names only those a planned removal moves, once one is planned', async () => {
    const { caseId, tokens } = scenario;
    const planned = await t.call('POST', `/v1/cases/${caseId}/plan-removal`, tokens.cw, {
      departureAt: '2026-11-10T10:00:00Z',
      mode: 'voluntary-assisted',
      members: [],
      familySeparation: { reasons: 'The child stays with the other parent, by a court decision.' },
      transport: { kind: 'scheduled-flight', reference: 'XX 1234' },
    });
    expect(planned.statusCode, planned.body).toBe(200);
    const v = (await t.call('GET', `/v1/cases/${caseId}`, tokens.liaison)).json();
    expect(v.accompanyingMembers).toEqual([]);
    expect(JSON.stringify(v)).not.toContain(PII.childGivenNames);
    expect(JSON.stringify(v)).not.toContain('court decision');
  });

  it('finds no claim, health finding, incident or concern in the case view', () => {
    expectNothingForbidden(JSON.stringify(scenario.liaisonView));
  });

  it('finds none of them in refusals and errors either', async () => {
    const { caseId, tokens } = scenario;
    const answers = [
      await t.call('POST', `/v1/cases/${caseId}/accept-readmission`, tokens.liaison, { acceptedOn: '2026-11-03' }),
      await t.call('POST', `/v1/cases/${caseId}/plan-removal`, tokens.liaison, {
        departureAt: '2026-12-01T10:00:00Z',
        mode: 'escorted',
        transport: { kind: 'charter' },
      }),
      await t.call('GET', `/v1/cases/${caseId}/history`, tokens.liaison),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([409, 403, 403]);
    for (const a of answers) expectNothingForbidden(a.body);
  });

  it('the caseworker does see them: the checks above are not vacuous', async () => {
    const full = await t.call('GET', `/v1/cases/${scenario.caseId}`, scenario.tokens.cw);
    expect(full.body).toContain(PII.findingNote);
    expect(keysOf(full.json()).has('holds')).toBe(true);
  });
});
