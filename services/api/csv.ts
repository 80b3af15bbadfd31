/**
 * CSV as RFC 4180 says: a header row, CRLF line ends, fields with a comma, a double quote or a
 * line break enclosed in double quotes with inner quotes doubled. Text that a spreadsheet would
 * take for a formula (see `FORMULA_START`) is prefixed with an apostrophe.
 *
 * A cell a spreadsheet may run: a formula sign (= + - @, or their full-width forms, which
 * East Asian input turns into them) or tab/CR first, after any white space or invisible
 * characters (spreadsheets trim those on import).
 */
const FORMULA_START = /^[\s\p{Cf}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r]/u;

export type Cell = string | number | boolean | null | undefined;

export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: readonly Record<string, Cell>[]): string {
  const lines = [columns.map(csvField).join(','), ...rows.map((row) => columns.map((c) => csvField(row[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** Whether the client prefers CSV to JSON (`Accept: text/csv`). */
export function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { type: type.trim(), q: q ? Number(q.slice(2)) : 1 };
  });
  const csv = Math.max(0, ...types.filter((t) => t.type === 'text/csv').map((t) => t.q));
  const json = Math.max(
    0,
    ...types.filter((t) => t.type === 'application/json' || t.type === 'application/*').map((t) => t.q),
  );
  return csv > 0 && csv >= json;
}
