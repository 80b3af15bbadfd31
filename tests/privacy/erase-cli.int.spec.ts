import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { PII, runPrivacyScenario } from './privacy-scenario.ts';

const run = promisify(execFile);

describe('rrc erase --case ID', () => {
  let t: TestApp;
  let scenario: Awaited<ReturnType<typeof runPrivacyScenario>>;
  beforeAll(async () => {
    t = await startTestApp();
    scenario = await runPrivacyScenario(t);
  });
  afterAll(() => t.close());

  it('erases from another process while the server runs, and the server stops showing the data', async () => {
    const { caseId, tokens } = scenario;
    const before = (await t.call('GET', `/v1/cases/${caseId}`, tokens.cw)).json();
    expect(before.person.familyName).toBe(PII.familyName);

    const { stdout } = await run(process.execPath, ['bin/rrc.js', 'erase', '--case', caseId, '--operator', 'ops-1'], {
      env: { ...process.env, RRC_DATA_DIR: t.dataDir },
    });
    expect(stdout).toContain(`erased the personal data of case ${caseId}`);

    const after = (await t.call('GET', `/v1/cases/${caseId}`, tokens.cw)).json();
    expect(after.person).toBeNull();
    expect(after.household[0]).not.toHaveProperty('givenNames');
    const history = (await t.call('GET', `/v1/cases/${caseId}/history?limit=500`, tokens.cw)).json().items;
    expect(history.at(-1)).toMatchObject({ type: 'PersonalDataErased', actor: { sub: 'cli:ops-1', role: 'admin' } });
  });

  it('fails with a message for an unknown case', async () => {
    const result = await run(process.execPath, ['bin/rrc.js', 'erase', '--case', 'no-such-case'], {
      env: { ...process.env, RRC_DATA_DIR: t.dataDir },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(result).toMatchObject({ code: 1 });
    expect((result as { stderr: string }).stderr).toMatch(/No such case/);
  });
});
