import { Webhook } from 'standardwebhooks';

/** What one attempt came to: a 2xx is delivered; anything else is retried. */
export interface AttemptResult {
  ok: boolean;
  /** The answer's status, or null when there was none. */
  status: number | null;
  /** A short reason without data: `timeout`, `refused`, `http-500`, … */
  error: string | null;
}

export interface SignedRequest {
  url: string;
  deliveryId: string;
  secret: string;
  body: string;
  /** When signed (`webhook-timestamp`): real time, since receivers check it against their clock. */
  at: Date;
}

export type Send = (request: SignedRequest) => Promise<AttemptResult>;

/** The three Standard Webhooks headers for one body. */
export function signatureHeaders(r: SignedRequest): Record<string, string> {
  return {
    'webhook-id': r.deliveryId,
    'webhook-timestamp': String(Math.floor(r.at.getTime() / 1000)),
    'webhook-signature': new Webhook(r.secret).sign(r.deliveryId, r.at, r.body),
  };
}

/**
 * POSTs a signed delivery. Redirects are not followed (an endpoint is the URL an admin
 * registered, nowhere else), and an answer's body is never read past its status.
 */
export function httpSender(timeoutMs: number): Send {
  return async (r) => {
    try {
      const res = await fetch(r.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'rrc-webhooks', ...signatureHeaders(r) },
        body: r.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body?.cancel().catch(() => undefined);
      const ok = res.status >= 200 && res.status < 300;
      return { ok, status: res.status, error: ok ? null : `http-${res.status}` };
    } catch (e) {
      const name = (e as Error)?.name;
      return { ok: false, status: null, error: name === 'TimeoutError' ? 'timeout' : 'unreachable' };
    }
  };
}
