import { agreementBody } from '../support/http-fixtures.ts';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * One family's return over real HTTP, against the real server started as `rrc serve` on a
 * free port, with tokens printed by `rrc token` in the same environment. The server reads
 * the real clock, so every date is relative to today: the removal departs 48 hours from now
 * (past the agreement's 24-hour arrival notice, inside its 90-day transfer window).
 */
const RRC = path.resolve(import.meta.dirname, '../../bin/rrc.js');
const run = promisify(execFile);
const DAY = 86_400_000;

const dateIn = (days: number, from = Date.now()): string => new Date(from + days * DAY).toISOString().slice(0, 10);
const instant = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('a family’s return, end to end over HTTP', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rrc-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RRC_'))),
    RRC_DATA_DIR: dataDir,
    RRC_AUTH_SECRET: 'e2e-secret-of-a-fictional-deployment',
    RRC_HOST: '127.0.0.1',
    RRC_PORT: '0',
    RRC_LOG_LEVEL: 'warn',
  };
  let server: ChildProcess;
  let exited: Promise<number | null>;
  let output = '';
  let base = '';
  const tokens: Record<'admin' | 'caseworker' | 'liaison', string> = { admin: '', caseworker: '', liaison: '' };

  const rrcToken = async (...args: string[]): Promise<string> => {
    const { stdout } = await run(process.execPath, [RRC, 'token', ...args], { env, timeout: 30_000 });
    return stdout.trim();
  };

  async function http(method: 'GET' | 'POST', url: string, token?: string, body?: unknown) {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  }

  /** A command that must be accepted: answers its JSON after checking ETag and status code. */
  async function command(token: string, caseId: string, action: string, body: unknown) {
    const res = await http('POST', `/v1/cases/${caseId}/${action}`, token, body);
    expect(res.status, `${action}: ${res.text}`).toBe(200);
    const answer = res.json();
    expect(res.headers.get('etag')).toBe(`"${answer.revision}"`);
    return answer as { caseId: string; revision: number; position: number; status: string; events: string[] };
  }

  beforeAll(async () => {
    server = spawn(process.execPath, [RRC, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    exited = new Promise((resolve) => server.once('exit', (code) => resolve(code)));
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const serving = new Promise<string>((resolve, reject) => {
      server.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const m = /rrc is serving at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`rrc serve exited with ${code}:\n${output}`)));
    });
    const [url, admin, caseworker, liaison] = await Promise.all([
      serving,
      rrcToken('--role', 'admin', '--sub', 'ops-admin'),
      rrcToken('--role', 'caseworker', '--state', 'DE', '--sub', 'carla'),
      rrcToken('--role', 'liaison', '--state', 'PK', '--sub', 'pavel', '--ttl', '30m'),
    ]);
    base = url;
    Object.assign(tokens, { admin, caseworker, liaison });
  }, 60_000);

  afterAll(async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('walks the case from opening to `returned`, then shuts down gracefully on SIGTERM', async () => {
    const { admin, caseworker, liaison } = tokens;
    const now = Date.now();

    const live = await http('GET', '/health/live');
    expect(live.status).toBe(200);
    expect((await http('GET', '/health/ready')).status).toBe(200);
    expect((await http('GET', '/v1/agreements')).status).toBe(401);

    // The agreement (admin).
    const agreement = await http(
      'POST',
      '/v1/agreements',
      admin,
      agreementBody({ title: 'Readmission agreement DE–PK (fictional)', destinationStates: ['DE'] }),
    );
    expect(agreement.status, agreement.text).toBe(201);
    const { agreementId } = agreement.json();
    expect(agreement.headers.get('location')).toBe(`/v1/agreements/${agreementId}`);

    // Opening: a mother and her child (caseworker of DE).
    const opened = await http('POST', '/v1/cases', caseworker, {
      person: {
        givenNames: 'Amina',
        familyName: 'Testova',
        aliases: [],
        sex: 'female',
        dateOfBirth: '1990-04-01',
        placeOfBirth: 'Faisalabad',
        nationality: 'PK',
        languages: ['ur'],
      },
      household: [{ givenNames: 'Sami', familyName: 'Testova', dateOfBirth: '2019-05-02', relationship: 'child' }],
      originState: 'PK',
      returnDecision: { reference: 'RD-E2E-0001', issuedOn: dateIn(-30, now) },
    });
    expect(opened.status, opened.text).toBe(201);
    const caseId: string = opened.json().caseId;
    expect(opened.headers.get('location')).toBe(`/v1/cases/${caseId}`);
    expect(opened.headers.get('etag')).toBe('"0"');

    await command(caseworker, caseId, 'verify-protection-status', {
      decisionFinalOn: dateIn(-10, now),
      suspensiveRemedyPending: false,
      nonRefoulementAssessment: {
        outcome: 'no-risk',
        assessedOn: dateIn(-5, now),
        reasons: 'No risk on return to PK.',
      },
    });
    await command(caseworker, caseId, 'record-best-interests-assessment', {
      memberId: 'm1',
      assessedOn: dateIn(-1, now),
      assessingBody: 'Youth welfare office (fictional)',
      independentOfEnforcement: true,
      conclusion: 'return-in-best-interests',
      reasons: 'Returns with the mother; school place and family in Faisalabad.',
    });
    const submitted = await command(caseworker, caseId, 'submit-readmission-request', {
      agreementId,
      procedure: 'normal',
      evidence: [{ type: 'passport', reference: 'PK-P-E2E-01', validUntil: dateIn(3 * 365, now) }],
      requestInterview: false,
    });
    expect(submitted).toMatchObject({ status: 'readmission', events: ['ReadmissionRequestSubmitted'] });

    // The origin State answers.
    const accepted = await command(liaison, caseId, 'accept-readmission', { acceptedOn: dateIn(0, now) });
    expect(accepted.events).toEqual(['ReadmissionRequestAcknowledged', 'ReadmissionAccepted']);
    await command(liaison, caseId, 'issue-travel-document', {
      documentNumber: 'ETD-E2E-0001',
      issuedOn: dateIn(0, now),
      validUntil: dateIn(180, now),
    });

    // The removal: unescorted, 48 hours from now; the departure as it happens, the arrival after.
    const departureAt = Math.ceil((now + 48 * 3_600_000) / 60_000) * 60_000;
    const planned = await command(caseworker, caseId, 'plan-removal', {
      departureAt: instant(departureAt),
      mode: 'unescorted',
      transport: { kind: 'scheduled-flight', reference: 'XY 123' },
    });
    expect(planned.status).toBe('removal-planned');
    const liaisonView = await http('GET', `/v1/cases/${caseId}`, liaison);
    expect(liaisonView.status).toBe(200);
    expect(liaisonView.json().travelArrangements).toMatchObject({
      departureAt: instant(departureAt),
      mode: 'unescorted',
    });
    expect(liaisonView.json()).not.toHaveProperty('protection');

    const departed = await command(caseworker, caseId, 'record-departure', {
      departedAt: instant(departureAt + 10 * 60_000),
    });
    expect(departed.status).toBe('departed');
    const arrived = await command(liaison, caseId, 'confirm-arrival', {
      arrivedAt: instant(departureAt + 7 * 3_600_000),
      handedOverTo: 'FIA Islamabad airport (fictional)',
    });
    expect(arrived).toMatchObject({ status: 'closed', events: ['ArrivalConfirmed', 'CaseClosed'] });

    const view = await http('GET', `/v1/cases/${caseId}`, caseworker);
    expect(view.status).toBe(200);
    expect(view.headers.get('etag')).toBe(`"${arrived.revision}"`);
    expect(view.json()).toMatchObject({
      status: 'closed',
      outcome: 'returned',
      removal: { mode: 'unescorted', members: ['principal', 'm1'] },
    });
    const history = await http('GET', `/v1/cases/${caseId}/history`, caseworker);
    expect(history.json().items.map((i: { type: string }) => i.type)).toEqual([
      'CaseOpened',
      'ProtectionStatusVerified',
      'BestInterestsAssessmentRecorded',
      'ReadmissionRequestSubmitted',
      'ReadmissionRequestAcknowledged',
      'ReadmissionAccepted',
      'TravelDocumentIssued',
      'RemovalPlanned',
      'DepartureRecorded',
      'ArrivalConfirmed',
      'CaseClosed',
    ]);
    expect(history.json().items.at(-1).actor).toEqual({ sub: 'pavel', role: 'liaison' });

    const metrics = await http('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/rrc_commands_total\{action="confirm-arrival",outcome="accepted"\} 1/);

    // Graceful shutdown: SIGTERM, exit 0.
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
