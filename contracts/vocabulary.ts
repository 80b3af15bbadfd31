import { z } from 'zod';

/** Abort reason codes (CPT standards, §44). */
export const AbortReason = z.enum([
  'protection-claim',
  'medical',
  'resistance',
  'pilot-refusal',
  'escort-decision',
  'court-order',
  'origin-state-refusal',
  'no-show',
  'technical',
]);
export type AbortReason = z.infer<typeof AbortReason>;

export const RejectionReason = z.enum([
  'nationality-not-established',
  'not-a-national',
  'insufficient-evidence',
  'person-unknown',
  'other',
]);
export type RejectionReason = z.infer<typeof RejectionReason>;

export const ObstacleType = z.enum([
  'no-reply',
  'identification-failure',
  'readmission-rejected',
  'travel-document-delay',
  'travel-document-refused',
  'charter-refused',
  'no-transport',
  'medical-unfitness',
  'legal-suspension',
  'absconded',
  'non-cooperation',
  'other',
]);
export type ObstacleType = z.infer<typeof ObstacleType>;

/** Obstacles the deadline service opens and closes by itself. */
export const DEADLINE_OBSTACLES: readonly ObstacleType[] = ['no-reply', 'travel-document-delay'];

export const PERMITTED_MEASURES = [
  'escort',
  'handcuffs',
  'body-cuff',
  'leg-restraints',
  'helmet',
  'spit-hood',
] as const;
/** Never authorised, whoever asks (CPT 13th General Report; 2004/573/EC annex). */
export const PROHIBITED_MEASURES = [
  'airway-obstruction',
  'sedation',
  'face-down-restraint',
  'gag',
  'punitive-force',
] as const;
export const Measure = z.enum([...PERMITTED_MEASURES, ...PROHIBITED_MEASURES]);
export type Measure = z.infer<typeof Measure>;
export const isProhibited = (m: Measure): boolean => (PROHIBITED_MEASURES as readonly string[]).includes(m);

export const RemovalMode = z.enum(['voluntary-assisted', 'unescorted', 'escorted']);
export type RemovalMode = z.infer<typeof RemovalMode>;

export const ProtectionClaimKind = z.enum(['subsequent-application', 'suspensive-appeal', 'interim-measure']);
export const VulnerabilityKind = z.enum([
  'health',
  'disability',
  'pregnancy',
  'trafficking-indicators',
  'age-dispute',
  'other',
]);
export const MonitoringPhase = z.enum(['pre-departure', 'in-flight', 'handover', 'post-return']);
export const Severity = z.enum(['critical', 'major', 'minor']);
export type Severity = z.infer<typeof Severity>;
export const TransportKind = z.enum(['scheduled-flight', 'charter', 'land', 'sea']);
