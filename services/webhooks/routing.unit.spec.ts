import { describe, expect, it } from 'vitest';
import { WebhookPayload } from '../../contracts/index.ts';
import { retryDelay } from './dispatcher.ts';
import { hearsOf } from './live-notices.ts';
import { EVENT_KINDS, payloadOf } from './routing.ts';

const DE_TO_PK = { destinationState: 'DE', originState: 'PK' };

describe('webhook routing', () => {
  it('sends a request to the origin State, concerns and closures to the destination State only', () => {
    expect(EVENT_KINDS.ReadmissionRequestSubmitted).toEqual({
      kind: 'readmission-request.submitted',
      to: 'originState',
    });
    expect(EVENT_KINDS.SafeguardConcernRaised?.to).toBe('destinationState');
    expect(EVENT_KINDS.CaseClosed?.to).toBe('destinationState');
    expect(EVENT_KINDS.ProtectionClaimLodged).toBeUndefined();
  });

  it('builds a body of ids, types and times that the contract accepts, and nothing else', () => {
    const body = payloadOf({
      kind: 'case.closed',
      timestamp: '2026-11-02T09:00:00.000Z',
      caseId: 'c1',
      state: 'DE',
      occurredAt: '2026-11-02',
      eventType: 'CaseClosed',
      requestId: undefined,
      // A caller that passes more than the allow-list gets none of it into the body.
      ...({ reasons: 'Amina Testova left' } as object),
    });
    expect(WebhookPayload.parse(JSON.parse(body))).toEqual(JSON.parse(body));
    expect(body).not.toContain('Amina');
    expect(JSON.parse(body).data).toEqual({
      caseId: 'c1',
      eventType: 'CaseClosed',
      occurredAt: '2026-11-02',
      state: 'DE',
    });
  });

  it('backs off exponentially up to the cap', () => {
    const policy = { maxAttempts: 8, baseDelayMs: 30_000, maxDelayMs: 3_600_000 };
    expect([1, 2, 3, 4, 8, 20].map((n) => retryDelay(policy, n))).toEqual([
      30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000,
    ]);
  });
});

describe('live notice scopes', () => {
  it('a caseworker hears of its own State, a liaison of requests addressed to it, a monitor of all', () => {
    expect(hearsOf({ sub: 'a', roles: ['caseworker'], state: 'DE' }, 'CaseOpened', DE_TO_PK)).toBe(true);
    expect(hearsOf({ sub: 'b', roles: ['caseworker'], state: 'FR' }, 'CaseOpened', DE_TO_PK)).toBe(false);
    expect(hearsOf({ sub: 'c', roles: ['liaison'], state: 'PK' }, 'ReadmissionAccepted', DE_TO_PK)).toBe(true);
    expect(hearsOf({ sub: 'c', roles: ['liaison'], state: 'PK' }, 'ProtectionClaimLodged', DE_TO_PK)).toBe(false);
    expect(hearsOf({ sub: 'c', roles: ['liaison'], state: 'PK' }, 'UseOfForceReported', DE_TO_PK)).toBe(false);
    // A case closed before any request must not reveal itself to the origin State.
    expect(hearsOf({ sub: 'c', roles: ['liaison'], state: 'PK' }, 'CaseClosed', DE_TO_PK)).toBe(false);
    expect(hearsOf({ sub: 'd', roles: ['liaison'], state: 'MA' }, 'ReadmissionAccepted', DE_TO_PK)).toBe(false);
    expect(hearsOf({ sub: 'e', roles: ['monitor'] }, 'UseOfForceReported', DE_TO_PK)).toBe(true);
    expect(hearsOf({ sub: 'f', roles: ['analyst'] }, 'CaseOpened', DE_TO_PK)).toBe(false);
    expect(hearsOf({ sub: 'g', roles: ['admin'] }, 'CaseOpened', DE_TO_PK)).toBe(false);
  });
});
