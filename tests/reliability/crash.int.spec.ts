/**
 * Crash: a real `node bin/rrc.js serve` child process on 127.0.0.1, under load from a few
 * concurrent clients over fetch, killed with SIGKILL mid-load and restarted on the same data
 * dir. Every command the server acknowledged (a 2xx answer) must be in the case's history,
 * with the same event types at the revisions the answer gave; revisions count 0, 1, 2, …
 * with no gap; each acknowledged case's personal data still decrypts (its data key was as
 * durable as its events); and the server takes new commands where it stopped.
 *
 * Protection: the command handler answers only once the store's append has resolved, and
 * the SQLite store resolves only after its transaction committed (services/commands/
 * case-commands.ts `append`, services/event-store/sqlite-store.ts).
 * Remove it (answer first and write behind: return the expected revision and run
 * `store.append` in a `setTimeout`) → acknowledged commands are missing after the SIGKILL
 * and this spec fails ("acknowledged … at revision N: expected [] to equal [...]").
 * Read models: compared with a full rebuild when `rrc projections rebuild` exists; until
 * then that spec is an `it.todo` saying so.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { signToken } from '../../services/auth/tokens.ts';
import { BODIES } from '../support/api-flow.ts';
import { agreementBody, familyCaseBody } from '../support/http-fixtures.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'crash-spec-secret-with-enough-entropy-0123456789';
const CLIENTS = 4;
const WANTED_ACKS = 120;
const LOAD_BOUND_MS = 20_000;
const START_BOUND_MS = 60_000;

const run = promisify(execFile);
const children = new Set<ChildProcess>();
const dirs: string[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const envFor = (dataDir: string): NodeJS.ProcessEnv => ({
  ...process.env,
  RRC_DATA_DIR: dataDir,
  RRC_AUTH_SECRET: SECRET,
  RRC_HOST: '127.0.0.1',
  RRC_PORT: '0', // the system picks a free port; the server prints it
  RRC_LOG_LEVEL: 'warn',
  RRC_RATE_LIMIT: '1000000',
  RRC_DEADLINES: 'off',
});

/** Starts `rrc serve` and resolves with its URL once it says it is serving. */
function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/rrc.js'), 'serve'], {
      cwd: repoRoot,
      env: envFor(dataDir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let out = '';
    let err = '';
    const bound = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rrc serve did not start within ${START_BOUND_MS} ms: ${out} ${err}`));
    }, START_BOUND_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /serving at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(bound);
        resolve({ child, url: m[1]! });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(bound);
      reject(new Error(`rrc serve exited (${code ?? signal}) before serving: ${out} ${err}`));
    });
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const bound = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(bound);
      resolve();
    });
    child.kill(signal);
  });
}

interface Ack {
  caseId: string;
  revision: number;
  events: string[];
}

const token = (
  roles: ('caseworker' | 'liaison' | 'monitor' | 'analyst' | 'admin')[],
  state?: string,
  sub = roles.join('+'),
) => signToken(new TextEncoder().encode(SECRET), { sub, roles, ...(state ? { state } : {}), ttlSeconds: 3600 });

async function call(url: string, method: string, tk: string, body?: unknown, signal?: AbortSignal) {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${tk}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...(signal ? { signal } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const help = await run(process.execPath, [path.join(repoRoot, 'bin/rrc.js'), 'help'], {
  cwd: repoRoot,
  env: { ...process.env, RRC_LOG_LEVEL: 'silent' },
})
  .then((r) => r.stdout)
  .catch((e: { stdout?: string }) => e.stdout ?? '');
const CAN_REBUILD = /projections rebuild/.test(help);

describe('SIGKILL under load, then restart on the same data dir', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rrc-crash-server-'));
  dirs.push(dataDir);
  const acks: Ack[] = [];
  let tokens: { cw: string; liaison: string; monitor: string; analyst: string; admin: string };
  let restarted: { child: ChildProcess; url: string } | undefined;
  let headAfterRestart = 0;

  it('keeps every acknowledged command across a SIGKILL mid-load', async () => {
    tokens = {
      cw: await token(['caseworker'], 'DE', 'carla'),
      liaison: await token(['liaison'], 'PK', 'pavel'),
      monitor: await token(['monitor'], undefined, 'mona'),
      analyst: await token(['analyst'], undefined, 'anna'),
      admin: await token(['admin'], undefined, 'ada'),
    };
    const first = await serve(dataDir);
    const agreement = await call(`${first.url}/v1/agreements`, 'POST', tokens.admin, agreementBody());
    expect(agreement.status).toBe(201);

    // The load: each client opens a case and keeps sending commands to it and to a shared one.
    const shared = await call(`${first.url}/v1/cases`, 'POST', tokens.cw, familyCaseBody());
    expect(shared.status).toBe(201);
    acks.push({ caseId: shared.body.caseId as string, revision: 0, events: ['CaseOpened'] });
    const stopLoad = new AbortController();
    let sent = 0;
    let refusedOrFailed = 0;
    const record = (r: { status: number; body: Record<string, unknown> }) => {
      if (r.status >= 200 && r.status < 300) {
        acks.push({
          caseId: r.body.caseId as string,
          revision: r.body.revision as number,
          events: r.body.events as string[],
        });
      } else refusedOrFailed++;
    };
    // Each client's own case gets a readmission request first, so every read model has rows.
    const steps = (n: number, i: number, own: string): [string, string, string, unknown] => {
      const sharedCase = shared.body.caseId as string;
      switch (i % 4) {
        case 0:
          return [own, 'record-obstacle', tokens.cw, { ...BODIES['record-obstacle'], note: `client ${n} #${i}` }];
        case 1:
          return [
            own,
            'record-monitoring-observation',
            tokens.monitor,
            { ...BODIES['record-monitoring-observation'], text: `client ${n} #${i}` },
          ];
        case 2:
          return [
            sharedCase,
            'record-obstacle',
            tokens.cw,
            { ...BODIES['record-obstacle'], note: `client ${n} #${i}` },
          ];
        default:
          return [own, 'raise-safeguard-concern', tokens.monitor, { severity: 'minor', text: `client ${n} #${i}` }];
      }
    };
    const client = async (n: number) => {
      try {
        const opened = await call(`${first.url}/v1/cases`, 'POST', tokens.cw, familyCaseBody(), stopLoad.signal);
        record(opened);
        const own = opened.body.caseId as string;
        const url = (action: string, caseId = own) => `${first.url}/v1/cases/${caseId}/${action}`;
        record(
          await call(
            url('verify-protection-status'),
            'POST',
            tokens.cw,
            BODIES['verify-protection-status'],
            stopLoad.signal,
          ),
        );
        const request = { ...BODIES['submit-readmission-request'], agreementId: agreement.body.agreementId as string };
        record(await call(url('submit-readmission-request'), 'POST', tokens.cw, request, stopLoad.signal));
        for (let i = 0; !stopLoad.signal.aborted && i < 10_000; i++) {
          const [caseId, action, tk, body] = steps(n, i, own);
          sent++;
          record(await call(url(action, caseId), 'POST', tk, body, stopLoad.signal));
        }
      } catch {
        // the server died under us: whatever was in flight was never acknowledged
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));

    const started = Date.now();
    while (acks.length < WANTED_ACKS && Date.now() - started < LOAD_BOUND_MS)
      await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    const ackedAtKill = acks.length;
    await stop(first.child, 'SIGKILL');
    stopLoad.abort();
    await load;
    console.log(
      `crash: SIGKILL after ${Date.now() - started} ms with ${ackedAtKill} commands acknowledged (${sent} sent, ${refusedOrFailed} not 2xx) by ${CLIENTS} clients`,
    );
    expect(refusedOrFailed, 'the load itself is valid: only 2xx answers before the kill').toBe(0);
    expect(acks.length, 'the load ran long enough to mean something').toBeGreaterThanOrEqual(Math.min(WANTED_ACKS, 40));

    restarted = await serve(dataDir);
    const ready = await call(`${restarted.url}/health/ready`, 'GET', tokens.cw);
    expect(ready.status).toBe(200);
    headAfterRestart = ready.body.headPosition as number;

    const byCase = new Map<string, Ack[]>();
    for (const a of acks) byCase.set(a.caseId, [...(byCase.get(a.caseId) ?? []), a]);
    for (const [caseId, caseAcks] of byCase) {
      const history = await call(`${restarted.url}/v1/cases/${caseId}/history?limit=500`, 'GET', tokens.cw);
      expect(history.status, `history of ${caseId}`).toBe(200);
      const items = history.body.items as { type: string; revision: number }[];
      expect(
        items.map((i) => i.revision),
        `${caseId}: revisions 0, 1, 2, … with no gap`,
      ).toEqual(items.map((_, i) => i));
      for (const a of caseAcks) {
        const at = items.slice(a.revision - a.events.length + 1, a.revision + 1).map((i) => i.type);
        expect(at, `${caseId}: acknowledged ${a.events.join('+')} at revision ${a.revision}`).toEqual(a.events);
      }
      // The data key was as durable as the events: the person still reads.
      const view = await call(`${restarted.url}/v1/cases/${caseId}`, 'GET', tokens.cw);
      expect(view.status).toBe(200);
      expect(view.body.person, `${caseId}: personal data decrypt after the crash`).toMatchObject({
        givenNames: 'Amina',
        familyName: 'Testova',
      });
    }

    // And the server takes the next command where it stopped.
    const [someCase, someAcks] = [...byCase.entries()][0]!;
    const next = await call(
      `${restarted.url}/v1/cases/${someCase}/record-obstacle`,
      'POST',
      tokens.cw,
      BODIES['record-obstacle'],
    );
    expect(next.status).toBe(200);
    expect(next.body.revision as number).toBeGreaterThan(Math.max(...someAcks.map((a) => a.revision)));
  }, 180_000);

  const READ_MODELS: [string, keyof typeof tokens][] = [
    ['/v1/cases?limit=500', 'cw'],
    ['/v1/liaison/requests?status=all&limit=500', 'liaison'],
    ['/v1/monitoring/removals?limit=500', 'monitor'],
    ['/v1/monitoring/incidents?limit=500', 'monitor'],
    ['/v1/reports/readmission-obstacles', 'analyst'],
    ['/v1/reports/safeguards', 'analyst'],
  ];
  /** What may differ between two runs of one query: request ids and generation times. */
  const normalise = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(normalise)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => !['requestId', 'generatedAt', 'asOf', 'builtAt', 'checkpoint', 'position'].includes(k))
              .map(([k, x]) => [k, normalise(x)]),
          )
        : v;

  if (CAN_REBUILD) {
    it('read models after the restart equal a full rebuild from the log (`rrc projections rebuild` into a copy)', async () => {
      expect(restarted, 'the crash spec ran first').toBeDefined();
      const query = async (url: string) => {
        const answers: Record<string, unknown> = {};
        for (const [route, who] of READ_MODELS) {
          const sep = route.includes('?') ? '&' : '?';
          const r = await call(`${url}${route}${sep}minPosition=${headAfterRestart}`, 'GET', tokens[who]);
          answers[route] = { status: r.status, body: normalise(r.body) };
        }
        return answers;
      };
      const head = await call(`${restarted!.url}/health/ready`, 'GET', tokens.cw);
      headAfterRestart = head.body.headPosition as number;
      const afterRestart = await query(restarted!.url);
      // The comparison means something: the read models hold what the load made.
      const answer = (route: string) =>
        afterRestart[route] as { status: number; body: { items?: { caseId: string }[] } };
      const cases = new Set(acks.map((a) => a.caseId));
      expect(answer('/v1/cases?limit=500').status).toBe(200);
      expect(new Set(answer('/v1/cases?limit=500').body.items?.map((i) => i.caseId))).toEqual(cases);
      const requested = new Set(
        acks.filter((a) => a.events.includes('ReadmissionRequestSubmitted')).map((a) => a.caseId),
      );
      expect(requested.size, 'requests were acknowledged before the kill').toBeGreaterThan(0);
      const inbox = answer('/v1/liaison/requests?status=all&limit=500');
      expect(inbox.status).toBe(200);
      expect(new Set(inbox.body.items?.map((i) => i.caseId))).toEqual(requested);
      await stop(restarted!.child, 'SIGTERM');

      const copy = mkdtempSync(path.join(tmpdir(), 'rrc-crash-rebuilt-'));
      dirs.push(copy);
      cpSync(dataDir, copy, { recursive: true });
      await run(process.execPath, [path.join(repoRoot, 'bin/rrc.js'), 'projections', 'rebuild'], {
        cwd: repoRoot,
        env: envFor(copy),
        timeout: 120_000,
      });
      const rebuilt = await serve(copy);
      try {
        expect(await query(rebuilt.url)).toEqual(afterRestart);
      } finally {
        await stop(rebuilt.child, 'SIGTERM');
      }
    }, 180_000);
  } else {
    it.todo(
      'read models after the restart equal a full rebuild — pending: `rrc projections rebuild` does not exist yet (checked `rrc help`)',
    );
  }

  it('closes the restarted server gracefully', async () => {
    if (restarted) await stop(restarted.child, 'SIGTERM');
    expect(restarted === undefined || restarted.child.exitCode !== null || restarted.child.signalCode !== null).toBe(
      true,
    );
  }, 30_000);
});
