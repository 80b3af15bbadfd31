/**
 * The demo's fictional world: the destination and origin States with their weights, how each
 * origin State answers, the (synthetic) agreement terms, name pools and outcome odds.
 * Everything here is invented.
 */
import type { AgreementTerms } from '../../contracts/index.ts';

/** Days in milliseconds. */
export const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------
// The fictional world

export const DESTINATIONS = { DE: 45, FR: 30, NL: 25 } as const;
export type Destination = keyof typeof DESTINATIONS;

export interface OriginProfile {
  weight: number;
  languages: string[];
  places: string[];
  offset: string;
  /** How the origin State answers. */
  answer: { accept: number; reject: number; silent: number };
  acknowledges: number;
  lateReply: number;
  /** Travel documents: on time, late, refused. */
  documents: { onTime: number; late: number; refused: number };
  terms: Omit<AgreementTerms, 'destinationStates' | 'originState' | 'inForceFrom' | 'inForceUntil' | 'evidence'>;
}

export const EVIDENCE = { proof: ['passport', 'identity-card'], primaFacie: ['birth-certificate', 'driving-licence'] };

export const ORIGINS: Record<string, OriginProfile> = {
  PK: {
    weight: 25,
    languages: ['ur', 'pa'],
    places: ['Demo Town North', 'Sample City', 'Fictivabad'],
    offset: '+05:00',
    answer: { accept: 65, reject: 15, silent: 20 },
    acknowledges: 0.8,
    lateReply: 0,
    documents: { onTime: 0.75, late: 0.2, refused: 0.05 },
    terms: {
      title: 'Demo readmission agreement EU–PK (synthetic terms)',
      kind: 'agreement',
      replyDeadline: { days: 25, dayKind: 'calendar' },
      acceleratedReplyDeadline: { days: 2, dayKind: 'working' },
      maxExtension: { days: 60, dayKind: 'calendar' },
      silenceMeansConsent: true,
      travelDocument: { issueWithin: { days: 3, dayKind: 'working' }, minValidityDays: 90 },
      transferWindowDays: 90,
      arrivalNoticeHours: 24,
    },
  },
  MA: {
    weight: 20,
    languages: ['ar', 'fr'],
    places: ['Demo Medina', 'Sampleville', 'Exempla'],
    offset: '+01:00',
    answer: { accept: 55, reject: 20, silent: 25 },
    acknowledges: 0.6,
    lateReply: 0.2,
    documents: { onTime: 0.6, late: 0.35, refused: 0.05 },
    terms: {
      title: 'Demo readmission agreement EU–MA (synthetic terms)',
      kind: 'agreement',
      replyDeadline: { days: 15, dayKind: 'calendar' },
      acceleratedReplyDeadline: null,
      maxExtension: { days: 30, dayKind: 'calendar' },
      silenceMeansConsent: false,
      travelDocument: { issueWithin: { days: 5, dayKind: 'working' }, minValidityDays: 90 },
      transferWindowDays: 60,
      arrivalNoticeHours: 48,
    },
  },
  GE: {
    weight: 20,
    languages: ['ka', 'ru'],
    places: ['Demo Kalaki', 'Samplisi', 'Testauri'],
    offset: '+04:00',
    answer: { accept: 80, reject: 10, silent: 10 },
    acknowledges: 0.9,
    lateReply: 0,
    documents: { onTime: 0.9, late: 0.08, refused: 0.02 },
    terms: {
      title: 'Demo readmission agreement EU–GE (synthetic terms)',
      kind: 'agreement',
      replyDeadline: { days: 12, dayKind: 'calendar' },
      acceleratedReplyDeadline: { days: 2, dayKind: 'working' },
      maxExtension: { days: 10, dayKind: 'calendar' },
      silenceMeansConsent: true,
      travelDocument: { issueWithin: { days: 3, dayKind: 'working' }, minValidityDays: 120 },
      transferWindowDays: 90,
      arrivalNoticeHours: 24,
    },
  },
  NG: {
    weight: 20,
    languages: ['en', 'yo', 'ha'],
    places: ['Demo Ikeja', 'Sample Port', 'Fiktiva'],
    offset: '+01:00',
    answer: { accept: 45, reject: 25, silent: 30 },
    acknowledges: 0.5,
    lateReply: 0.3,
    documents: { onTime: 0.55, late: 0.38, refused: 0.07 },
    terms: {
      title: 'Demo return arrangement EU–NG (synthetic terms)',
      kind: 'arrangement',
      replyDeadline: { days: 25, dayKind: 'calendar' },
      acceleratedReplyDeadline: null,
      maxExtension: null,
      silenceMeansConsent: false,
      travelDocument: { issueWithin: { days: 30, dayKind: 'calendar' }, minValidityDays: 90 },
      transferWindowDays: 120,
      arrivalNoticeHours: 72,
    },
  },
  IQ: {
    weight: 15,
    languages: ['ar', 'ku'],
    places: ['Demo Karkh', 'Samplabad', 'Exemplil'],
    offset: '+03:00',
    answer: { accept: 50, reject: 25, silent: 25 },
    acknowledges: 0.6,
    lateReply: 0.25,
    documents: { onTime: 0.6, late: 0.33, refused: 0.07 },
    terms: {
      title: 'Demo return arrangement EU–IQ (synthetic terms)',
      kind: 'arrangement',
      replyDeadline: { days: 20, dayKind: 'working' },
      acceleratedReplyDeadline: null,
      maxExtension: { days: 20, dayKind: 'working' },
      silenceMeansConsent: false,
      travelDocument: { issueWithin: { days: 14, dayKind: 'calendar' }, minValidityDays: 90 },
      transferWindowDays: 60,
      arrivalNoticeHours: 48,
    },
  },
};
export type Origin = string;

export const GIVEN = [
  'Ada',
  'Bora',
  'Cemo',
  'Dila',
  'Eno',
  'Fia',
  'Gulo',
  'Hani',
  'Ilo',
  'Jora',
  'Kian',
  'Lema',
  'Mira',
  'Noa',
  'Oni',
  'Pia',
  'Rami',
  'Sela',
  'Tari',
  'Umi',
  'Vero',
  'Wen',
  'Yaro',
  'Zeno',
];
export const FAMILY = [
  'Demoli',
  'Samplova',
  'Fiktivi',
  'Probeva',
  'Exampleton',
  'Testari',
  'Placeholda',
  'Synthetiq',
  'Imaginaro',
  'Musterdemo',
];
export const NOTE = 'Synthetic demo note: not a real person or event.';

export const REJECTIONS = {
  'nationality-not-established': 30,
  'not-a-national': 18,
  'insufficient-evidence': 30,
  'person-unknown': 14,
  other: 8,
} as const;
export const PRE_REMOVAL_OBSTACLES = {
  'charter-refused': 15,
  'no-transport': 20,
  'medical-unfitness': 20,
  'non-cooperation': 20,
  'legal-suspension': 15,
  other: 10,
} as const;
export const PLAIN_ABORTS = {
  medical: 25,
  resistance: 25,
  'pilot-refusal': 12,
  'escort-decision': 12,
  'court-order': 10,
  technical: 16,
} as const;

export type Fate = 'normal' | 'deceased' | 'withdrawn' | 'permit-granted';
export const FATES = { normal: 955, deceased: 5, withdrawn: 15, 'permit-granted': 25 } as const;
