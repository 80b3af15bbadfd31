/**
 * Message texts are personal data: sealed with the case's data key in the thread stream, and
 * gone for good once `rrc erase` destroys the key. Afterwards the thread still lists who wrote
 * when (the record of the exchange), with `text: null`, and no file in the data dir holds the
 * text, in UTF-8 or UTF-16.
 *
 * Protection: the codec seals `MessagePosted.text` (contracts/events.ts PERSONAL_FIELDS) with the
 * key of the case the thread stream belongs to (`caseIdOfSealedStream`). Drop `MessagePosted`
 * from PERSONAL_FIELDS → the text is in events.sqlite in the clear and the first spec fails.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const run = promisify(execFile);

/** Distinctive (fictional) strings, so a byte search finds nothing else. */
const SECRET = 'Quorraline Bexhaventhorpe';
const REPLY_SECRET = 'Zanderfoss ward 17b';

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesBelow(p) : [p];
  });
}

const holds = (bytes: Buffer, value: string): boolean =>
  bytes.includes(Buffer.from(value, 'utf8')) || bytes.includes(Buffer.from(value, 'utf16le'));

describe('erasing a case erases its messages', () => {
  let t: TestApp;
  let api: Api;
  let caseId: string;
  const url = () => `/v1/cases/${caseId}/readmission-requests/q1/messages`;

  beforeAll(async () => {
    t = await startTestApp({ captureLogs: true });
    api = await Api.start(t);
    caseId = await api.requested(await api.agreement());
    for (const [token, text] of [
      [api.tk.cw, `Please ask ${SECRET} to bring the birth certificate`],
      [api.tk.liaison, `Family found; reception at ${REPLY_SECRET}`],
    ] as const) {
      const res = await t.call('POST', url(), token, { text });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('never stores the text in the clear, and reads it back while the key exists', async () => {
    const all = Buffer.concat(filesBelow(t.dataDir).map((f) => readFileSync(f)));
    expect(holds(all, 'MessagePosted'), 'control: the event type is stored in the clear').toBe(true);
    expect(holds(all, SECRET)).toBe(false);
    expect(holds(all, REPLY_SECRET)).toBe(false);
    const thread = (await t.call('GET', url(), api.tk.cw)).json();
    expect(thread.items.map((m: { text: string }) => m.text)).toEqual([
      `Please ask ${SECRET} to bring the birth certificate`,
      `Family found; reception at ${REPLY_SECRET}`,
    ]);
  });

  it('after `rrc erase`, the thread keeps who wrote when but no text, and takes no new message', async () => {
    const { stdout } = await run(process.execPath, ['bin/rrc.js', 'erase', '--case', caseId], {
      env: { ...process.env, RRC_DATA_DIR: t.dataDir },
    });
    expect(stdout).toContain(`erased the personal data of case ${caseId}`);

    for (const token of [api.tk.cw, api.tk.liaison, api.tk.monitor]) {
      const res = await t.call('GET', url(), token);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().items.map((m: { messageId: string; text: unknown }) => [m.messageId, m.text])).toEqual([
        ['msg1', null],
        ['msg2', null],
      ]);
      expect(res.body).not.toContain(SECRET);
      expect(res.body).not.toContain(REPLY_SECRET);
    }
    expectProblem(await t.call('POST', url(), api.tk.cw, { text: 'Anything new' }), 409, ['wrong-stage']);
  });

  it('leaves the text in no file of the data dir and in no log line', async () => {
    await t.stop();
    const files = filesBelow(t.dataDir);
    expect(files.some((f) => f.endsWith('events.sqlite'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(holds(bytes, SECRET), file).toBe(false);
      expect(holds(bytes, REPLY_SECRET), file).toBe(false);
    }
    expect(t.logs.length).toBeGreaterThan(4);
    expect(holds(Buffer.from(t.logs.join('\n')), SECRET)).toBe(false);
    expect(holds(Buffer.from(t.logs.join('\n')), REPLY_SECRET)).toBe(false);
  });
});
