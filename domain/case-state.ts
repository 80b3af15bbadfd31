import type { CaseEvent, CaseStatus } from '../contracts/index.ts';
import { evolveSnapshot, initialCaseSnapshot, type CaseSnapshot } from './machine.ts';
import type { CaseData } from './state.ts';

/**
 * The state `decide` works on: the stage from the machine and the folded data. `status` is
 * `new` for a stream with no events yet.
 */
export interface CaseState {
  status: CaseStatus | 'new';
  data: CaseData | null;
  snapshot: CaseSnapshot;
}

export const toCaseState = (snapshot: CaseSnapshot): CaseState => ({
  status: snapshot.value,
  data: snapshot.context.data,
  snapshot,
});

export const initialState = (): CaseState => toCaseState(initialCaseSnapshot());

export const evolve = (state: CaseState, event: CaseEvent): CaseState =>
  toCaseState(evolveSnapshot(state.snapshot, event));

export const replay = (events: readonly CaseEvent[], from: CaseState = initialState()): CaseState =>
  events.reduce(evolve, from);
