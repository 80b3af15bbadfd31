import { expect } from 'vitest';
import type { CaseCommand, CaseEvent, CaseEventType } from '../../contracts/index.ts';
import {
  decide,
  decideElapsedDeadlines,
  replay,
  type CaseState,
  type DecideContext,
  type Decision,
  type InputError,
  type RuleId,
} from '../../domain/index.ts';
import { context, fold, type Step } from './case-builders.ts';

/**
 * Domain specs read `given(history).when(command).then(events | rules)`:
 *
 *   given(familyWithChildOpened(), protectionCleared())
 *     .when(command('plan-removal'))
 *     .thenRefused('best-interests-assessment-required', 'readmission-acceptance-required', 'travel-document-required');
 *
 * `given` takes events, builders (case-builders.ts) or lists of both, folded in order. `when`
 * decides with the fixed `NOW` and the standard agreement unless the context says otherwise.
 */

/** An expected event: its type, or a partial event matched with `toMatchObject`. */
export type ExpectedEvent = CaseEventType | { type: CaseEventType; data?: Record<string, unknown> };
export type Expectation = readonly ExpectedEvent[] | ((events: CaseEvent[], state: CaseState) => void);

export interface Accepted {
  /** The events the command produced. */
  events: CaseEvent[];
  /** The state after them. */
  state: CaseState;
  /** The whole history: the given events and these. */
  history: CaseEvent[];
}

export interface RefusalOptions {
  /** Pass when the refusal lists at least these rules (others may fail too). */
  atLeast: true;
}

export class When {
  constructor(
    readonly given: Given,
    readonly decision: Decision,
  ) {}

  /** Accepted, producing exactly these events (types in order, or partial events), or passing the matcher. */
  then(expected: Expectation): Accepted {
    expect(this.decision, 'expected the command to be accepted').toMatchObject({ ok: true });
    const events = this.decision.ok ? this.decision.events : [];
    const state = replay(events, this.given.state);
    if (typeof expected === 'function') {
      expected(events, state);
    } else {
      const partial = expected.map((e) => (typeof e === 'string' ? { type: e } : e));
      expect(
        events.map((e) => e.type),
        'event types',
      ).toEqual(partial.map((e) => e.type));
      expect(events).toMatchObject(partial);
    }
    return { events, state, history: [...this.given.history, ...events] };
  }

  /** Accepted, whatever it produced. */
  thenAccepted(): Accepted {
    return this.then(() => undefined);
  }

  /**
   * Refused listing exactly these rules (in any order), or, with `{ atLeast: true }` first,
   * at least these. Returns the rules the refusal listed.
   */
  thenRefused(...rules: RuleId[]): RuleId[];
  thenRefused(options: RefusalOptions, ...rules: RuleId[]): RuleId[];
  thenRefused(...args: (RuleId | RefusalOptions)[]): RuleId[] {
    const atLeast = typeof args[0] === 'object';
    const expected = args.filter((a): a is RuleId => typeof a === 'string');
    expect(this.decision, 'expected the command to be refused').toMatchObject({ ok: false, kind: 'refused' });
    const listed = !this.decision.ok && this.decision.kind === 'refused' ? this.decision.rules : [];
    expect(new Set(listed).size, 'a refusal names each rule once').toBe(listed.length);
    if (atLeast) {
      expect(listed).toEqual(expect.arrayContaining(expected));
    } else {
      expect([...listed].sort()).toEqual([...expected].sort());
    }
    return listed;
  }

  /** Invalid input (a 400), optionally on exactly these paths. */
  thenInvalid(...paths: string[]): InputError[] {
    expect(this.decision, 'expected the input to be invalid').toMatchObject({ ok: false, kind: 'invalid' });
    const errors = !this.decision.ok && this.decision.kind === 'invalid' ? this.decision.errors : [];
    if (paths.length > 0) expect(errors.map((e) => e.path).sort()).toEqual([...paths].sort());
    return errors;
  }
}

export class Given {
  readonly state: CaseState;
  readonly history: CaseEvent[];

  constructor(steps: readonly Step[]) {
    const { state, events } = fold(steps);
    this.state = state;
    this.history = events;
  }

  /** Decide the command, by default at `NOW` with the standard agreement. */
  when(cmd: CaseCommand, ctx: Partial<DecideContext> = {}): When {
    return new When(this, decide(this.state, cmd, context(ctx)));
  }

  /** The deadline service runs on `asOf` (it never refuses: nothing due is no events). */
  whenDeadlinesElapse(asOf: string): When {
    return new When(this, { ok: true, events: decideElapsedDeadlines(this.state, asOf) });
  }
}

export const given = (...steps: Step[]): Given => new Given(steps);
