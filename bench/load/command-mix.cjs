'use strict';
/**
 * The durable command mix, as autocannon `setupRequest`/`onResponse` functions. autocannon
 * runs them in its worker thread (so the load generator has a core of its own and does not
 * share the server's event loop), which loads them with `require`: hence CommonJS, and the
 * plan (tokens, agreements, the seeded "cold" cases) comes from the JSON file named by
 * `RRC_BENCH_PLAN`, written by bench/run.ts.
 *
 * The worker walks a pool of hot cases (connections × hotCasesPerConnection), one request per
 * case at a time, so no two requests ever race on one case and every command is valid for
 * the case's state (a refusal would be a
 * cheaper request and flatter the figures; the harness counts non-2xx answers and reports
 * them). A hot case's lifecycle:
 *
 *   open → verify protection status → vulnerability screening → submit readmission request
 *   → acknowledge (liaison) → accept (liaison) → [escorted: fitness, use-of-force risk, monitor]
 *   → CYCLES × (record obstacle → resolve it → plan removal → [observation (monitor)] → abort)
 *   → close the case; the slot then opens a new one.
 *
 * Every COLD_EVERY-th request goes instead to a seeded case this run has not touched (not in
 * the repository's cache): an obstacle on an open case, else a monitoring observation (a
 * fact accepted on any case, closed ones included).
 */
const { readFileSync } = require('node:fs');

const DAY = 86_400_000;
const CYCLES = 2;

let plan;

function loadPlan() {
  if (plan) return plan;
  const file = process.env.RRC_BENCH_PLAN;
  if (!file) throw new Error('RRC_BENCH_PLAN is not set');
  plan = JSON.parse(readFileSync(file, 'utf8'));
  return plan;
}

const dateOf = (ms) => new Date(ms).toISOString().slice(0, 10);
const instantOf = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const NOTE = 'Synthetic benchmark note: not a real person or event.';

/** The steps of one hot case, in order; each gives the request for the case's current state. */
function lifecycle(escorted) {
  const intake = [
    'verify-protection-status',
    'record-vulnerability-screening',
    'submit-readmission-request',
    'acknowledge-readmission-request',
    'accept-readmission',
  ];
  const preparation = escorted ? ['certify-fitness-to-travel', 'assess-use-of-force-risk', 'assign-monitor'] : [];
  const cycle = escorted
    ? ['record-obstacle', 'resolve-obstacle', 'plan-removal', 'record-monitoring-observation', 'abort-removal']
    : ['record-obstacle', 'resolve-obstacle', 'plan-removal', 'abort-removal'];
  const steps = ['open-case', ...intake, ...preparation];
  for (let i = 0; i < CYCLES; i++) steps.push(...cycle);
  steps.push('close-case');
  return steps;
}
const LIFECYCLES = { escorted: lifecycle(true), unescorted: lifecycle(false) };

function body(action, slot, now) {
  const today = dateOf(now);
  switch (action) {
    case 'open-case':
      return {
        person: {
          givenNames: 'Bench',
          familyName: `Synthetiq${slot.serial % 97}`,
          aliases: [],
          sex: 'unknown',
          dateOfBirth: '1988-03-14',
          placeOfBirth: 'Demo Town',
          nationality: slot.origin,
          languages: ['en'],
        },
        household: [],
        originState: slot.origin,
        returnDecision: { reference: `BENCH-${slot.serial}`, issuedOn: dateOf(now - 40 * DAY) },
      };
    case 'verify-protection-status':
      return {
        decisionFinalOn: dateOf(now - 30 * DAY),
        suspensiveRemedyPending: false,
        nonRefoulementAssessment: { outcome: 'no-risk', assessedOn: dateOf(now - 5 * DAY), reasons: NOTE },
      };
    case 'record-vulnerability-screening':
      return { screenedOn: today, findings: [] };
    case 'submit-readmission-request':
      return {
        agreementId: loadPlan().agreements[slot.origin],
        procedure: 'normal',
        evidence: [{ type: 'passport', reference: `BENCH-P-${slot.serial}`, validUntil: dateOf(now + 1500 * DAY) }],
        requestInterview: false,
      };
    case 'acknowledge-readmission-request':
      return { receivedOn: today };
    case 'accept-readmission':
      return { acceptedOn: today };
    case 'certify-fitness-to-travel':
      return {
        memberId: 'principal',
        examinedOn: today,
        validUntil: dateOf(now + 60 * DAY),
        fit: true,
        practitioner: 'Dr. Bench (synthetic)',
      };
    case 'assess-use-of-force-risk':
      return { assessedOn: today, riskLevel: 'low', authorisedMeasures: ['escort'], reasons: NOTE };
    case 'assign-monitor':
      return { monitorId: 'bench-monitor', organisation: 'Bench Monitoring Office (synthetic)' };
    case 'record-obstacle':
      return { type: 'no-transport', openedOn: today, note: NOTE };
    case 'resolve-obstacle':
      return { obstacleId: slot.obstacleId, resolvedOn: today, note: NOTE };
    case 'plan-removal':
      return {
        departureAt: instantOf(now + 5 * DAY),
        mode: slot.escorted ? 'escorted' : 'unescorted',
        transport: { kind: 'scheduled-flight', reference: 'BX 100' },
      };
    case 'record-monitoring-observation':
      return { phase: 'pre-departure', observedAt: instantOf(now), text: NOTE };
    case 'abort-removal':
      return { abortedAt: instantOf(now), reason: 'technical', details: NOTE };
    case 'close-case':
      return { outcome: 'withdrawn', reasons: NOTE };
    default:
      throw new Error(`no body for ${action}`);
  }
}

