import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_TEXT, RULE_TEXTS } from '../../domain/index.ts';
import { negotiateLocale } from '../../services/api/i18n/locale.ts';
import { Api, expectProblem } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Problem Details speak the caller's language (issue 15): `title`, `detail` and the rules'
 * explanations follow `Accept-Language` (en by default, fr, ar); `type` and the rule ids do not
 * change; `Content-Language` says which language was chosen. A refusal "because
 * best-interests-assessment-required" is the liaison's case in point.
 */
describe('Accept-Language negotiation', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['fr', 'fr'],
    ['fr-CA', 'fr'],
    ['AR-EG', 'ar'],
    ['de, fr;q=0.5, ar;q=0.8', 'ar'],
    ['fr;q=0.4, ar;q=0.4', 'fr'],
    ['ar;q=0, fr;q=0.1', 'fr'],
    ['de, *;q=0.5', 'en'],
    ['de, es', 'en'],
    ['fr;q=abc, ar;q=0.2', 'fr'],
    [['de', 'ar'], 'ar'],
  ] as const)('%j → %s', (header, locale) => {
    expect(negotiateLocale(header as string | string[] | undefined)).toBe(locale);
  });
});

describe('Problem Details in the caller’s language', () => {
  let t: TestApp;
  let api: Api;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp();
    api = await Api.start(t);
    const agreementId = await api.agreement();
    // A mother and a child, the request accepted: planning the removal needs the child's assessment.
    caseId = await api.accepted(agreementId);
  });
  afterAll(() => t.close());

  const planRemoval = (language?: string) =>
    api.post(api.tk.cw, caseId, 'plan-removal', undefined, language ? { 'accept-language': language } : undefined);

  it('a refusal keeps its type and rule ids and words its title and rule explanation per language', async () => {
    const answers = {
      en: await planRemoval(),
      fr: await planRemoval('fr-FR,fr;q=0.9,en;q=0.5'),
      ar: await planRemoval('ar'),
    };
    const problems = Object.fromEntries(
      Object.entries(answers).map(([l, res]) => [l, expectProblem(res, 409, ['best-interests-assessment-required'])]),
    );
    for (const [locale, res] of Object.entries(answers)) {
      expect(res.headers['content-language']).toBe(locale);
      expect(String(res.headers.vary)).toMatch(/accept-language/i);
      expect(problems[locale]!.type).toBe('urn:rrc:problem:refused');
      expect(problems[locale]!.detail).toBe(
        RULE_TEXTS[locale as 'en' | 'fr' | 'ar']['best-interests-assessment-required'],
      );
    }
    expect(problems.en!.detail).toBe(RULE_TEXT['best-interests-assessment-required']);
    expect(problems.en!.title).toBe('Refused by the workflow or a safeguard');
    expect(problems.fr!.title).toBe('Refusé par la procédure ou par une garantie');
    expect(problems.fr!.detail).toMatch(/intérêt supérieur/);
    expect(problems.ar!.detail).toMatch(/لمصلحة الفضلى/); // "best interests", after the preposition
    expect(new Set(Object.values(problems).map((p) => p.title)).size).toBe(3);
  });

  it('validation, not-found and authentication problems are worded per language too', async () => {
    const bad = await api.post(api.tk.cw, caseId, 'plan-removal', { mode: 'teleport' }, { 'accept-language': 'fr' });
    const p400 = expectProblem(bad, 400);
    expect(p400).toMatchObject({
      title: 'La requête n’est pas valide',
      detail: 'La requête ne correspond pas à son schéma.',
    });
    expect(p400.errors?.length).toBeGreaterThan(0); // paths stay as they are: they name fields

    const missing = await t.call('GET', '/v1/nothing-here', api.tk.cw, undefined, { 'accept-language': 'ar' });
    expect(expectProblem(missing, 404)).toMatchObject({ title: 'غير موجود', detail: 'هذا المورد غير موجود.' });
    expect(missing.headers['content-language']).toBe('ar');

    const noToken = await t.call('GET', `/v1/cases/${caseId}`, undefined, undefined, { 'accept-language': 'fr' });
    expect(expectProblem(noToken, 401)).toMatchObject({
      type: 'urn:rrc:problem:unauthenticated',
      title: 'Un jeton d’accès valide est requis',
      detail: 'Envoyez Authorization: Bearer <jeton>.',
    });

    const stale = await api.post(api.tk.cw, caseId, 'record-best-interests-assessment', undefined, {
      'if-match': '"1"',
      'accept-language': 'fr',
    });
    expect(expectProblem(stale, 412).detail).toMatch(/^Le dossier en est à la révision \d+\.$/);
  });

  it('English stays the default, for no header and for languages rrc does not speak', async () => {
    for (const language of [undefined, 'de-DE, es;q=0.8']) {
      const res = await t.call(
        'GET',
        `/v1/cases/${caseId}`,
        undefined,
        undefined,
        language ? { 'accept-language': language } : {},
      );
      expect(expectProblem(res, 401)).toMatchObject({ title: 'A valid bearer token is required' });
      expect(res.headers['content-language']).toBe('en');
    }
  });

  it('the OpenAPI document names Accept-Language on every operation and Content-Language on problems', async () => {
    const doc = (await t.call('GET', '/openapi.json', undefined)).json();
    expect(doc.components.parameters.AcceptLanguage).toMatchObject({ in: 'header', name: 'Accept-Language' });
    const operations = Object.values(
      doc.paths as Record<
        string,
        Record<
          string,
          { parameters?: { $ref?: string }[]; responses: Record<string, { content?: object; headers?: object }> }
        >
      >,
    ).flatMap((ops) => Object.values(ops));
    expect(operations.length).toBeGreaterThan(10);
    for (const op of operations) {
      expect(op.parameters?.some((p) => p.$ref === '#/components/parameters/AcceptLanguage')).toBe(true);
      for (const response of Object.values(op.responses)) {
        if (response.content && 'application/problem+json' in response.content) {
          expect(response.headers).toHaveProperty('Content-Language');
        }
      }
    }
  });
});
