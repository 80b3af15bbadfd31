import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { ActionBody, ActionName, AgreementTerms, OpenCaseBody } from '../../contracts/index.ts';
import { agreementBody, cleared, familyCaseBody } from './http-fixtures.ts';
import type { TestApp } from './test-app.ts';

/**
 * Walking cases over HTTP (fastify `inject`) for the API specs. Times follow the test
 * clock's default start, Monday 2 November 2026 09:00 UTC:
 *
 *   2 Nov  case opened, protection verified, request submitted (passport valid to 2028),
 *          request accepted (transfer by 31 Jan 2027), travel document issued
 *   5 Nov  removal departs 07:30 UTC (70 h after "now": past the 24 h arrival notice),
 *          departure recorded 07:45 UTC, arrival 15:20 +05:00
 *
 * Everyone is fictional.
 */
export interface Tokens {
  admin: string;
  /** Caseworker of DE: the destination State of the standard case. */
  cw: string;
  /** Caseworker of FR: another destination State, which must not know of DE's cases. */
  cwFR: string;
  /** Liaison of PK: the origin State of the standard case. */
  liaison: string;
  /** Liaison of MA: an origin State with no request addressed to it. */
  liaisonMA: string;
  monitor: string;
  analyst: string;
}

export async function tokensFor(t: TestApp): Promise<Tokens> {
  return {
    admin: await t.token('admin', { sub: 'ada-admin' }),
    cw: await t.token('caseworker', { state: 'DE', sub: 'carla-cw-de' }),
    cwFR: await t.token('caseworker', { state: 'FR', sub: 'felix-cw-fr' }),
    liaison: await t.token('liaison', { state: 'PK', sub: 'pavel-liaison-pk' }),
    liaisonMA: await t.token('liaison', { state: 'MA', sub: 'malik-liaison-ma' }),
    monitor: await t.token('monitor', { sub: 'mona-monitor' }),
    analyst: await t.token('analyst', { sub: 'anna-analyst' }),
  };
}

export const DEPARTURE_AT = '2026-11-05T07:30:00Z';
export const DEPARTED_AT = '2026-11-05T07:45:00Z';
export const ARRIVED_AT = '2026-11-05T15:20:00+05:00';

/** A valid body for every action, on the standard timeline; override what a spec is about. */
export const BODIES: { [A in ActionName]: ActionBody<A> } = {
  'verify-protection-status': cleared,
  'record-vulnerability-screening': {
    screenedOn: '2026-10-27',
    findings: [{ memberId: 'm1', kind: 'health', note: 'Asthma; carries an inhaler.' }],
  },
  'record-best-interests-assessment': {
    memberId: 'm1',
    assessedOn: '2026-10-28',
    assessingBody: 'Jugendamt (fictional youth welfare office)',
    independentOfEnforcement: true,
    conclusion: 'return-in-best-interests',
    reasons: 'The child returns with the mother; extended family and school place in Faisalabad.',
  },
  'verify-reception-arrangement': {
    memberId: 'm1',
    kind: 'family',
    verifiedOn: '2026-10-29',
    details: 'Grandparents confirmed reception through the embassy.',
  },
  'grant-voluntary-departure': { grantedOn: '2026-11-02', days: 14, assisted: true },
  'record-absconding-risk': { assessedOn: '2026-11-02', reasons: 'Left the assigned residence twice.' },
  'record-voluntary-departure': { departedOn: '2026-11-10', verifiedBy: 'exit-check' },
  'submit-readmission-request': {
    agreementId: 'set-me',
    procedure: 'normal',
    evidence: [{ type: 'passport', reference: 'PK-P-0000001', validUntil: '2028-01-01' }],
    requestInterview: false,
  },
  'acknowledge-readmission-request': { receivedOn: '2026-11-02' },
  'request-identification-interview': { proposedOn: '2026-11-09' },
  'record-identification-interview': { heldOn: '2026-11-09', outcome: 'national' },
  'request-reply-extension': { days: 10, reasons: 'Records are being checked in the district office.' },
  'accept-readmission': { acceptedOn: '2026-11-02' },
  'reject-readmission': {
    rejectedOn: '2026-11-02',
    reason: 'insufficient-evidence',
    reasons: 'The passport number is not in the register.',
  },
  'issue-travel-document': { documentNumber: 'ETD-2026-0042', issuedOn: '2026-11-02', validUntil: '2027-05-02' },
  'certify-fitness-to-travel': {
    memberId: 'principal',
    examinedOn: '2026-11-02',
    validUntil: '2026-11-30',
    fit: true,
    practitioner: 'Dr. Fictional',
  },
  'assess-use-of-force-risk': {
    assessedOn: '2026-11-02',
    riskLevel: 'low',
    authorisedMeasures: ['escort'],
    reasons: 'No history of resistance.',
  },
  'assign-monitor': { monitorId: 'mona-monitor', organisation: 'National preventive mechanism (fictional)' },
  'plan-removal': {
    departureAt: DEPARTURE_AT,
    mode: 'unescorted',
    transport: { kind: 'scheduled-flight', reference: 'XY 123' },
  },
  'record-departure': { departedAt: DEPARTED_AT },
  'abort-removal': { abortedAt: '2026-11-04T10:00:00Z', reason: 'technical', details: 'The flight was cancelled.' },
  'confirm-arrival': { arrivedAt: ARRIVED_AT, handedOverTo: 'FIA Islamabad airport (fictional)' },
  'report-use-of-force': {
    occurredAt: '2026-11-05T07:20:00Z',
    techniques: ['handcuffs'],
    durationMinutes: 5,
    justification: 'Resisted boarding.',
  },
  'lodge-protection-claim': { lodgedOn: '2026-11-03', kind: 'subsequent-application' },
  'decide-protection-claim': { decidedOn: '2026-11-20', outcome: 'rejected' },
  'postpone-removal': { reason: 'health', until: '2026-11-20', reasons: 'Hospital stay.' },
  'lift-postponement': { liftedOn: '2026-11-10' },
  'record-absconding': { since: '2026-11-03' },
  'record-whereabouts-known': { on: '2026-11-04' },
  'record-obstacle': { type: 'no-transport', openedOn: '2026-11-02', note: 'No scheduled seats this month.' },
  'resolve-obstacle': { obstacleId: 'o1', resolvedOn: '2026-11-03', note: 'Seats found.' },
  'record-monitoring-observation': {
    phase: 'pre-departure',
    observedAt: '2026-11-05T06:00:00Z',
    text: 'Calm; family kept together.',
  },
  'raise-safeguard-concern': { severity: 'major', text: 'No interpreter at the pre-departure briefing.' },
  'close-safeguard-concern': { concernId: 'k1', note: 'Interpreter provided.' },
  'respond-to-concern': { concernId: 'k1', response: 'An interpreter is booked.' },
  'close-case': { outcome: 'withdrawn', reasons: 'The return decision was withdrawn.' },
  'erase-personal-data': { reasons: 'Retention period ended.' },
};

