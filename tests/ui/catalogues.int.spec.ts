import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_NAMES, CASE_EVENT_TYPES, CaseStatus, DocumentKind, Outcome, Role } from '../../contracts/index.ts';
import { LOCALES_DIR, UI_LOCALES } from '../../services/ui/plugin.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The UI's message catalogues (services/ui/locales/*.json) are complete and carry nothing
 * unused (issue 15):
 * - every language has exactly the keys of the others, each a valid ICU message taking the
 *   same arguments in every language;
 * - every key the UI names (a quoted `group.name` in public/*.js, `data-i18n` in index.html) exists;
 * - every name the forms and pages turn into words has its key: each property and enum value
 *   of every request body in the served OpenAPI document (`field.*`, `value.*`, `row.*` for
 *   lists of objects), each action, event type, status and role;
 * - every key is used: named by the UI, or one of those names (or a data key or value of the
 *   case views, domain/views.ts and the state and events they carry, which the case page describes).
 */
const PUBLIC_DIR = path.resolve(import.meta.dirname, '../../services/ui/public');
/** The case views (and the case state the full view carries, with the events' values it records). */
const VIEWS_SOURCE = ['domain/views.ts', 'domain/state.ts', 'contracts/events.ts']
  .map((f) => readFileSync(path.resolve(import.meta.dirname, '../..', f), 'utf8'))
  .join('\n');

type Catalogue = Record<string, string>;
const catalogues = Object.fromEntries(
  UI_LOCALES.map((l) => [l, JSON.parse(readFileSync(path.join(LOCALES_DIR, `${l}.json`), 'utf8')) as Catalogue]),
);
const uiSource = readdirSync(PUBLIC_DIR)
  .filter((f) => f.endsWith('.js') || f.endsWith('.html'))
  .map((f) => readFileSync(path.join(PUBLIC_DIR, f), 'utf8'))
  .join('\n');

/** The quoted strings of the UI's source (and `data-i18n` values). */
const quoted = new Set([...uiSource.matchAll(/['"`]([^'"`\s${}]+)['"`]/g)].map((m) => m[1]!));
const groups = new Set(Object.keys(catalogues.en!).map((k) => k.split('.')[0]!));
/** Quoted strings that look like catalogue keys (`group.name` with a known group). */
const namedByUi = [...quoted].filter((s) => /^[a-z][a-zA-Z]*\.[\w.-]+$/.test(s) && groups.has(s.split('.')[0]!));

/** Statuses the pages show: of cases, outcomes, requests, concerns, removals (read models). */
const STATUSES = [
  ...CaseStatus.options,
  ...Outcome.options,
  ...['pending', 'accepted', 'deemed-accepted', 'rejected'], // readmission requests (domain/views.ts)
  ...['open', 'responded', 'closed'], // safeguard concerns (projections/models/incidents.ts)
  ...['planned', 'departed', 'aborted', 'returned'], // removals (contracts/read-models.ts)
];

interface SchemaNames {
  fields: Set<string>;
  values: Set<string>;
  rows: Set<string>;
}
function collect(schema: unknown, into: SchemaNames): SchemaNames {
  if (!schema || typeof schema !== 'object') return into;
  if (Array.isArray(schema)) {
    for (const s of schema) collect(s, into);
    return into;
  }
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum)) for (const v of s.enum) if (typeof v === 'string') into.values.add(v);
  for (const [name, sub] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>)) {
    into.fields.add(name);
    if (sub?.type === 'array' && (sub.items as { type?: string } | undefined)?.type === 'object') into.rows.add(name);
  }
  for (const value of Object.values(s)) collect(value, into);
  return into;
}
const names = (): SchemaNames => ({ fields: new Set(), values: new Set(), rows: new Set() });

/** The argument names of a message (placeholders, plural and select arguments), sorted. */
function argumentsOf(message: string, locale: string): string[] {
  const out = new Set<string>();
  const walk = (elements: unknown[]) => {
    for (const el of elements as { type: number; value?: string; options?: Record<string, { value: unknown[] }> }[]) {
      if (el.type !== 0 && el.type !== 7 && typeof el.value === 'string') out.add(el.value);
      for (const option of Object.values(el.options ?? {})) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }).getAst());
  return [...out].sort();
}

describe('the UI message catalogues', () => {
  let t: TestApp;
  let forms: SchemaNames; // request bodies: what the forms label
  let everywhere: SchemaNames; // the whole document: what the pages may show

  beforeAll(async () => {
    t = await startTestApp();
    const doc = (await t.call('GET', '/openapi.json', undefined)).json();
    forms = names();
    for (const [route, operations] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      const body = (operations.post as { requestBody?: { content?: Record<string, { schema?: unknown }> } })
        ?.requestBody?.content?.['application/json']?.schema;
      if (body && (route === '/v1/cases' || route.startsWith('/v1/cases/{caseId}/'))) collect(body, forms);
    }
    everywhere = collect(doc, names());
  });
  afterAll(() => t.close());

  it('has the same keys in every language', () => {
    const english = Object.keys(catalogues.en!).sort();
    expect(english.length).toBeGreaterThan(300);
    for (const locale of UI_LOCALES) {
      const keys = Object.keys(catalogues[locale]!).sort();
      expect(
        english.filter((k) => !keys.includes(k)),
        `missing in ${locale}`,
      ).toEqual([]);
      expect(
        keys.filter((k) => !english.includes(k)),
        `only in ${locale}`,
      ).toEqual([]);
    }
  });

  it('holds valid ICU messages taking the same arguments in every language, and no empty ones', () => {
    for (const [key, english] of Object.entries(catalogues.en!)) {
      const args = argumentsOf(english, 'en');
      for (const locale of UI_LOCALES) {
        const message = catalogues[locale]![key]!;
        expect(message.trim().length, `${locale} ${key} is empty`).toBeGreaterThan(0);
        expect(argumentsOf(message, locale), `${locale} ${key}`).toEqual(args);
      }
    }
  });

  it('has every key the UI names', () => {
    expect(namedByUi.length).toBeGreaterThan(200);
    expect(namedByUi.filter((k) => !(k in catalogues.en!))).toEqual([]);
  });

  it('has a label for every property, enum value and list of the forms, and every action, event, status and role', () => {
    const required = [
      ...[...forms.fields].map((f) => `field.${f}`),
      ...[...forms.values].map((v) => `value.${v}`),
      ...[...forms.rows].map((r) => `row.${r}`),
      ...DocumentKind.options.map((k) => `value.${k}`),
      ...ACTION_NAMES.map((a) => `action.${a}`),
      ...CASE_EVENT_TYPES.map((e) => `event.${e}`),
      ...STATUSES.map((s) => `status.${s}`),
      ...Role.options.map((r) => `role.${r}`),
    ];
    expect(forms.fields.size).toBeGreaterThan(50);
    for (const locale of UI_LOCALES) {
      expect(
        required.filter((k) => !(k in catalogues[locale]!)),
        `missing in ${locale}`,
      ).toEqual([]);
    }
  });

  it('uses every key', () => {
    const viewKeys = new Set([...VIEWS_SOURCE.matchAll(/\b([a-zA-Z]+)\s*[:,]/g)].map((m) => m[1]!));
    const viewStrings = new Set([...VIEWS_SOURCE.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]!));
    const usedBy: Record<string, (name: string) => boolean> = {
      field: (n) => everywhere.fields.has(n) || quoted.has(n) || viewKeys.has(n),
      value: (n) =>
        everywhere.values.has(n) ||
        quoted.has(n) ||
        viewStrings.has(n) ||
        (DocumentKind.options as readonly string[]).includes(n) ||
        (Outcome.options as readonly string[]).includes(n),
      row: (n) => n === 'default' || forms.rows.has(n),
      hint: (n) => forms.fields.has(n),
      action: (n) => (ACTION_NAMES as readonly string[]).includes(n),
      event: (n) => (CASE_EVENT_TYPES as readonly string[]).includes(n),
      status: (n) => STATUSES.includes(n),
      role: (n) => (Role.options as readonly string[]).includes(n),
      section: (n) => quoted.has(n),
    };
    const unused = Object.keys(catalogues.en!).filter((key) => {
      if (namedByUi.includes(key)) return false;
      const [group, ...rest] = key.split('.');
      const used = usedBy[group!];
      return !used?.(rest.join('.'));
    });
    expect(unused).toEqual([]);
  });
});
