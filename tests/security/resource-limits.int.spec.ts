/**
 * Bodies built to cost (OWASP API4, unrestricted resource consumption), each under the 1 MiB
 * body limit: deep nesting, huge arrays, tens of thousands of keys. Each must be answered
 * quickly with a 400 or 413 Problem Details of bounded size, never a hang, a 5xx, or an answer
 * bigger than the question.
 *
 * Protection: the body limit (`BODY_LIMIT`, services/api/app.ts), strict zod schemas, and the
 * cap on listed validation errors (`MAX_LISTED_ERRORS`, services/api/plugins/problem.ts).
 * Remove the cap → "60,000 unknown keys" fails: the 400 listed every key, a 2.6 MB answer to a
 * 0.6 MB request (and more work per key to build and send it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LISTED_ERRORS } from '../../services/api/plugins/problem.ts';
import { BODY_LIMIT } from '../../services/api/app.ts';
import { agreementBody, familyCaseBody } from '../support/http-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let cw: string;
let admin: string;
let caseId: string;
beforeAll(async () => {
  t = await startTestApp();
  cw = await t.token('caseworker', { state: 'DE' });
  admin = await t.token('admin');
  caseId = (await t.call('POST', '/v1/cases', cw, familyCaseBody())).json().caseId as string;
});
afterAll(() => t?.close());

/** The case is opened in `beforeAll`, after the table is built: its id goes in at request time. */
const screening = () => '/v1/cases/:caseId/record-vulnerability-screening';
const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(',');

/** [name, url, raw body] */
const costly = (): [string, string, string][] => [
  [
    'arrays nested 400,000 deep',
    screening(),
    `{"screenedOn":"2026-10-27","findings":${'['.repeat(400_000)}${']'.repeat(400_000)}}`,
  ],
  [
    'objects nested 100,000 deep',
    screening(),
    `{"screenedOn":"2026-10-27","findings":[${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}]}`,
  ],
  [
    '250,000 numbers in an array',
    screening(),
    `{"screenedOn":"2026-10-27","findings":[${repeat(250_000, () => '1')}]}`,
  ],
  ['200,000 empty objects', screening(), `{"screenedOn":"2026-10-27","findings":[${repeat(200_000, () => '{}')}]}`],
  [
    '25,000 findings with a bad kind',
    screening(),
    `{"screenedOn":"2026-10-27","findings":[${repeat(25_000, () => '{"memberId":"m1","kind":"x","note":""}')}]}`,
  ],
  ['60,000 unknown keys', screening(), `{${repeat(60_000, (i) => `"k${i}":1`)}}`],
  [
    '60,000 unknown keys in a nested object',
    '/v1/cases',
    JSON.stringify({ ...familyCaseBody(), person: JSON.parse(`{${repeat(60_000, (i) => `"k${i}":1`)}}`) }),
  ],
  [
    '60,000 unknown keys in an agreement',
    '/v1/agreements',
    JSON.stringify({ ...agreementBody(), ...JSON.parse(`{${repeat(60_000, (i) => `"k${i}":1`)}}`) }),
  ],
  ['a 1,000,000-character string in a date', screening(), `{"screenedOn":"${'9'.repeat(1_000_000)}","findings":[]}`],
  [
    '40,000 duplicate keys, then a bad value',
    screening(),
    `{${repeat(40_000, () => '"screenedOn":"2026-10-27"')},"findings":[1]}`,
  ],
];

describe('costly bodies under the body limit', () => {
  it.each(costly())('%s: a small 400 or 413, quickly', async (_, url, raw) => {
    expect(Buffer.byteLength(raw), 'the body is under or just over the limit').toBeLessThan(BODY_LIMIT * 1.1);
    const token = url === '/v1/agreements' ? admin : cw;
    const started = performance.now();
    const res = await t.call('POST', url.replace(':caseId', caseId), token, raw, {
      'content-type': 'application/json',
    });
    const ms = performance.now() - started;
    expect([400, 413], res.body.slice(0, 300)).toContain(res.statusCode);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    // About a second at worst on a busy two-core machine; a hang or a quadratic path is far beyond.
    expect(ms, 'answered within 3 s').toBeLessThan(3_000);
    expect(res.body.length, 'the answer is small').toBeLessThan(32 * 1024);
    const errors = res.json<{ errors?: unknown[] }>().errors ?? [];
    expect(errors.length).toBeLessThanOrEqual(MAX_LISTED_ERRORS);
  });

  it('says how many errors it left out when it lists only the first ones', async () => {
    const raw = `{${repeat(500, (i) => `"k${i}":1`)}}`;
    const res = await t.call('POST', screening().replace(':caseId', caseId), cw, raw, {
      'content-type': 'application/json',
    });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ errors: { path: string }[]; detail: string }>();
    expect(body.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(body.errors[0]).toMatchObject({ message: expect.any(String) });
    expect(body.detail).toMatch(/first \d+ of \d+/);
  });

  it('still lists every error when there are few (the contract’s `errors` with each path)', async () => {
    const res = await t.call('POST', screening().replace(':caseId', caseId), cw, {
      screenedOn: 'not a date',
      findings: [],
      extra: 1,
    });
    expect(res.statusCode).toBe(400);
    const paths = new Set(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path));
    expect([...paths].sort()).toEqual(['extra', 'screenedOn']);
  });

  it('the server is healthy after them', async () => {
    expect((await t.call('GET', '/health/ready', undefined)).statusCode).toBe(200);
    const res = await t.call('POST', screening().replace(':caseId', caseId), cw, {
      screenedOn: '2026-10-27',
      findings: [{ memberId: 'm1', kind: 'health', note: 'Asthma.' }],
    });
    expect(res.statusCode, res.body).toBe(200);
  });
});