/** Who sends `action` on a case from `destination` to `origin`. */
function tokenFor(action, destination, origin) {
  const t = loadPlan().tokens;
  if (action === 'acknowledge-readmission-request' || action === 'accept-readmission') return t.liaison[origin];
  if (action === 'record-monitoring-observation') return t.monitor;
  return t.caseworker[destination];
}

let serial = 0;
function newSlot() {
  const p = loadPlan();
  const n = serial++;
  return {
    serial: n,
    caseId: null,
    step: 0,
    escorted: n % 5 < 2, // 40 % escorted
    destination: p.destinations[n % p.destinations.length],
    origin: p.origins[Math.floor(n / 3) % p.origins.length],
    obstacleId: null,
  };
}

/**
 * Cases not waiting for an answer, oldest turn first. autocannon resets a connection's context
 * before each request when the request list has one entry, so the state lives here, shared by
 * the worker's connections: a connection takes the next idle case and puts it back when the
 * answer came, so at most one request per case is ever in flight.
 */
let idle;
let requests = 0;
let coldNext = 0;

function setupRequest(req, context) {
  const p = loadPlan();
  if (idle === undefined) {
    idle = [];
    for (let i = 0; i < p.connections * p.hotCasesPerConnection; i++) idle.push(newSlot());
  }
  const now = Date.now();
  requests += 1;
  if (p.cold.length > 0 && p.coldEvery > 0 && requests % p.coldEvery === 0) {
    const c = p.cold[coldNext++ % p.cold.length];
    context.pending = { kind: 'cold' };
    if (c.open) {
      return request(req, 'POST', `/v1/cases/${c.caseId}/record-obstacle`, p.tokens.caseworker[c.destination], {
        type: 'non-cooperation',
        openedOn: dateOf(now),
        note: NOTE,
      });
    }
    return request(req, 'POST', `/v1/cases/${c.caseId}/record-monitoring-observation`, p.tokens.monitor, {
      phase: 'in-flight',
      observedAt: instantOf(now),
      text: NOTE,
    });
  }
  const slot = idle.shift() ?? newSlot();
  const steps = slot.escorted ? LIFECYCLES.escorted : LIFECYCLES.unescorted;
  const action = steps[slot.step];
  context.pending = { kind: 'hot', slot, action };
  const token = tokenFor(action, slot.destination, slot.origin);
  const path = action === 'open-case' ? '/v1/cases' : `/v1/cases/${slot.caseId}/${action}`;
  return request(req, 'POST', path, token, body(action, slot, now));
}

function request(req, method, path, token, payload) {
  req.method = method;
  req.path = path;
  req.headers = { ...req.headers, authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  req.body = JSON.stringify(payload);
  return req;
}

function onResponse(status, responseBody, context) {
  const pending = context.pending;
  context.pending = undefined;
  if (!pending || pending.kind !== 'hot') return;
  const { slot, action } = pending;
  const steps = slot.escorted ? LIFECYCLES.escorted : LIFECYCLES.unescorted;
  if (status < 200 || status >= 300) {
    // Counted by the harness (status codes); start over with a new case rather than get stuck.
    idle.push(newSlot());
    return;
  }
  if (action === 'open-case') slot.caseId = JSON.parse(responseBody).caseId;
  if (action === 'record-obstacle') slot.obstacleId = JSON.parse(responseBody).obstacleId;
  slot.step += 1;
  idle.push(slot.step >= steps.length ? newSlot() : slot);
}

module.exports = setupRequest;
module.exports.setupRequest = setupRequest;
module.exports.onResponse = onResponse;
module.exports.lifecycle = lifecycle;
