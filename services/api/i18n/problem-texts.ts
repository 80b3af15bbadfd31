import { IntlMessageFormat } from 'intl-messageformat';
import { RULE_TEXTS, type RuleId } from '../../../domain/index.ts';
import type { ApiLocale } from './locale.ts';

/**
 * The API's human texts (Problem Details `title` and `detail`) in ICU MessageFormat, one
 * catalogue per language. The problem `type` and rule ids never change with the language.
 * Details that a module raises in its own words (a 404 naming what is missing, say) are
 * not here: they stay English, as the README of services/api says.
 */
export const PROBLEM_TITLES = {
  'bad-request': {
    en: 'The request is not valid',
    fr: 'La requête n’est pas valide',
    ar: 'الطلب غير صالح',
  },
  unauthenticated: {
    en: 'A valid bearer token is required',
    fr: 'Un jeton d’accès valide est requis',
    ar: 'يلزم رمز وصول صالح',
  },
  'not-permitted': { en: 'Not permitted', fr: 'Non autorisé', ar: 'غير مسموح' },
  'not-found': { en: 'Not found', fr: 'Introuvable', ar: 'غير موجود' },
  'method-not-allowed': { en: 'Method not allowed', fr: 'Méthode non autorisée', ar: 'الطريقة غير مسموح بها' },
  'not-acceptable': { en: 'Not acceptable', fr: 'Format non acceptable', ar: 'صيغة غير مقبولة' },
  refused: {
    en: 'Refused by the workflow or a safeguard',
    fr: 'Refusé par la procédure ou par une garantie',
    ar: 'رُفض بموجب سير الإجراءات أو أحد الضمانات',
  },
  'precondition-failed': {
    en: 'The case has moved on',
    fr: 'Le dossier a évolué entre-temps',
    ar: 'تغيّر الملف في هذه الأثناء',
  },
  'payload-too-large': {
    en: 'The request body is too large',
    fr: 'Le corps de la requête est trop volumineux',
    ar: 'محتوى الطلب كبير جدًا',
  },
  'uri-too-long': {
    en: 'The request path is too long',
    fr: 'Le chemin de la requête est trop long',
    ar: 'مسار الطلب طويل جدًا',
  },
  'unsupported-media-type': {
    en: 'Unsupported media type',
    fr: 'Type de média non pris en charge',
    ar: 'نوع الوسائط غير مدعوم',
  },
  'idempotency-key-reused': {
    en: 'Idempotency-Key reused with another request',
    fr: 'Idempotency-Key déjà utilisée pour une autre requête',
    ar: 'أُعيد استخدام Idempotency-Key مع طلب آخر',
  },
  'too-many-requests': { en: 'Too many requests', fr: 'Trop de requêtes', ar: 'طلبات كثيرة جدًا' },
  unavailable: { en: 'Not available yet', fr: 'Pas encore disponible', ar: 'غير متاح بعد' },
  'internal-error': { en: 'Internal error', fr: 'Erreur interne', ar: 'خطأ داخلي' },
} as const satisfies Record<string, Record<ApiLocale, string>>;
export type ProblemSlug = keyof typeof PROBLEM_TITLES;

