import { createHash, randomUUID } from 'node:crypto';
import type { Actor, CaseCommand, CaseEvent, EventMetadata, OpenCaseBody } from '../../contracts/index.ts';
import {
  actionAccess,
  actionRoleGate,
  decide,
  decideElapsedDeadlines,
  decideOpenCase,
  mayOpenCase,
  occurredAt,
  replay,
  type Access,
  type CaseData,
  type CaseState,
  type Decision,
  type Principal,
} from '../../domain/index.ts';
import { ConcurrencyError, returnCaseStream, type EventStore } from '../event-store/port.ts';
import type { AgreementService } from './agreements.ts';
import { keyedEvent, type CaseRepository, type LoadedCase } from './case-repository.ts';
import { CaseReferences } from './case-references.ts';
import { conflictBackoff } from './conflict-backoff.ts';
import type { EventCodec } from './event-codec.ts';
import {
  BusyError,
  ForbiddenError,
  IdempotencyMismatchError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  RefusedError,
} from './errors.ts';
import { KeyedLock } from './keyed-lock.ts';

export interface CommandOptions {
  /** `If-Match`: the revision the caller saw; a case that moved on is a 412. */
  expectedRevision?: number | undefined;
  idempotencyKey?: string | undefined;
}

export interface CommandAnswer {
  caseId: string;
  revision: number;
  position: number;
  status: string;
  events: string[];
  /** Ids the command created (`obstacleId`, `concernId`, …), so the caller can refer to them. */
  created: Record<string, string>;
}

export interface CommandMetrics {
  command(action: string, outcome: 'accepted' | 'refused' | 'invalid' | 'conflict'): void;
  refusal(rule: string): void;
}

/** One command's part in the shared load-decide-append loop. */
export interface CommandStep {
  /** For metrics and logs: the action's name. */
  action: string;
  /** What an Idempotency-Key's repeat is compared with. */
  request: unknown;
  access: (c: CaseData) => Access;
  decide: (state: CaseState, now: Date) => Decision | Promise<Decision>;
}

/** Told after a case's key is destroyed and before the erasure is recorded (documents delete their files). */
export type ErasureHook = (caseId: string) => Promise<void>;

const MAX_ATTEMPTS = 8;

