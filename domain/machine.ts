import { assign, initialTransition, setup, transition, type SnapshotFrom } from 'xstate';
import { CASE_EVENT_TYPES, type CaseEvent, type CaseStatus } from '../contracts/index.ts';
import { foldCase, type CaseContext } from './state.ts';

/**
 * The return case's lifecycle. The machine is driven by the case's *events* through XState's
 * pure `initialTransition`/`transition`: no actors, no timers (deadlines arrive as events
 * from the deadline service), so replaying a stream always gives the same state.
 *
 * Stages are the `status` of the API. Holds (protection claims, postponement, absconding)
 * are not stages: they live in the context and block actions through the rules.
 * Every event folds into the context; stage-changing events also move the state.
 */
const fold = { actions: 'fold' } as const;
const to = (target: CaseStatus) => ({ target, actions: 'fold' }) as const;

export const returnCaseMachine = setup({
  types: {
    context: {} as { data: CaseContext },
    events: {} as CaseEvent,
  },
  actions: {
    fold: assign({ data: ({ context, event }) => foldCase(context.data, event) }),
  },
}).createMachine({
  id: 'returnCase',
  context: { data: null },
  initial: 'new',
  // Facts are recorded in every stage, a closed case included: the record is never lost.
  on: Object.fromEntries(CASE_EVENT_TYPES.map((type) => [type, fold])),
  states: {
    new: {
      on: { CaseOpened: to('intake') },
    },
    intake: {
      on: {
        VoluntaryDepartureGranted: to('voluntary-departure'),
        ReadmissionRequestSubmitted: to('readmission'),
        RemovalPlanned: to('removal-planned'),
        CaseClosed: to('closed'),
      },
    },
    'voluntary-departure': {
      on: {
        VoluntaryDeparturePeriodEnded: to('intake'),
        ReadmissionRequestSubmitted: to('readmission'),
        RemovalPlanned: to('removal-planned'),
        CaseClosed: to('closed'),
      },
    },
    readmission: {
      on: {
        RemovalPlanned: to('removal-planned'),
        CaseClosed: to('closed'),
      },
    },
    'removal-planned': {
      on: {
        DepartureRecorded: to('departed'),
        RemovalAborted: to('readmission'),
        CaseClosed: to('closed'),
      },
    },
    departed: {
      on: {
        // A handover refused at arrival brings the person back into the readmission stage.
        RemovalAborted: to('readmission'),
        CaseClosed: to('closed'),
      },
    },
    // Not `type: 'final'`: a final snapshot would stop folding the facts recorded after closure.
    closed: {},
  },
});

export type CaseSnapshot = SnapshotFrom<typeof returnCaseMachine>;

export const initialCaseSnapshot = (): CaseSnapshot => initialTransition(returnCaseMachine)[0];

/** The fold of the decider pattern through XState itself: one event onto the machine's snapshot. */
export const evolveSnapshot = (snapshot: CaseSnapshot, event: CaseEvent): CaseSnapshot =>
  transition(returnCaseMachine, snapshot, event)[0];

type Stage = CaseStatus | 'new';

/**
 * The machine's stage transitions as a table, stage → event type → next stage, read once from
 * its definition above. Folding a stream is the hot path of every command on a case not in
 * the cache: XState's `transition` builds an actor scope and a snapshot per event (about
 * 0.1 ms here), the table is a lookup. The machine stays the one source of the lifecycle, and
 * the specs drive the same histories through `evolveSnapshot` to prove the two agree.
 */
const STAGE_TRANSITIONS: ReadonlyMap<string, ReadonlyMap<string, Stage>> = (() => {
  const table = new Map<string, Map<string, Stage>>();
  for (const [stage, node] of Object.entries(returnCaseMachine.root.states)) {
    const on = new Map<string, Stage>();
    for (const [type, transitions] of Object.entries(node.on)) {
      const target = transitions[0]?.target?.[0]?.key;
      if (target !== undefined) on.set(type, target as Stage);
    }
    table.set(stage, on);
  }
  return table;
})();

/** The stage after `eventType` in `stage`: the machine's transition, or the same stage (the event only folds). */
export const nextStage = (stage: Stage, eventType: string): Stage =>
  STAGE_TRANSITIONS.get(stage)?.get(eventType) ?? stage;

/** Every event type that moves a case from one stage to another somewhere in the lifecycle. */
export const STAGE_EVENTS: ReadonlySet<string> = new Set(
  [...STAGE_TRANSITIONS.values()].flatMap((on) => [...on.keys()]),
);
