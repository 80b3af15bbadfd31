import type { Role } from '../../contracts/index.ts';
import type { Principal } from '../../domain/index.ts';
import type { EventCodec } from '../commands/event-codec.ts';
import { READ_AUDIT_STREAM_PREFIX, readAuditStream, type EventStore, type StoredEvent } from '../event-store/port.ts';

/** What was read: the case view, its history, its document list, one document (a download), a request's message thread, or a signed export. */
export type ReadView = 'case' | 'history' | 'documents' | 'document' | 'messages' | 'export';

export interface CaseReadRecord {
  caseId: string;
  view: ReadView;
  /** The document downloaded, for `view: 'document'`. */
  documentId?: string;
  reader: { sub: string; role: string; state: string | null };
  readAt: string;
  position: number;
}

/** Roles whose reads are recorded: the origin State's authority and the monitors. */
const AUDITED: readonly Role[] = ['liaison', 'monitor'];

/**
 * Records every read of a case by a liaison or a monitor before the answer leaves: a read
 * that cannot be recorded is not served. The record holds ids only.
 */
export class ReadAudit {
  constructor(
    private readonly store: EventStore,
    private readonly codec: EventCodec,
    private readonly clock: () => Date,
  ) {}

  async record(principal: Principal, role: Role, caseId: string, view: ReadView, documentId?: string): Promise<void> {
    if (!AUDITED.includes(role)) return;
    const at = this.clock().toISOString();
    const event = this.codec.encode(
      { type: 'CaseRead', data: { caseId, view, ...(documentId !== undefined ? { documentId } : {}) } },
      { actor: { sub: principal.sub, role, state: principal.state }, recordedAt: at, occurredAt: at },
    );
    await this.store.append(readAuditStream(caseId), [event], 'any');
  }

  /** Reads of one case, or of all cases, oldest first, from a position. */
  async list(options: { caseId?: string | undefined; after: number; limit: number }): Promise<CaseReadRecord[]> {
    const events = options.caseId
      ? (await this.store.readStream(readAuditStream(options.caseId))).filter((e) => e.position > options.after)
      : await this.store.readAll({
          after: options.after,
          streamPrefixes: [READ_AUDIT_STREAM_PREFIX],
          limit: options.limit,
        });
    return events.slice(0, options.limit).map((e) => this.toRecord(e));
  }

  private toRecord(stored: StoredEvent): CaseReadRecord {
    const { event, metadata } = this.codec.decode(stored);
    const data = event.data as { caseId: string; view: ReadView; documentId?: string };
    return {
      caseId: data.caseId,
      view: data.view,
      ...(data.documentId !== undefined ? { documentId: data.documentId } : {}),
      reader: { sub: metadata.actor.sub, role: metadata.actor.role, state: metadata.actor.state ?? null },
      readAt: metadata.recordedAt,
      position: stored.position,
    };
  }
}
