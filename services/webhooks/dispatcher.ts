import type { Logger } from 'pino';
import type { DeadLetterView, WebhookKind } from '../../contracts/index.ts';
import type { EventCodec } from '../commands/event-codec.ts';
import { CASE_STREAM_PREFIX, type EventStore, type StoredEvent, type Subscription } from '../event-store/port.ts';
import type { KeyStore } from '../privacy/key-store.ts';
import type { DueSoon } from './approaching.ts';
import { caseIdOf, type CaseStatesLookup } from './case-scope.ts';
import type { DeliveryRow, EndpointRow, Outbox } from './outbox-db.ts';
import { openSecret, WEBHOOK_STREAM_PREFIX, type Registration } from './registry.ts';
import { EVENT_KINDS, payloadOf } from './routing.ts';
import type { Send } from './sender.ts';

/** Exponential backoff: base, 2×base, 4×base, … capped at `maxDelayMs`; dead after `maxAttempts`. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Real time for the retry schedule and signatures; injectable so specs need not wait. */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The pause after the `attempts`-th failed attempt: base × 2^(attempts − 1), at most `maxDelayMs`. */
export function retryDelay(policy: RetryPolicy, attempts: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface DispatcherOptions {
  store: EventStore;
  codec: EventCodec;
  keys: KeyStore;
  outbox: Outbox;
  states: CaseStatesLookup;
  /** The service clock: today's date for the deadline scan. */
  clock: () => Date;
  send: Send;
  retry: RetryPolicy;
  timers?: Timers;
  /** Pending requests of an origin State whose reply is due soon (see approaching.ts). */
  dueSoon?: (originState: string, today: string) => DueSoon[];
  scanIntervalMs: number;
  logger?: Logger | undefined;
}

/** Uninteresting events between two checkpoint writes (replaying them after a crash costs nothing). */
const CHECKPOINT_EVERY = 500;
const FOLLOWED = [CASE_STREAM_PREFIX, WEBHOOK_STREAM_PREFIX];
const BATCH = 50;
/** How long delivered and cancelled deliveries are kept (dead letters stay until replayed). */
const KEEP_DONE_MS = 30 * 86_400_000;

/**
 * Follows the event log from its own checkpoint (the store's catch-up-then-live subscription,
 * the one the projection runner uses) and turns events into deliveries in the outbox, then
 * sends them: signed per Standard Webhooks, retried with exponential backoff, and after
 * `maxAttempts` failures parked as dead letters an admin can replay. At least once: the
 * `webhook-id` header stays the same across retries and replays, for receivers to deduplicate.
 */
export class WebhookDispatcher {
  readonly #o: DispatcherOptions;
  readonly #timers: Timers;
  #endpoints: EndpointRow[] = [];
  #position = 0;
  #unsaved = 0;
  #following: Promise<void> | undefined;
  #subscription: Subscription | undefined;
  #stopping = false;
  #pumping = false;
  #again = false;
  #pumpTimer: unknown;
  #scanTimer: unknown;
  #wakeRetry: (() => void) | undefined;

  constructor(options: DispatcherOptions) {
    this.#o = options;
    this.#timers = options.timers ?? realTimers;
  }

  /**
   * A new outbox starts at the head of the log, with the registrations made so far: a lost or
   * new file must not send the whole history again.
   */
  async init(): Promise<void> {
    const { outbox, store } = this.#o;
    if (outbox.checkpoint() === undefined) {
      const head = await store.headPosition();
      let after = 0;
      for (;;) {
        const page = await store.readAll({ after, streamPrefixes: [WEBHOOK_STREAM_PREFIX], limit: 1000 });
        outbox.db.transaction(() =>
          page.filter((e) => e.position <= head).forEach((e) => this.#applyRegistration(e)),
        )();
        if (page.length < 1000) break;
        after = page[page.length - 1]!.position;
      }
      outbox.setCheckpoint(head);
    }
    this.#position = outbox.checkpoint() ?? 0;
    this.#endpoints = outbox.endpoints();
  }

  start(): void {
    if (this.#following) return;
    this.#stopping = false;
    this.#following = this.#follow().finally(() => (this.#following = undefined));
    // What was pending when this process last stopped is tried again at once, not after its backoff.
    this.#o.outbox.pendingDueNow(this.#timers.now());
    this.#scan();
    this.#wake();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#timers.clearTimeout(this.#pumpTimer);
    this.#timers.clearTimeout(this.#scanTimer);
    this.#wakeRetry?.();
    await this.#subscription?.close();
    await this.#following;
    while (this.#pumping) await new Promise((r) => setTimeout(r, 5));
    this.#saveCheckpoint();
  }

  /** The last log position turned into deliveries. */
  position(): number {
    return this.#position;
  }

  deadLetters(limit: number): DeadLetterView[] {
    return this.#o.outbox.dead(limit).map((r) => ({
      deliveryId: r.delivery_id,
      webhookId: r.webhook_id,
      kind: r.kind,
      caseId: r.case_id,
      attempts: r.attempts,
      lastStatus: r.last_status,
      lastError: r.last_error,
      deadSince: r.updated_at,
    }));
  }

  /** Dead letters (one, or every one) back in the queue with a fresh allowance of attempts. */
  replay(deliveryId?: string): number {
    const n = this.#o.outbox.revive(deliveryId, this.#timers.now(), this.#nowIso());
    if (n > 0 && !this.#stopping) this.#wake();
    return n;
  }

  delivery(deliveryId: string): DeliveryRow | undefined {
    return this.#o.outbox.delivery(deliveryId);
  }

  // ---- following the log

  async #follow(): Promise<void> {
    while (!this.#stopping) {
      let subscription: Subscription | undefined;
      try {
        subscription = this.#o.store.subscribe({ after: this.#position, streamPrefixes: FOLLOWED });
        this.#subscription = subscription;
        for await (const stored of subscription) {
          if (this.#stopping) break;
          await this.#handle(stored);
        }
        if (!this.#stopping) await this.#pause(100); // the store ended it: follow again, gently
      } catch (error) {
        this.#o.logger?.error({ errName: (error as Error)?.name }, 'webhook follower failed; retrying');
        if (!this.#stopping) await this.#pause(2000);
      } finally {
        this.#subscription = undefined;
        await subscription?.close();
        this.#saveCheckpoint();
      }
    }
  }

  async #handle(stored: StoredEvent): Promise<void> {
    const { outbox, states } = this.#o;
    if (stored.streamId.startsWith(WEBHOOK_STREAM_PREFIX)) {
      outbox.db.transaction(() => {
        this.#applyRegistration(stored);
        outbox.setCheckpoint(stored.position);
      })();
      this.#endpoints = outbox.endpoints();
      this.#advance(stored.position, true);
      return;
    }
    states.remember(stored);
    const route = EVENT_KINDS[stored.type];
    const caseId = caseIdOf(stored);
    const listening = route && this.#endpoints.some((e) => this.#hears(e, route.kind, stored.position));
    if (!route || caseId === undefined || !listening) return this.#advance(stored.position, false);
    const scope = await states.of(caseId);
    const state = scope?.[route.to];
    // Read without the personal fields: only ids, the type and the times go out.
    const { event, metadata } = this.#o.codec.decodeWithoutPersonalData(stored);
    const requestId = (event.data as { requestId?: unknown }).requestId;
    const targets = this.#endpoints.filter((e) => e.state === state && this.#hears(e, route.kind, stored.position));
    outbox.db.transaction(() => {
      for (const endpoint of targets) {
        outbox.enqueue({
          delivery_id: `msg_${stored.id}_${endpoint.webhook_id}`,
          webhook_id: endpoint.webhook_id,
          kind: route.kind,
          case_id: caseId,
          payload: payloadOf({
            kind: route.kind,
            timestamp: metadata.recordedAt,
            caseId,
            state: endpoint.state,
            occurredAt: metadata.occurredAt,
            requestId: typeof requestId === 'string' ? requestId : undefined,
            eventType: stored.type,
          }),
          next_attempt_at: this.#timers.now(),
          updated_at: this.#nowIso(),
        });
      }
      outbox.setCheckpoint(stored.position);
    })();
    this.#advance(stored.position, true);
    if (targets.length > 0) this.#wake();
  }

  /** Whether an endpoint hears of an event of this kind at this position (registered before, not yet deleted). */
  #hears(e: EndpointRow, kind: WebhookKind, position: number): boolean {
    return (
      e.since_position < position &&
      (e.deleted_position === null || position < e.deleted_position) &&
      (JSON.parse(e.kinds) as string[]).includes(kind)
    );
  }

  #applyRegistration(stored: StoredEvent): void {
    const { event, metadata } = this.#o.codec.decode(stored);
    if (event.type === 'WebhookRegistered') {
      const r = event.data as Registration;
      this.#o.outbox.addEndpoint({
        webhook_id: r.webhookId,
        url: r.url,
        state: r.state,
        kinds: JSON.stringify(r.kinds),
        sealed_secret: r.sealedSecret,
        registered_at: metadata.recordedAt,
        since_position: stored.position,
        deleted_position: null,
      });
    } else if (event.type === 'WebhookDeleted') {
      this.#o.outbox.deleteEndpoint((event.data as { webhookId: string }).webhookId, stored.position);
    }
  }

  #advance(position: number, saved: boolean): void {
    this.#position = position;
    this.#unsaved = saved ? 0 : this.#unsaved + 1;
    if (this.#unsaved >= CHECKPOINT_EVERY) this.#saveCheckpoint();
  }

  #saveCheckpoint(): void {
    if (this.#unsaved === 0 || !this.#o.outbox.db.open) return;
    this.#o.outbox.setCheckpoint(this.#position);
    this.#unsaved = 0;
  }

  // ---- reply deadlines coming up

  #scan(): void {
    if (this.#stopping) return;
    try {
      this.#enqueueApproaching();
      this.#o.outbox.prune(new Date(this.#timers.now() - KEEP_DONE_MS).toISOString());
    } catch (error) {
      this.#o.logger?.error({ errName: (error as Error)?.name }, 'reply-deadline scan failed');
    }
    this.#scanTimer = this.#timers.setTimeout(() => this.#scan(), this.#o.scanIntervalMs);
  }

  #enqueueApproaching(): void {
    const { dueSoon, outbox } = this.#o;
    if (!dueSoon) return;
    const kind: WebhookKind = 'reply-deadline.approaching';
    const listening = this.#endpoints.filter((e) => this.#hears(e, kind, Number.MAX_SAFE_INTEGER));
    const today = this.#o.clock().toISOString().slice(0, 10);
    let made = 0;
    for (const state of new Set(listening.map((e) => e.state))) {
      const due = dueSoon(state, today);
      outbox.db.transaction(() => {
        for (const d of due) {
          for (const endpoint of listening.filter((e) => e.state === state)) {
            made++;
            outbox.enqueue({
              // One notice per request and due date: a scan that finds it again makes none.
              delivery_id: `msg_due_${d.caseId}_${d.requestId}_${d.replyDueOn}_${endpoint.webhook_id}`,
              webhook_id: endpoint.webhook_id,
              kind,
              case_id: d.caseId,
              payload: payloadOf({
                kind,
                timestamp: this.#o.clock().toISOString(),
                caseId: d.caseId,
                state,
                occurredAt: d.replyDueOn,
                requestId: d.requestId,
                replyDueOn: d.replyDueOn,
              }),
              next_attempt_at: this.#timers.now(),
              updated_at: this.#nowIso(),
            });
          }
        }
      })();
    }
    if (made > 0) this.#wake();
  }

  /** Runs the reply-deadline scan now (the server runs it at start and every interval). */
  scanNow(): void {
    this.#enqueueApproaching();
  }

  // ---- sending

  #wake(): void {
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    this.#timers.clearTimeout(this.#pumpTimer);
    try {
      do {
        this.#again = false;
        const due = this.#o.outbox.due(this.#timers.now(), BATCH);
        await Promise.all(due.map((row) => this.#attempt(row)));
        if (due.length === BATCH) this.#again = true;
      } while (this.#again && !this.#stopping);
    } catch (error) {
      this.#o.logger?.error({ errName: (error as Error)?.name }, 'webhook delivery batch failed');
    } finally {
      this.#pumping = false;
    }
    if (this.#stopping || !this.#o.outbox.db.open) return;
    const next = this.#o.outbox.nextDueAt();
    if (next !== undefined) {
      this.#pumpTimer = this.#timers.setTimeout(() => this.#wake(), Math.max(0, next - this.#timers.now()));
    }
  }

  async #attempt(row: DeliveryRow): Promise<void> {
    const { outbox, keys, retry, logger } = this.#o;
    const endpoint = this.#endpoints.find((e) => e.webhook_id === row.webhook_id);
    const secret = endpoint && openSecret(keys, endpoint.webhook_id, endpoint.sealed_secret);
    const base = { delivery_id: row.delivery_id, updated_at: this.#nowIso(), next_attempt_at: row.next_attempt_at };
    if (!endpoint || !secret) {
      outbox.record({ ...base, status: 'cancelled', attempts: row.attempts, last_status: null, last_error: 'deleted' });
      return;
    }
    const result = await this.#o.send({
      url: endpoint.url,
      deliveryId: row.delivery_id,
      secret,
      body: row.payload,
      at: new Date(this.#timers.now()),
    });
    if (!outbox.db.open) return;
    const attempts = row.attempts + 1;
    const log = { deliveryId: row.delivery_id, webhookId: row.webhook_id, attempts, status: result.status };
    if (result.ok) {
      outbox.record({ ...base, status: 'delivered', attempts, last_status: result.status, last_error: null });
      logger?.debug(log, 'webhook delivered');
      return;
    }
    const dead = attempts >= retry.maxAttempts;
    const delay = retryDelay(retry, attempts);
    outbox.record({
      ...base,
      status: dead ? 'dead' : 'pending',
      attempts,
      next_attempt_at: this.#timers.now() + delay,
      last_status: result.status,
      last_error: result.error,
    });
    if (dead) logger?.warn(log, 'webhook delivery moved to the dead letters');
  }

  #nowIso(): string {
    return new Date(this.#timers.now()).toISOString();
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.#timers.clearTimeout(timer);
        this.#wakeRetry = undefined;
        resolve();
      };
      const timer = this.#timers.setTimeout(done, ms);
      this.#wakeRetry = done;
    });
  }
}