/** The case id an idempotent creation gets: the same key from the same caller, the same case. */
const idempotentCaseId = (sub: string, key: string): string => {
  const h = createHash('sha256').update(`${sub}\u0000${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const CREATED_IDS = ['obstacleId', 'concernId', 'claimId', 'removalId', 'requestId', 'reportId', 'observationId'];

/**
 * Load, decide, append: the one path every command takes, from HTTP, the deadline service
 * or the command line. Appends with the revision it read (never blind) and, when the
 * caller did not pin a revision, decides again on a conflict so concurrent commands all land.
 */
export class CaseCommands {
  constructor(
    private readonly store: EventStore,
    private readonly repository: CaseRepository,
    private readonly codec: EventCodec,
    private readonly agreements: AgreementService,
    private readonly clock: () => Date,
    private readonly metrics?: CommandMetrics,
    private readonly onErasure?: ErasureHook,
  ) {
    this.references = new CaseReferences(store);
  }

  private readonly references: CaseReferences;

  async open(principal: Principal, body: OpenCaseBody, options: CommandOptions = {}): Promise<CommandAnswer> {
    if (!mayOpenCase(principal)) throw new ForbiddenError('Only a caseworker opens a case, for its own State.');
    const key = options.idempotencyKey;
    const caseId = key ? idempotentCaseId(principal.sub, key) : randomUUID();
    const hash = key ? this.codec.fingerprint(caseId, { action: 'open-case', body }) : undefined;
    const actor: Actor = { sub: principal.sub, role: 'caseworker', state: principal.state };
    if (key) {
      const existing = await this.repository.load(caseId);
      if (existing.revision >= 0) return this.replayAnswer(caseId, existing, principal.sub, key, hash!);
    }
    const now = this.clock();
    const ctx = { now, caseId, destinationState: principal.state! };
    const checked = decideOpenCase(body, ctx);
    // A number is taken only for a case that will open (the decision is pure: deciding again costs nothing).
    const decision = checked.ok
      ? decideOpenCase(body, { ...ctx, reference: await this.references.next(caseId, ctx.destinationState, now) })
      : checked;
    // The new case's key, made (durably) alongside other cases opened at the same moment.
    if (decision.ok) await this.codec.prepareKey(caseId);
    try {
      return await this.append(
        caseId,
        { state: replay([]), revision: -1, keyed: [] },
        decision,
        actor,
        now,
        'open-case',
        {
          idempotencyKey: key,
          requestHash: hash,
        },
      );
    } catch (e) {
      // Two repeats of one creation racing: the loser answers as a repeat.
      if (e instanceof ConcurrencyError && key) {
        return this.replayAnswer(caseId, await this.repository.load(caseId), principal.sub, key, hash!);
      }
      throw e;
    }
  }

  /** Commands on one case take turns in this process (see KeyedLock); the store's revision check covers other replicas. */
  private readonly turns = new KeyedLock();

  execute(
    principal: Principal,
    caseId: string,
    command: CaseCommand,
    options: CommandOptions = {},
  ): Promise<CommandAnswer> {
    // A role that may never take this action is a 403 before the case is loaded: it reveals nothing.
    if (!actionRoleGate(principal, command.action).ok) return Promise.reject(new ForbiddenError());
    return this.executeStep(
      principal,
      caseId,
      {
        action: command.action,
        request: { action: command.action, body: command.body },
        access: (c) => actionAccess(principal, command.action, c),
        decide: async (state, now) => {
          const agreement =
            command.action === 'submit-readmission-request'
              ? await this.agreements.load(command.body.agreementId)
              : undefined;
          return decide(state, command, { now, agreement });
        },
      },
      options,
    );
  }

  /**
   * A command decided outside the action table (a document upload, whose body is a file: see
   * services/documents), with the same turns, access check, idempotency, append and retries.
   */
  executeStep(principal: Principal, caseId: string, step: CommandStep, options: CommandOptions = {}) {
    return this.turns.run(caseId, () => this.executeInTurn(principal, caseId, step, options));
  }

  private async executeInTurn(
    principal: Principal,
    caseId: string,
    step: CommandStep,
    options: CommandOptions = {},
  ): Promise<CommandAnswer> {
    const key = options.idempotencyKey;
    const hash = key ? this.codec.fingerprint(caseId, step.request) : undefined;
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.repository.load(caseId);
      const c = loaded.state.data;
      if (c === null) throw new NotFoundError();
      const access = step.access(c);
      if (!access.ok) throw access.status === 404 ? new NotFoundError() : new ForbiddenError();
      if (key) {
        const repeated = loaded.keyed.some((k) => k.idempotencyKey === key && k.sub === principal.sub);
        if (repeated) return this.replayAnswer(caseId, loaded, principal.sub, key, hash!);
      }
      if (options.expectedRevision !== undefined && options.expectedRevision !== loaded.revision) {
        throw new PreconditionFailedError(loaded.revision);
      }
      const now = this.clock();
      const decision = await step.decide(loaded.state, now);
      const actor: Actor = { sub: principal.sub, role: access.role, state: principal.state };
      try {
        return await this.append(caseId, loaded, decision, actor, now, step.action, {
          idempotencyKey: key,
          requestHash: hash,
        });
      } catch (e) {
        if (!(e instanceof ConcurrencyError)) throw e;
        this.repository.forget(caseId);
        this.metrics?.command(step.action, 'conflict');
        if (options.expectedRevision !== undefined) throw new PreconditionFailedError(e.actual);
        if (attempt >= MAX_ATTEMPTS) throw new BusyError();
        await conflictBackoff(attempt);
      }
    }
  }

  /** The end of the retention period is a deadline too: erasure by itself, recorded as the retention service's. */
  eraseAfterRetention(caseId: string, retentionDays: number): Promise<CommandAnswer> {
    return this.execute({ sub: 'retention-service', roles: ['admin'] }, caseId, {
      action: 'erase-personal-data',
      body: { reasons: `The retention period of ${retentionDays} days after closure ended.` },
    });
  }

  /** The deadline service's command: appends what elapsed by `asOf` (an instant, or a UTC date); nothing when nothing did. */
  applyElapsedDeadlines(caseId: string, asOf: string | Date): Promise<CommandAnswer | null> {
    return this.turns.run(caseId, () => this.applyElapsedDeadlinesInTurn(caseId, asOf));
  }

  private async applyElapsedDeadlinesInTurn(caseId: string, asOf: string | Date): Promise<CommandAnswer | null> {
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.repository.load(caseId);
      const events = decideElapsedDeadlines(loaded.state, asOf);
      if (events.length === 0) return null;
      const actor: Actor = { sub: 'deadline-service', role: 'system' };
      try {
        return await this.append(
          caseId,
          loaded,
          { ok: true, events },
          actor,
          this.clock(),
          'apply-elapsed-deadlines',
          {},
        );
      } catch (e) {
        // Another replica got there first; deciding again on the new state appends nothing twice.
        if (!(e instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw e;
        this.repository.forget(caseId);
      }
    }
  }

  private async append(
    caseId: string,
    loaded: LoadedCase,
    decision: Decision,
    actor: Actor,
    now: Date,
    action: string,
    idempotency: { idempotencyKey?: string | undefined; requestHash?: string | undefined },
  ): Promise<CommandAnswer> {
    if (!decision.ok) {
      if (decision.kind === 'invalid') {
        this.metrics?.command(action, 'invalid');
        throw new InvalidInputError(decision.errors);
      }
      this.metrics?.command(action, 'refused');
      for (const rule of decision.rules) this.metrics?.refusal(rule);
      throw new RefusedError(decision.rules);
    }
    const after = replay(decision.events, loaded.state);
    const recordedAt = now.toISOString();
    const last = decision.events.length - 1;
    const newEvents = decision.events.map((event, i) => {
      const metadata: Omit<EventMetadata, 'schemaVersion'> = {
        actor,
        recordedAt,
        occurredAt: occurredAt(event, recordedAt),
        ...(idempotency.idempotencyKey !== undefined
          ? { idempotencyKey: idempotency.idempotencyKey, requestHash: idempotency.requestHash! }
          : {}),
        ...(i === last ? { statusAfter: after.status } : {}),
      };
      return this.codec.encode(event, metadata, caseId);
    });
    const expected = loaded.revision < 0 ? 'no-stream' : loaded.revision;
    // Erasure destroys the key before the event is written: should the append fail, the
    // personal data are gone all the same, and a retry records the erasure.
    const erasing = decision.events.some((e) => e.type === 'PersonalDataErased');
    if (erasing) {
      this.codec.shred(caseId, now);
      this.repository.forget(caseId);
      await this.onErasure?.(caseId);
    }
    const result = await this.store.append(returnCaseStream(caseId), newEvents, expected);
    if (erasing) this.repository.forget(caseId);
    else {
      this.repository.remember(
        caseId,
        {
          state: after,
          revision: result.revision,
          keyed:
            idempotency.idempotencyKey === undefined
              ? loaded.keyed
              : [
                  ...loaded.keyed,
                  ...newEvents.flatMap((e, i) => keyedEvent(result.revision - last + i, e.metadata as EventMetadata)),
                ],
        },
        loaded,
      );
    }
    this.metrics?.command(action, 'accepted');
    return {
      caseId,
      revision: result.revision,
      position: result.position,
      status: after.status,
      events: decision.events.map((e) => e.type),
      created: createdIds(decision.events),
    };
  }

  /** A repeat of an Idempotency-Key answers as the first time, or 422 when the request differs. */
  private async replayAnswer(
    caseId: string,
    loaded: LoadedCase,
    sub: string,
    key: string,
    hash: string,
  ): Promise<CommandAnswer> {
    // Keys are the caller's own: another caller's command with the same key is not this one's answer.
    const mine = loaded.keyed.filter((k) => k.idempotencyKey === key && k.sub === sub);
    const first = mine[0];
    if (first === undefined || first.requestHash !== hash) throw new IdempotencyMismatchError();
    // The first answer's events are the consecutive run of revisions that starts at `first`.
    const run = mine.filter((k, n) => k.revision === first.revision + n);
    const last = run[run.length - 1]!;
    const stored = await this.store.readStream(returnCaseStream(caseId), first.revision);
    const events = stored.slice(0, run.length).map((s) => this.codec.decode(s).event as CaseEvent);
    return {
      caseId,
      revision: last.revision,
      position: stored[run.length - 1]?.position ?? 0,
      status: last.statusAfter ?? loaded.state.status,
      events: events.map((e) => e.type),
      created: createdIds(events),
    };
  }
}

function createdIds(events: readonly CaseEvent[]): Record<string, string> {
  const created: Record<string, string> = {};
  for (const e of events) {
    const data = e.data as Record<string, unknown>;
    for (const k of CREATED_IDS) if (typeof data[k] === 'string' && !(k in created)) created[k] = data[k];
  }
  return created;
}
