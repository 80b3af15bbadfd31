import { RULE_LOCALES, type RuleLocale } from '../../../domain/index.ts';

/** The languages the API answers its human texts in; English is the default. */
export const API_LOCALES = RULE_LOCALES;
export type ApiLocale = RuleLocale;
export const DEFAULT_LOCALE: ApiLocale = 'en';

/** A header longer than this is not a browser's: read only its start (a cheap bound on the work). */
const MAX_HEADER = 1000;

/**
 * The language of an `Accept-Language` header (RFC 9110 §12.5.4): the highest quality value
 * wins, ties in the header's order; `fr-CA` matches `fr`; `q=0` rules a language out; `*`
 * means any, so English. Nothing we speak (or no header, or a malformed one): English.
 */
export function negotiateLocale(header: string | string[] | undefined): ApiLocale {
  const raw = (Array.isArray(header) ? header.join(',') : (header ?? '')).slice(0, MAX_HEADER);
  const ranges = raw
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranges) {
    if (tag === '*') return DEFAULT_LOCALE;
    const primary = tag.split('-')[0];
    const found = API_LOCALES.find((l) => l === primary);
    if (found) return found;
  }
  return DEFAULT_LOCALE;
}