export const PROBLEM_DETAILS = {
  'schema-mismatch': {
    en: 'The request does not match its schema.',
    fr: 'La requête ne correspond pas à son schéma.',
    ar: 'الطلب لا يطابق مخططه.',
  },
  'schema-mismatch-first': {
    en: 'The request does not match its schema (the first {listed} of {total} errors).',
    fr: 'La requête ne correspond pas à son schéma (les {listed} premières erreurs sur {total}).',
    ar: 'الطلب لا يطابق مخططه (أول {listed} من أصل {total} خطأ).',
  },
  'invalid-json': {
    en: 'The body is not valid JSON.',
    fr: 'Le corps n’est pas du JSON valide.',
    ar: 'المحتوى ليس JSON صالحًا.',
  },
  'empty-body': { en: 'The body is empty.', fr: 'Le corps est vide.', ar: 'المحتوى فارغ.' },
  'unknown-reference': {
    en: 'The request names something this case does not have.',
    fr: 'La requête désigne un élément que ce dossier ne comporte pas.',
    ar: 'يشير الطلب إلى عنصر غير موجود في هذا الملف.',
  },
  'invalid-request': {
    en: 'The request is not valid.',
    fr: 'La requête n’est pas valide.',
    ar: 'الطلب غير صالح.',
  },
  'body-limit': {
    en: 'Request bodies are limited to 1 MiB.',
    fr: 'Le corps d’une requête est limité à 1 Mio.',
    ar: 'حجم محتوى الطلب محدود بـ 1 ميبيبايت.',
  },
  'send-json': {
    en: 'Send application/json.',
    fr: 'Envoyez du application/json.',
    ar: 'أرسل application/json.',
  },
  'slow-down': {
    en: 'Slow down and retry later.',
    fr: 'Ralentissez et réessayez plus tard.',
    ar: 'تمهّل وأعد المحاولة لاحقًا.',
  },
  'rate-limited': {
    en: 'At most {max} requests a minute; retry in {seconds, plural, one {# second} other {# seconds}}.',
    fr: 'Au plus {max} requêtes par minute ; réessayez dans {seconds, plural, one {# seconde} other {# secondes}}.',
    ar: 'الحد الأقصى {max} طلبًا في الدقيقة؛ أعد المحاولة بعد {seconds, plural, zero {# ثانية} one {ثانية واحدة} two {ثانيتين} few {# ثوانٍ} many {# ثانية} other {# ثانية}}.',
  },
  'unavailable-retry': {
    en: 'Not available right now; retry shortly.',
    fr: 'Indisponible pour le moment ; réessayez dans un instant.',
    ar: 'غير متاح حاليًا؛ أعد المحاولة بعد قليل.',
  },
  busy: {
    en: 'The case is busy with other changes; nothing was recorded. Retry shortly.',
    fr: 'Le dossier est en cours de modification ; rien n’a été consigné. Réessayez dans un instant.',
    ar: 'الملف مشغول بتغييرات أخرى؛ لم يُسجَّل شيء. أعد المحاولة بعد قليل.',
  },
  'references-busy': {
    en: 'Many cases of {state} are being opened at once and no case reference was free; nothing was recorded. Retry shortly.',
    fr: 'De nombreux dossiers de {state} sont ouverts en même temps et aucune référence n’était libre ; rien n’a été consigné. Réessayez dans un instant.',
    ar: 'تُفتح ملفات كثيرة لـ {state} في الوقت نفسه ولم يتوفر رقم مرجعي؛ لم يُسجَّل شيء. أعد المحاولة بعد قليل.',
  },
  'read-models-behind': {
    en: 'The read models have not reached position {position} yet; retry shortly.',
    fr: 'Les vues de lecture n’ont pas encore atteint la position {position} ; réessayez dans un instant.',
    ar: 'لم تصل نماذج القراءة إلى الموضع {position} بعد؛ أعد المحاولة بعد قليل.',
  },
  internal: {
    en: 'Something went wrong on our side. Quote the request id if you report it.',
    fr: 'Une erreur s’est produite de notre côté. Indiquez l’identifiant de la requête si vous la signalez.',
    ar: 'حدث خطأ من جهتنا. اذكر معرّف الطلب إذا أبلغت عنه.',
  },
  'no-such-resource': { en: 'No such resource.', fr: 'Cette ressource n’existe pas.', ar: 'هذا المورد غير موجود.' },
  'no-such-case': { en: 'No such case.', fr: 'Ce dossier n’existe pas.', ar: 'هذا الملف غير موجود.' },
  'action-not-permitted': {
    en: 'Your role or State does not allow this action.',
    fr: 'Votre rôle ou votre État ne permet pas cette action.',
    ar: 'دورك أو دولتك لا يسمح بهذا الإجراء.',
  },
  'not-permitted': { en: 'Not permitted.', fr: 'Non autorisé.', ar: 'غير مسموح.' },
  'case-at-revision': {
    en: 'The case is at revision {revision}.',
    fr: 'Le dossier en est à la révision {revision}.',
    ar: 'الملف في المراجعة رقم {revision}.',
  },
  'idempotency-key-reused': {
    en: 'This Idempotency-Key was used with another request.',
    fr: 'Cette Idempotency-Key a déjà servi pour une autre requête.',
    ar: 'استُخدم مفتاح Idempotency-Key هذا مع طلب آخر.',
  },
  'bearer-required': {
    en: 'Send Authorization: Bearer <token>.',
    fr: 'Envoyez Authorization: Bearer <jeton>.',
    ar: 'أرسل Authorization: Bearer <الرمز>.',
  },
  'token-invalid': {
    en: 'The token is invalid or expired.',
    fr: 'Le jeton est invalide ou expiré.',
    ar: 'الرمز غير صالح أو منتهي الصلاحية.',
  },
} as const satisfies Record<string, Record<ApiLocale, string>>;
export type DetailKey = keyof typeof PROBLEM_DETAILS;

/** A detail by its key, with the values its message takes: carried by errors, worded per request. */
export interface DetailRef {
  key: DetailKey;
  values?: Record<string, string | number>;
}

const compiled = new Map<string, IntlMessageFormat>();

/** `<token>` is text here, not a rich-text tag: `ignoreTag`. */
function format(message: string, locale: ApiLocale, values?: Record<string, string | number>): string {
  const id = `${locale}\u0000${message}`;
  let mf = compiled.get(id);
  if (!mf) {
    mf = new IntlMessageFormat(message, locale, undefined, { ignoreTag: true });
    compiled.set(id, mf);
  }
  return String(mf.format(values));
}

export const titleText = (slug: ProblemSlug, locale: ApiLocale): string => PROBLEM_TITLES[slug][locale];

export const detailText = (ref: DetailRef, locale: ApiLocale): string =>
  format(PROBLEM_DETAILS[ref.key][locale], locale, ref.values);

/** Each rule's explanation, in the order given, as one detail. */
export const rulesText = (rules: readonly RuleId[], locale: ApiLocale): string =>
  rules.map((r) => RULE_TEXTS[locale][r]).join(' ');
