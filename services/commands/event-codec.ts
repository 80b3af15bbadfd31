import { randomUUID } from 'node:crypto';
import { EVENT_VERSIONS, type EventMetadata } from '../../contracts/index.ts';
import type { NewEvent, StoredEvent } from '../event-store/port.ts';
import { defaultUpcasters, type UpcasterRegistry } from '../event-store/upcasting.ts';

export interface DomainEvent {
  type: string;
  data: unknown;
}

/**
 * Turns domain events into stored events and back: stamps the payload version, and on read
 * upcasts older versions to the current shape. (Encryption of personal fields belongs here.)
 */
export class EventCodec {
  constructor(private readonly upcasters: UpcasterRegistry = defaultUpcasters) {}

  encode(event: DomainEvent, metadata: Omit<EventMetadata, 'schemaVersion'>): NewEvent {
    const schemaVersion = EVENT_VERSIONS[event.type as keyof typeof EVENT_VERSIONS] ?? 1;
    return { id: randomUUID(), type: event.type, data: event.data, metadata: { ...metadata, schemaVersion } };
  }

  decode(stored: StoredEvent): { event: DomainEvent; metadata: EventMetadata } {
    const metadata = stored.metadata as EventMetadata;
    const data = this.upcasters.upcast(stored.type, metadata.schemaVersion ?? 1, stored.data);
    return { event: { type: stored.type, data }, metadata };
  }
}
