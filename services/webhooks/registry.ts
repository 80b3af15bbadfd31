import { randomBytes, randomUUID } from 'node:crypto';
import type { RegisterWebhookBody, WebhookKind, WebhookView } from '../../contracts/index.ts';
import type { Principal } from '../../domain/index.ts';
import { ForbiddenError, NotFoundError } from '../commands/errors.ts';
import type { EventCodec } from '../commands/event-codec.ts';
import type { EventStore, StoredEvent } from '../event-store/port.ts';
import { open, seal, type KeyStore } from '../privacy/key-store.ts';

/**
 * Webhook registrations are events in a stream of their own per endpoint (`webhook-<id>`):
 * `WebhookRegistered`, then perhaps `WebhookDeleted`. In the log they survive a rebuild of the
 * read models and reach every replica; the dispatcher folds them in log order, so an endpoint
 * hears exactly of the events after its registration and before its deletion.
 *
 * The signing secret is in the event sealed (AES-256-GCM) with a key of the endpoint's own in
 * the key store, and deleting the endpoint destroys that key: the secret is then gone from the
 * log for good, as a case's personal data are on erasure.
 */
export const WEBHOOK_STREAM_PREFIX = 'webhook-';
export const webhookStream = (webhookId: string): string => `${WEBHOOK_STREAM_PREFIX}${webhookId}`;
/** The key-store id of an endpoint's key (key ids of cases are bare UUIDs: no clash). */
export const webhookKeyId = (webhookId: string): string => `webhook:${webhookId}`;

export interface Registration {
  webhookId: string;
  url: string;
  state: string;
  kinds: WebhookKind[];
  sealedSecret: string;
}

/** A Standard Webhooks secret: `whsec_` and 24 random bytes in base64. */
export const newSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

export function sealSecret(key: Buffer, secret: string): string {
  return seal(key, Buffer.from(secret, 'utf8')).toString('base64');
}

/** The endpoint's secret, or undefined once it was deleted (its key destroyed). */
export function openSecret(keys: KeyStore, webhookId: string, sealed: string): string | undefined {
  const key = keys.dataKey(webhookKeyId(webhookId), false);
  return key ? open(key, Buffer.from(sealed, 'base64')).toString('utf8') : undefined;
}

export class WebhookRegistry {
  constructor(
    private readonly store: EventStore,
    private readonly codec: EventCodec,
    private readonly keys: KeyStore,
    private readonly clock: () => Date,
  ) {}

  async register(
    principal: Principal,
    body: RegisterWebhookBody,
  ): Promise<WebhookView & { secret: string; position: number }> {
    requireAdmin(principal);
    const webhookId = `wh_${randomUUID()}`;
    const key = await this.keys.createKey(webhookKeyId(webhookId));
    if (!key) throw new Error('the key store gave no key for a new endpoint');
    const secret = newSecret();
    const kinds = [...new Set(body.kinds)];
    const data = { webhookId, url: body.url, state: body.state, kinds, sealedSecret: sealSecret(key, secret) };
    const recordedAt = this.clock().toISOString();
    const result = await this.store.append(
      webhookStream(webhookId),
      [this.codec.encode({ type: 'WebhookRegistered', data }, this.metadata(principal, recordedAt))],
      'no-stream',
    );
    return {
      webhookId,
      url: body.url,
      state: body.state,
      kinds,
      registeredAt: recordedAt,
      secret,
      position: result.position,
    };
  }

  async delete(principal: Principal, webhookId: string): Promise<{ position: number }> {
    requireAdmin(principal);
    const events = await this.store.readStream(webhookStream(webhookId));
    const view = fold(events, this.codec);
    if (!view || view.deleted) throw new NotFoundError('No such webhook.');
    const result = await this.store.append(
      webhookStream(webhookId),
      [
        this.codec.encode(
          { type: 'WebhookDeleted', data: { webhookId } },
          this.metadata(principal, this.clock().toISOString()),
        ),
      ],
      events[events.length - 1]!.revision,
    );
    // After the append: a deletion that failed to record leaves a working endpoint, not a dead one.
    this.keys.destroy(webhookKeyId(webhookId), this.clock());
    return { position: result.position };
  }

  /** Every registered endpoint, folded from the log (endpoints are few: tens, not thousands). */
  async list(principal: Principal): Promise<WebhookView[]> {
    requireAdmin(principal);
    const byStream = new Map<string, StoredEvent[]>();
    let after = 0;
    for (;;) {
      const page = await this.store.readAll({ after, streamPrefixes: [WEBHOOK_STREAM_PREFIX], limit: 1000 });
      for (const e of page) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
      if (page.length < 1000) break;
      after = page[page.length - 1]!.position;
    }
    return [...byStream.values()]
      .flatMap((events) => {
        const view = fold(events, this.codec);
        return view && !view.deleted ? [view.view] : [];
      })
      .sort((a, b) => a.registeredAt.localeCompare(b.registeredAt) || a.webhookId.localeCompare(b.webhookId));
  }

  private metadata(principal: Principal, recordedAt: string) {
    return { actor: { sub: principal.sub, role: 'admin' as const }, recordedAt, occurredAt: recordedAt };
  }
}

function requireAdmin(principal: Principal): void {
  if (!principal.roles.includes('admin')) throw new ForbiddenError('Only an admin manages webhooks.');
}

function fold(events: readonly StoredEvent[], codec: EventCodec): { view: WebhookView; deleted: boolean } | undefined {
  let found: { view: WebhookView; deleted: boolean } | undefined;
  for (const stored of events) {
    const { event, metadata } = codec.decode(stored);
    if (event.type === 'WebhookRegistered') {
      const r = event.data as Registration;
      found = {
        view: { webhookId: r.webhookId, url: r.url, state: r.state, kinds: r.kinds, registeredAt: metadata.recordedAt },
        deleted: false,
      };
    } else if (event.type === 'WebhookDeleted' && found) {
      found = { ...found, deleted: true };
    }
  }
  return found;
}