export function body<A extends ActionName>(action: A, overrides: Partial<ActionBody<A>> = {}): ActionBody<A> {
  return { ...BODIES[action], ...overrides };
}

/** Asserts an RFC 9457 answer with this status (and exactly these rules, in any order). */
export function expectProblem(res: LightMyRequestResponse, status: number, rules?: readonly string[]) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = res.json();
  expect(p).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  expect(p.type.length).toBeGreaterThan(0);
  expect(p.title.length).toBeGreaterThan(0);
  if (rules !== undefined) expect([...(p.rules ?? [])].sort()).toEqual([...rules].sort());
  return p as {
    type: string;
    title: string;
    status: number;
    detail: string;
    rules?: string[];
    errors?: { path: string; message: string }[];
  };
}

export interface Answer {
  caseId: string;
  revision: number;
  position: number;
  status: string;
  events: string[];
  [created: string]: unknown;
}

/** The cases API of one test app, with the standard actors. */
export class Api {
  constructor(
    readonly t: TestApp,
    readonly tk: Tokens,
  ) {}

  static async start(t: TestApp): Promise<Api> {
    return new Api(t, await tokensFor(t));
  }

  async agreement(overrides: Partial<AgreementTerms> = {}): Promise<string> {
    const res = await this.t.call('POST', '/v1/agreements', this.tk.admin, agreementBody(overrides));
    expect(res.statusCode, res.body).toBe(201);
    return res.json().agreementId as string;
  }

  async open(overrides: Partial<OpenCaseBody> = {}, token = this.tk.cw): Promise<string> {
    const res = await this.t.call('POST', '/v1/cases', token, familyCaseBody(overrides));
    expect(res.statusCode, res.body).toBe(201);
    return res.json().caseId as string;
  }

  post<A extends ActionName>(
    token: string,
    caseId: string,
    action: A,
    b: ActionBody<A> | Record<string, unknown> = BODIES[action],
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse> {
    return this.t.call('POST', `/v1/cases/${caseId}/${action}`, token, b, headers);
  }

  /** Takes an action that must succeed, and answers its JSON. */
  async do<A extends ActionName>(
    token: string,
    caseId: string,
    action: A,
    overrides: Partial<ActionBody<A>> = {},
  ): Promise<Answer> {
    const res = await this.post(token, caseId, action, body(action, overrides));
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    return res.json<Answer>();
  }

  async view(caseId: string, token = this.tk.cw) {
    const res = await this.t.call('GET', `/v1/cases/${caseId}`, token);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  // Stages of the standard family case (a mother and a child), each building on the last.

  async cleared(overrides: Partial<OpenCaseBody> = {}): Promise<string> {
    const caseId = await this.open(overrides);
    await this.do(this.tk.cw, caseId, 'verify-protection-status');
    return caseId;
  }

  async requested(agreementId: string, overrides: Partial<OpenCaseBody> = {}): Promise<string> {
    const caseId = await this.cleared(overrides);
    await this.do(this.tk.cw, caseId, 'submit-readmission-request', { agreementId });
    return caseId;
  }

  async accepted(agreementId: string): Promise<string> {
    const caseId = await this.requested(agreementId);
    await this.do(this.tk.liaison, caseId, 'accept-readmission');
    return caseId;
  }

  /** Accepted, the child assessed, an unescorted removal planned for 5 Nov. */
  async planned(agreementId: string): Promise<string> {
    const caseId = await this.accepted(agreementId);
    await this.do(this.tk.cw, caseId, 'record-best-interests-assessment');
    await this.do(this.tk.cw, caseId, 'plan-removal');
    return caseId;
  }

  async departed(agreementId: string): Promise<string> {
    const caseId = await this.planned(agreementId);
    await this.do(this.tk.cw, caseId, 'record-departure');
    return caseId;
  }
}
