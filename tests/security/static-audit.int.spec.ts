/**
 * Source checks that a request-driven spec cannot make (OWASP API8/API10):
 * - SQL built from strings: every template literal that reads as SQL in services/ and
 *   projections/ is parsed with the TypeScript compiler, and each `${…}` in it must be a
 *   reviewed one: a table, column or clause name from code constants, never a value (values
 *   go in as `?` or `@name` parameters). A new interpolation fails here until someone has
 *   read it and added it to `REVIEWED` with the reason it is not a value.
 * - HTML sinks in the UI: no `innerHTML`, `outerHTML`, `insertAdjacentHTML`,
 *   `document.write`, `eval`, `new Function`, string timers, or `srcdoc` in
 *   services/ui/public/*.js; links are built from `#` routes or blob URLs, and event
 *   handlers are attached as functions, never as attribute strings.
 *
 * Protection: review, pinned. Add `db.prepare(\`… WHERE name = '${x}'\`)` anywhere → the SQL
 * spec fails naming the file and `x`. Add `el.innerHTML = …` to a UI file → the UI spec fails.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function* sources(dir: string, ext: RegExp): Generator<string> {
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) {
      if (f !== 'node_modules') yield* sources(p, ext);
    } else if (ext.test(p) && !p.endsWith('.spec.ts')) yield p;
  }
}

/** Words and markers that make a template literal SQL. */
const SQL =
  /\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|WHERE|VALUES|LIMIT|GROUP BY|ORDER BY|JOIN)\b|@[a-z]\w*\b/;

/**
 * `file → expressions` read and found to be names, not values: table and column names from
 * the read models' own specs, clause lists assembled from fixed fragments, a fixed filter.
 */
const REVIEWED: Record<string, string[]> = {
  // A fixed EXISTS clause over a `?` parameter.
  'services/event-store/sqlite-store.ts': ['filter'],
  // The fact table's own name and a fixed key clause of `?` parameters.
  'projections/facts.ts': ['this.name', 'key', 'placeholderRows(rows, 7)'],
  // `?` placeholders only, as many rows as the code asks for (multi-row inserts).
  'projections/models/search.ts': ['placeholderRows(rows, 4)'],
  // Fixed fragments, each with `@name` parameters, chosen by the query's typed options.
  'projections/models/cases.ts': ["where.join(' AND ')"],
  'projections/models/requests.ts': ["where.join(' AND ')"],
  // A column name literal at every call site: RANGE('departed_date').
  'projections/reports.ts': ["RANGE('departed_date')", "RANGE('aborted_date')", 'column'],
  // The read models' table names, from their specs.
  'projections/runner.ts': ['table'],
  // Table specs: names, columns, indexes and key lists written in code; values are `?`.
  'projections/tables.ts': [
    'name',
    "cols.join(',\\n')",
    "primaryKey.join(', ')",
    'index',
    'on',
    'where',
    "names.join(', ')",
    "names.map(() => '?').join(', ')",
    "updates.join(', ')",
    // `?` placeholders only, as many rows and columns as the table spec has (multi-row upserts).
    'placeholderRows(rows, names.length)',
  ],
};

describe('SQL is never built from values', () => {
  it('every interpolation into SQL text is a reviewed name', () => {
    const found: string[] = [];
    for (const dir of ['services', 'projections']) {
      for (const file of sources(path.join(ROOT, dir), /\.ts$/)) {
        const rel = path.relative(ROOT, file);
        const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
        const visit = (node: ts.Node) => {
          if (ts.isTemplateExpression(node)) {
            const text = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
            if (SQL.test(text))
              for (const span of node.templateSpans) found.push(`${rel}: ${span.expression.getText(sf)}`);
          }
          ts.forEachChild(node, visit);
        };
        visit(sf);
      }
    }
    const reviewed = new Set(Object.entries(REVIEWED).flatMap(([f, xs]) => xs.map((x) => `${f}: ${x}`)));
    expect(found.length, 'the scan finds the SQL it should').toBeGreaterThan(10);
    expect(
      found.filter((f) => !reviewed.has(f)),
      'interpolated into SQL and not reviewed',
    ).toEqual([]);
  });
});

describe('the UI never parses data as HTML', () => {
  const ui = [...sources(path.join(ROOT, 'services/ui/public'), /\.js$/)];
  const SINKS =
    /\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML|document\.write|\beval\s*\(|new\s+Function\s*\(|set(Timeout|Interval)\s*\(\s*['"`]|srcdoc|createContextualFragment|DOMParser/;

  it('has the files it checks', () => {
    expect(ui.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['app.js', 'case.js', 'dom.js']));
  });

  it('no HTML or code sinks in any UI file', () => {
    const bad: string[] = [];
    for (const file of ui)
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (SINKS.test(line)) bad.push(`${path.basename(file)}:${i + 1}: ${line.trim()}`);
        });
    expect(bad).toEqual([]);
  });

  it('links are `#` routes or blob URLs; handlers are functions, never attribute strings', () => {
    const bad: string[] = [];
    for (const file of ui) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bhref:\s*([^,}]+)/g)) {
        const value = m[1]!.trim();
        // `href`/`url`: a nav entry's `#/…` and a blob URL; `${route}`: nextPage's, always a `#/…` literal.
        if (!/^(['`]#|href$|url$|`\$\{route$)/.test(value)) bad.push(`${path.basename(file)}: href ${value}`);
      }
      for (const m of text.matchAll(/setAttribute\(\s*['"`](on\w+|href|src|style)['"`]/g))
        bad.push(`${path.basename(file)}: setAttribute ${m[1]}`);
    }
    expect(bad).toEqual([]);
  });
});
