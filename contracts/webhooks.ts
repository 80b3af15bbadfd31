import { z } from 'zod';
import { Instant, StateCode } from './common.ts';

/**
 * Webhooks and live notices: how other systems of an authority learn that something happened
 * without polling. Payloads carry ids and types only, never personal data (domain.md: the
 * data are special-category; free text is personal data too).
 */

/** What an endpoint may subscribe to. */
export const WebhookKind = z.enum([
  /** A request was submitted: delivered to the origin State's endpoints (the State that must answer). */
  'readmission-request.submitted',
  /** A pending request's reply deadline is at most 2 calendar days away: origin State's endpoints. */
  'reply-deadline.approaching',
  /** A monitor (or a use-of-force report) raised a safeguard concern: destination State's endpoints. */
  'safeguard-concern.raised',
  /** The case closed, for whatever outcome: destination State's endpoints only. */
  'case.closed',
]);
export type WebhookKind = z.infer<typeof WebhookKind>;

/** An http(s) URL without credentials in it (they would show in every list of endpoints). */
export const WebhookUrl = z
  .string()
  .max(2000)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'expected an http or https URL without credentials');

export const RegisterWebhookBody = z.strictObject({
  url: WebhookUrl,
  /** Deliveries about cases of this State (as origin or destination, per kind: see WebhookKind). */
  state: StateCode,
  kinds: z.array(WebhookKind).min(1).max(WebhookKind.options.length),
});
export type RegisterWebhookBody = z.infer<typeof RegisterWebhookBody>;

export const WebhookId = z.string().regex(/^wh_[0-9a-f-]{36}$/, 'expected a webhook id (wh_…)');
export const DeliveryId = z.string().regex(/^msg_[A-Za-z0-9_-]{1,120}$/, 'expected a delivery id (msg_…)');

export const WebhookView = z.object({
  webhookId: z.string(),
  url: z.string(),
  state: z.string(),
  kinds: z.array(WebhookKind),
  registeredAt: z.string(),
});
export type WebhookView = z.infer<typeof WebhookView>;

/** The answer to a registration: the only time the signing secret is shown. */
export const WebhookCreated = WebhookView.extend({
  /** Standard Webhooks signing secret (`whsec_` + base64): keep it; it is never shown again. */
  secret: z.string(),
  position: z.number().int(),
});

/** What a delivery's body holds (Standard Webhooks: `type`, `timestamp`, `data`). */
export const WebhookPayload = z.strictObject({
  type: WebhookKind,
  /** When the delivery was made up (stable across retries of one delivery). */
  timestamp: Instant,
  data: z.strictObject({
    caseId: z.string(),
    requestId: z.string().optional(),
    /** The event type behind it (`ReadmissionRequestSubmitted`, …); absent for a deadline notice. */
    eventType: z.string().optional(),
    /** When it happened: the event's `occurredAt`, or the reply due date for a deadline notice. */
    occurredAt: z.string(),
    /** The State the endpoint was registered for. */
    state: z.string(),
    replyDueOn: z.string().optional(),
  }),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

export const DeadLetterView = z.object({
  deliveryId: z.string(),
  webhookId: z.string(),
  kind: WebhookKind,
  caseId: z.string(),
  attempts: z.number().int(),
  /** The last answer's HTTP status, or null when there was none (refused, timed out). */
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deadSince: z.string(),
});
export type DeadLetterView = z.infer<typeof DeadLetterView>;

export const ReplayAnswer = z.object({ replayed: z.number().int() });

/** One server-sent event of `GET /v1/events/stream`: ids and types only. */
export const LiveNotice = z.object({
  position: z.number().int(),
  caseId: z.string(),
  type: z.string(),
});
export type LiveNotice = z.infer<typeof LiveNotice>;

/** Stored events of a webhook registration's own stream (`webhook-<id>`). */
export const webhookEventSchemas = {
  WebhookRegistered: z.strictObject({
    webhookId: z.string(),
    url: WebhookUrl,
    state: StateCode,
    kinds: z.array(WebhookKind),
    /** The signing secret, sealed with the endpoint's own key (destroyed on deletion). */
    sealedSecret: z.string(),
  }),
  WebhookDeleted: z.strictObject({ webhookId: z.string() }),
} as const;
