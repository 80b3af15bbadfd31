import { createHmac } from 'node:crypto';
import { EVENT_VERSIONS, PERSONAL_FIELDS, type EventMetadata } from '../../contracts/index.ts';
import { caseIdOfSealedStream, type NewEvent, type StoredEvent } from '../event-store/port.ts';
import { newEventId } from '../event-store/event-ids.ts';
import { defaultUpcasters, type UpcasterRegistry } from '../event-store/upcasting.ts';
import { open, seal, type KeyStore } from '../privacy/key-store.ts';
import { extractPersonal, injectPersonal } from '../privacy/personal-fields.ts';

export interface DomainEvent {
  type: string;
  data: unknown;
}

/** Where an event's encrypted personal fields sit in the stored payload. */
export const PERSONAL_KEY = '$personal';
/** Marks personal fields of a fact recorded after erasure: they were not kept. */
const NOT_KEPT = 'erased';

/**
 * Turns domain events into stored events and back. On the way in: stamps the payload
 * version and seals the personal fields with the case's data key. On the way out: opens
 * them (absent for good once the key is destroyed) and upcasts older versions.
 */
export class EventCodec {
  constructor(
    private readonly keys: KeyStore,
    private readonly upcasters: UpcasterRegistry = defaultUpcasters,
  ) {}

  encode(event: DomainEvent, metadata: Omit<EventMetadata, 'schemaVersion'>, caseId?: string): NewEvent {
    const schemaVersion = EVENT_VERSIONS[event.type as keyof typeof EVENT_VERSIONS] ?? 1;
    return {
      id: newEventId(),
      type: event.type,
      data: caseId === undefined ? event.data : this.sealPersonal(caseId, event),
      metadata: { ...metadata, schemaVersion },
    };
  }

  decode(stored: StoredEvent): { event: DomainEvent; metadata: EventMetadata } {
    const metadata = stored.metadata as EventMetadata;
    const caseId = caseIdOfSealedStream(stored.streamId);
    const opened = caseId === undefined ? stored.data : this.openPersonal(caseId, stored.data);
    const data = this.upcasters.upcast(stored.type, metadata.schemaVersion ?? 1, opened);
    return { event: { type: stored.type, data }, metadata };
  }

  /**
   * `decode` without the personal fields: the sealed part is dropped unopened (no key looked up,
   * nothing decrypted), then the payload is upcast. For the read models, which keep no personal
   * data; the payload is what a crypto-shredded event decodes to, which upcasters already handle.
   */
  decodeWithoutPersonalData(stored: StoredEvent): { event: DomainEvent; metadata: EventMetadata } {
    const metadata = stored.metadata as EventMetadata;
    const data = withoutPersonal(stored.data);
    return {
      event: { type: stored.type, data: this.upcasters.upcast(stored.type, metadata.schemaVersion ?? 1, data) },
      metadata,
    };
  }

  /**
   * A keyed fingerprint of a request (for Idempotency-Key checks): comparable while the case
   * exists, meaningless once its key is destroyed, so it cannot confirm a guess of the content.
   */
  fingerprint(caseId: string, value: unknown): string {
    const key = this.keys.dataKey(caseId, true) ?? Buffer.from(caseId);
    return createHmac('sha256', key).update(JSON.stringify(value)).digest('base64url');
  }

  /** Makes the case's data key ahead of `encode` (for a new case), without holding the event loop for its fsync. */
  async prepareKey(caseId: string): Promise<void> {
    await this.keys.createKey(caseId);
  }

  /** Crypto-shredding: destroys the case's key, so its personal fields can never be read again. */
  shred(caseId: string, at: Date): void {
    this.keys.destroy(caseId, at);
  }

  /** Forgets a key held in memory, after another process erased the case. */
  evictKey(caseId: string): void {
    this.keys.evict(caseId);
  }

  private sealPersonal(caseId: string, event: DomainEvent): unknown {
    const paths = PERSONAL_FIELDS[event.type as keyof typeof PERSONAL_FIELDS];
    if (!paths) return event.data;
    const { clear, personal } = extractPersonal(event.data, paths);
    if (Object.keys(personal).length === 0) return event.data;
    const key = this.keys.dataKey(caseId, true);
    const sealed = key ? seal(key, Buffer.from(JSON.stringify(personal))).toString('base64') : NOT_KEPT;
    return { ...(clear as object), [PERSONAL_KEY]: sealed };
  }

  private openPersonal(caseId: string, data: unknown): unknown {
    if (typeof data !== 'object' || data === null || !(PERSONAL_KEY in data)) return data;
    const { [PERSONAL_KEY]: sealed, ...clear } = data as Record<string, unknown>;
    const key = typeof sealed === 'string' && sealed !== NOT_KEPT ? this.keys.dataKey(caseId, false) : undefined;
    if (!key) return clear;
    const personal = JSON.parse(open(key, Buffer.from(sealed as string, 'base64')).toString('utf8')) as Record<
      string,
      unknown
    >;
    return injectPersonal(clear, personal);
  }
}

/** The stored payload without its sealed personal fields (a copy; the stored one is left alone). */
function withoutPersonal(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || !(PERSONAL_KEY in data)) return data;
  const { [PERSONAL_KEY]: _sealed, ...clear } = data as Record<string, unknown>;
  return clear;
}
