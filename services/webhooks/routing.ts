import type { WebhookKind, WebhookPayload } from '../../contracts/index.ts';
import type { CaseStates } from './case-scope.ts';

/**
 * Which case events make a webhook delivery, and to whose endpoints. The origin State hears
 * only of what its liaison may see (a request addressed to it); concerns and closures go to
 * the destination State alone, since a closure's outcome may be `protection-granted` and the
 * origin State must never learn that a person asked for protection (domain.md).
 */
export const EVENT_KINDS: Readonly<Record<string, { kind: WebhookKind; to: keyof CaseStates }>> = {
  ReadmissionRequestSubmitted: { kind: 'readmission-request.submitted', to: 'originState' },
  SafeguardConcernRaised: { kind: 'safeguard-concern.raised', to: 'destinationState' },
  CaseClosed: { kind: 'case.closed', to: 'destinationState' },
};

/** `reply-deadline.approaching` goes to the State that must answer. */
export const APPROACHING_TO: keyof CaseStates = 'originState';

/**
 * The body of a delivery: ids, types and times only. Built field by field from an allow-list,
 * never by copying an event's payload, so no name or free text can slip in.
 */
export function payloadOf(input: {
  kind: WebhookKind;
  timestamp: string;
  caseId: string;
  state: string;
  occurredAt: string;
  requestId?: string | undefined;
  eventType?: string | undefined;
  replyDueOn?: string | undefined;
}): string {
  const payload: WebhookPayload = {
    type: input.kind,
    timestamp: input.timestamp,
    data: {
      caseId: input.caseId,
      ...(input.requestId !== undefined ? { requestId: input.requestId } : {}),
      ...(input.eventType !== undefined ? { eventType: input.eventType } : {}),
      occurredAt: input.occurredAt,
      state: input.state,
      ...(input.replyDueOn !== undefined ? { replyDueOn: input.replyDueOn } : {}),
    },
  };
  return JSON.stringify(payload);
}
