import type { InputError, RuleId } from '../../domain/index.ts';
import type { DetailRef } from '../api/i18n/problem-texts.ts';

/**
 * The outcomes of a command that are not a success. Exactly one error handler
 * (services/api/plugins/problem.ts) turns these into Problem Details.
 */
export class RefusedError extends Error {
  readonly status = 409;
  constructor(readonly rules: RuleId[]) {
    super(`refused: ${rules.join(', ')}`);
  }
}

export class ForbiddenError extends Error {
  readonly status = 403;
  readonly rules: RuleId[] = ['not-permitted'];
  /** The default words are in every language; a detail of the caller's own stays as given. */
  readonly detailRef?: DetailRef;
  constructor(detail?: string) {
    super(detail ?? 'Your role or State does not allow this action.');
    if (detail === undefined) this.detailRef = { key: 'action-not-permitted' };
  }
}

export class NotFoundError extends Error {
  readonly status = 404;
  readonly detailRef?: DetailRef;
  constructor(detail?: string) {
    super(detail ?? 'No such case.');
    if (detail === undefined) this.detailRef = { key: 'no-such-case' };
  }
}

export class InvalidInputError extends Error {
  readonly status = 400;
  constructor(readonly errors: InputError[]) {
    super(errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  }
}

export class PreconditionFailedError extends Error {
  readonly status = 412;
  readonly detailRef: DetailRef;
  constructor(readonly currentRevision: number) {
    super(`The case is at revision ${currentRevision}.`);
    this.detailRef = { key: 'case-at-revision', values: { revision: currentRevision } };
  }
}

export class IdempotencyMismatchError extends Error {
  readonly status = 422;
  readonly detailRef: DetailRef = { key: 'idempotency-key-reused' };
  constructor() {
    super('This Idempotency-Key was used with another request.');
  }
}

/** Conflicts with other writers kept a command from landing: nothing was appended, retry. */
export class BusyError extends Error {
  readonly status = 503;
  readonly retryAfterSeconds = 1;
  constructor(readonly detailRef: DetailRef = { key: 'busy' }) {
    super('Busy with other changes; nothing was recorded. Retry shortly.');
  }
}

/** A query with `minPosition` whose read models did not catch up in time: retry shortly. */
export class ReadModelsBehindError extends Error {
  readonly status = 503;
  readonly retryAfterSeconds = 1;
  readonly detailRef: DetailRef;
  constructor(position: number) {
    super(`The read models have not reached position ${position} yet; retry shortly.`);
    this.detailRef = { key: 'read-models-behind', values: { position } };
  }
}
