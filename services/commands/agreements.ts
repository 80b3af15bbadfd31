import { randomUUID } from 'node:crypto';
import type { AgreementTerms } from '../../contracts/index.ts';
import type { Principal } from '../../domain/index.ts';
import {
  AGREEMENT_STREAM_PREFIX,
  agreementStream,
  ConcurrencyError,
  type EventStore,
  type StoredEvent,
} from '../event-store/port.ts';
import { ForbiddenError, NotFoundError, PreconditionFailedError } from './errors.ts';
import type { EventCodec } from './event-codec.ts';

export interface AgreementView {
  agreementId: string;
  revision: number;
  terms: AgreementTerms;
  concludedAt: string;
  amendedAt: string | null;
}

/**
 * Readmission agreements, each its own stream. Terms are data: an amendment applies to
 * requests submitted after it; a request copies the terms in force when it is submitted.
 * Agreements are few (tens), so the list is folded from the log on demand.
 */
export class AgreementService {
  constructor(
    private readonly store: EventStore,
    private readonly codec: EventCodec,
    private readonly clock: () => Date,
  ) {}

  async conclude(
    principal: Principal,
    terms: AgreementTerms,
  ): Promise<{ agreementId: string; revision: number; position: number }> {
    this.requireAdmin(principal);
    const agreementId = randomUUID();
    const event = { type: 'AgreementConcluded', data: { agreementId, terms } };
    const result = await this.store.append(agreementStream(agreementId), [this.encode(principal, event)], 'no-stream');
    return { agreementId, revision: result.revision, position: result.position };
  }

  async amend(
    principal: Principal,
    agreementId: string,
    terms: AgreementTerms,
    expectedRevision?: number,
  ): Promise<{ agreementId: string; revision: number; position: number }> {
    this.requireAdmin(principal);
    for (let attempt = 1; ; attempt++) {
      const current = await this.load(agreementId);
      if (!current) throw new NotFoundError('No such agreement.');
      // `If-Match` pins the revision the caller saw: an agreement that moved on is a 412, not a 500.
      if (expectedRevision !== undefined && expectedRevision !== current.revision) {
        throw new PreconditionFailedError(current.revision);
      }
      const event = { type: 'AgreementAmended', data: { agreementId, terms } };
      try {
        const result = await this.store.append(
          agreementStream(agreementId),
          [this.encode(principal, event)],
          current.revision,
        );
        return { agreementId, revision: result.revision, position: result.position };
      } catch (e) {
        // Another amendment landed between the read and the append: pinned, that is a 412; unpinned, read again.
        if (!(e instanceof ConcurrencyError)) throw e;
        if (expectedRevision !== undefined) throw new PreconditionFailedError(e.actual);
        if (attempt >= 5) throw new PreconditionFailedError(e.actual);
      }
    }
  }

  async load(agreementId: string): Promise<AgreementView | undefined> {
    return fold(await this.store.readStream(agreementStream(agreementId)), this.codec);
  }

  async list(): Promise<AgreementView[]> {
    const byStream = new Map<string, StoredEvent[]>();
    let after = 0;
    for (;;) {
      const page = await this.store.readAll({ after, streamPrefixes: [AGREEMENT_STREAM_PREFIX], limit: 1000 });
      if (page.length === 0) break;
      for (const e of page) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
      after = page[page.length - 1]!.position;
    }
    return [...byStream.values()].flatMap((events) => fold(events, this.codec) ?? []);
  }

  private requireAdmin(principal: Principal): void {
    if (!principal.roles.includes('admin')) throw new ForbiddenError('Only an admin manages agreements.');
  }

  private encode(principal: Principal, event: { type: string; data: unknown }) {
    const recordedAt = this.clock().toISOString();
    return this.codec.encode(event, {
      actor: { sub: principal.sub, role: 'admin' },
      recordedAt,
      occurredAt: recordedAt,
    });
  }
}

function fold(events: readonly StoredEvent[], codec: EventCodec): AgreementView | undefined {
  let view: AgreementView | undefined;
  for (const s of events) {
    const { event, metadata } = codec.decode(s);
    const data = event.data as { agreementId: string; terms: AgreementTerms };
    view =
      event.type === 'AgreementConcluded'
        ? {
            agreementId: data.agreementId,
            revision: s.revision,
            terms: data.terms,
            concludedAt: metadata.recordedAt,
            amendedAt: null,
          }
        : view && { ...view, revision: s.revision, terms: data.terms, amendedAt: metadata.recordedAt };
  }
  return view;
}
