import type { CaseEvent, CaseStatus } from '../contracts/index.ts';
import { nextStage } from './machine.ts';
import { foldCase, type CaseData } from './state.ts';

/**
 * The state `decide` works on: the stage of the return-case machine and the folded data.
 * `status` is `new` for a stream with no events yet.
 */
export interface CaseState {
  status: CaseStatus | 'new';
  data: CaseData | null;
}

export const initialState = (): CaseState => ({ status: 'new', data: null });

/**
 * One event onto the state: what the machine's transition does (its stage table, and its one
 * action, `foldCase`), without building an XState snapshot per event (see `nextStage`).
 */
export const evolve = (state: CaseState, event: CaseEvent): CaseState => ({
  status: nextStage(state.status, event.type),
  data: foldCase(state.data, event),
});

export const replay = (events: readonly CaseEvent[], from: CaseState = initialState()): CaseState =>
  events.reduce(evolve, from);
