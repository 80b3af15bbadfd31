import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/api-flow.ts';
import { familyCaseBody } from '../support/http-fixtures.ts';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/test-app.ts';

const run = promisify(execFile);
const RRC = path.resolve(import.meta.dirname, '../../bin/rrc.js');

/** `rrc token …` with only the variables given (no RRC_* leaking in from the shell). */
async function rrcToken(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RRC_')));
  try {
    const { stdout, stderr } = await run(process.execPath, [RRC, 'token', ...args], {
      env: { ...base, ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

type Run = Awaited<ReturnType<typeof rrcToken>>;

/**
 * Each `rrc token` is a process start (a second or two), so they all run at once up front;
 * the specs then judge what each printed.
 */
describe('rrc token', () => {
  let t: TestApp;
  /** A server whose secret is the data dir's own (no RRC_AUTH_SECRET). */
  let own: TestApp;
  const out = {} as Record<'caseworker' | 'liaison' | 'expired' | 'noRole' | 'noState' | 'badTtl' | 'dataDir', Run>;

  beforeAll(async () => {
    [t, own] = await Promise.all([startTestApp(), startTestApp({ env: { RRC_AUTH_SECRET: '' } })]);
    const env = { RRC_AUTH_SECRET: TEST_SECRET, RRC_DATA_DIR: t.dataDir };
    const runs = {
      caseworker: rrcToken(['--role', 'caseworker', '--state', 'de', '--sub', 'alice'], env),
      liaison: rrcToken(['--role', 'liaison', '--state', 'PK'], env),
      expired: rrcToken(['--role', 'caseworker', '--state', 'DE', '--ttl', '0s'], env),
      noRole: rrcToken([], env),
      noState: rrcToken(['--role', 'caseworker'], env),
      badTtl: rrcToken(['--role', 'admin', '--ttl', '8 hours'], env),
      dataDir: rrcToken(['--role', 'monitor', '--sub', 'mona', '--ttl', '30m'], { RRC_DATA_DIR: own.dataDir }),
    };
    const done = await Promise.all(Object.values(runs));
    Object.keys(runs).forEach((k, i) => (out[k as keyof typeof out] = done[i]!));
  }, 90_000);
  afterAll(async () => {
    await t?.close();
    await own?.close();
  });

  it('prints one token the server with the same secret accepts, with the claims asked for', async () => {
    expect(out.caseworker.code, out.caseworker.stderr).toBe(0);
    expect(out.caseworker.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const jwt = out.caseworker.stdout.trim();
    const claims = claimsOf(jwt);
    expect(claims).toMatchObject({ sub: 'alice', roles: ['caseworker'], state: 'DE' });
    const ttl = (claims.exp as number) - Date.now() / 1000;
    expect(ttl).toBeGreaterThan(8 * 3600 - 300); // the default --ttl 8h
    expect(ttl).toBeLessThanOrEqual(8 * 3600 + 1);

    const opened = await t.call('POST', '/v1/cases', jwt, familyCaseBody());
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = opened.json().caseId;
    const history = (await t.call('GET', `/v1/cases/${caseId}/history`, jwt)).json();
    expect(history.items[0].actor).toEqual({ sub: 'alice', role: 'caseworker' });
    expect(out.liaison.code, out.liaison.stderr).toBe(0);
    expect((await t.call('GET', '/v1/agreements', out.liaison.stdout.trim())).statusCode).toBe(200);
    // Tokens are per secret: this one means nothing to a server with another.
    expectProblem(await own.call('GET', '/v1/agreements', jwt), 401);
  });

  it('an expired token (--ttl 0s) is refused with 401', async () => {
    expect(out.expired.code, out.expired.stderr).toBe(0);
    const jwt = out.expired.stdout.trim();
    expect(claimsOf(jwt).exp as number).toBeLessThanOrEqual(Date.now() / 1000);
    expectProblem(await t.call('GET', '/v1/agreements', jwt), 401);
    expectProblem(await t.call('POST', '/v1/cases', jwt, familyCaseBody()), 401);
  });

  it('refuses to print a token without a role, for a caseworker without a State, or with a bad ttl', () => {
    for (const r of [out.noRole, out.noState, out.badTtl]) {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^rrc token: /);
    }
  });

  it('without RRC_AUTH_SECRET, prints a token that the server in the same data dir accepts', async () => {
    expect(out.dataDir.code, out.dataDir.stderr).toBe(0);
    const jwt = out.dataDir.stdout.trim();
    expect((claimsOf(jwt).exp as number) - Date.now() / 1000).toBeLessThanOrEqual(30 * 60 + 1);
    expect((await own.call('GET', '/v1/agreements', jwt)).statusCode).toBe(200);
    // The test harness's secret is not this server's.
    expectProblem(await own.call('GET', '/v1/agreements', await own.token('monitor')), 401);
  });
});
