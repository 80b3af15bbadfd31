import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { CASE_EVENT_TYPES, CaseStatus } from '../contracts/index.ts';
import {
  act,
  caseClosed,
  command,
  departed,
  escortedRemovalPlanned,
  eventsOf,
  protectionClaimLodged,
  singleAdultOpened,
  unescortedRemovalPlanned,
} from '../tests/support/case-builders.ts';
import { initialState, replay } from './case-state.ts';
import { evolveSnapshot, initialCaseSnapshot, nextStage, returnCaseMachine, STAGE_EVENTS } from './machine.ts';

const source = readFileSync(fileURLToPath(new URL('./machine.ts', import.meta.url)), 'utf8');

describe('the return-case machine', () => {
  it('is a plain setup(...).createMachine(...) export (it opens in the Stately visual editor)', () => {
    expect(source).toMatch(/export const returnCaseMachine = setup\(\{[\s\S]*\}\)\.createMachine\(\{/);
    expect(returnCaseMachine.id).toBe('returnCase');
    expect(returnCaseMachine.config.initial).toBe('new');
  });

  it('has a state per API status, and `new` before the case is opened', () => {
    expect(Object.keys(returnCaseMachine.root.states).sort()).toEqual(['new', ...CaseStatus.options].sort());
  });

  it('has no delays, timers, actors or final states: deadlines arrive as events', () => {
    for (const node of Object.values(returnCaseMachine.root.states)) {
      expect(node.after, node.key).toEqual([]);
      expect(node.invoke, node.key).toEqual([]);
      expect(node.type, node.key).toBe('atomic');
    }
    expect(source).not.toMatch(/\bafter\s*:|\binvoke\s*:|\bdelays\s*:|Date\.now|new Date\(/);
  });

  it('folds every event type in every state (facts are recorded on a closed case too)', () => {
    const onRoot = Object.keys(returnCaseMachine.config.on ?? {}).sort();
    expect(onRoot).toEqual([...CASE_EVENT_TYPES].sort());
  });

  it('moves stages on these events only', () => {
    const moves = Object.fromEntries(
      Object.entries(returnCaseMachine.config.states ?? {}).map(([state, node]) => [
        state,
        Object.fromEntries(
          Object.entries(node.on ?? {}).map(([event, t]) => [event, (t as { target: string }).target]),
        ),
      ]),
    );
    expect(moves).toEqual({
      new: { CaseOpened: 'intake' },
      intake: {
        VoluntaryDepartureGranted: 'voluntary-departure',
        ReadmissionRequestSubmitted: 'readmission',
        RemovalPlanned: 'removal-planned',
        CaseClosed: 'closed',
      },
      'voluntary-departure': {
        VoluntaryDeparturePeriodEnded: 'intake',
        ReadmissionRequestSubmitted: 'readmission',
        RemovalPlanned: 'removal-planned',
        CaseClosed: 'closed',
      },
      readmission: { RemovalPlanned: 'removal-planned', CaseClosed: 'closed' },
      'removal-planned': { DepartureRecorded: 'departed', RemovalAborted: 'readmission', CaseClosed: 'closed' },
      departed: { RemovalAborted: 'readmission', CaseClosed: 'closed' },
      closed: {},
    });
  });

  it('starts in `new` with no data', () => {
    const snapshot = initialCaseSnapshot();
    expect(snapshot.value).toBe('new');
    expect(snapshot.context).toEqual({ data: null });
    expect(initialState()).toMatchObject({ status: 'new', data: null });
  });
});

describe('replay from the initial state', () => {
  const journey = eventsOf(
    escortedRemovalPlanned(),
    act(command('report-use-of-force')),
    departed(),
    act(command('confirm-arrival')),
  );

  it('the pure transition function and the fold agree', () => {
    const snapshot = journey.reduce(evolveSnapshot, initialCaseSnapshot());
    const state = replay(journey);
    expect(snapshot.value).toBe('closed');
    expect(state.status).toBe('closed');
    expect(state.data).toEqual(snapshot.context.data);
    expect(state.data?.outcome).toBe('returned');
  });

  it('replaying twice gives equal states (deterministic assign)', () => {
    const a = replay(journey);
    const b = replay(journey);
    expect(b.status).toBe(a.status);
    expect(b.data).toEqual(a.data);
  });

  it('replaying in two halves gives the same state as at once', () => {
    const half = Math.floor(journey.length / 2);
    const twoGoes = replay(journey.slice(half), replay(journey.slice(0, half)));
    expect(twoGoes.status).toBe(replay(journey).status);
    expect(twoGoes.data).toEqual(replay(journey).data);
  });

  it('an actor driven by the same events reaches the same snapshot (the domain itself never runs one)', () => {
    const actor = createActor(returnCaseMachine).start();
    for (const e of journey) actor.send(e);
    expect(actor.getSnapshot().value).toBe(replay(journey).status);
    expect(actor.getSnapshot().context).toEqual({ data: replay(journey).data });
    actor.stop();
  });

  it('a stage event out of place only folds: a departure in intake leaves the status in intake', () => {
    const [opened] = eventsOf(singleAdultOpened());
    const state = replay([
      opened!,
      { type: 'DepartureRecorded', data: { removalId: 'r1', departedAt: '2026-11-20T07:45:00Z' } },
    ]);
    expect(state.status).toBe('intake');
  });

  it('a closed case keeps folding facts', () => {
    const history = eventsOf(
      unescortedRemovalPlanned(),
      caseClosed(),
      act(command('report-use-of-force', { techniques: ['gag'] })),
      protectionClaimLodged(),
    );
    const state = replay(history);
    expect(state.status).toBe('closed');
    expect(state.data?.useOfForceReports).toHaveLength(1);
    expect(state.data?.concerns).toMatchObject([{ severity: 'critical', source: 'use-of-force-report' }]);
    expect(state.data?.claims).toHaveLength(1);
  });
});

describe('the stage table read from the machine', () => {
  it('has, for every stage, exactly the transitions the machine declares, and nothing for events that only fold', () => {
    for (const [stage, node] of Object.entries(returnCaseMachine.config.states ?? {})) {
      const declared = Object.entries((node.on ?? {}) as Record<string, { target: string }>);
      for (const [type, { target }] of declared) expect(nextStage(stage as never, type)).toBe(target);
      for (const type of CASE_EVENT_TYPES.filter((t) => !declared.some(([d]) => d === t))) {
        expect(nextStage(stage as never, type), `${type} in ${stage}`).toBe(stage);
      }
    }
    expect([...STAGE_EVENTS].sort()).toEqual(
      [
        'CaseClosed',
        'CaseOpened',
        'DepartureRecorded',
        'ReadmissionRequestSubmitted',
        'RemovalAborted',
        'RemovalPlanned',
        'VoluntaryDepartureGranted',
        'VoluntaryDeparturePeriodEnded',
      ].sort(),
    );
  });
});
