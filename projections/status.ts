import type { CaseStatus } from '../contracts/index.ts';
import { returnCaseMachine } from '../domain/index.ts';

/**
 * The case's status after an event, read from the return-case machine's own definition (the
 * one source of the lifecycle), so a read model follows the stages without folding whole cases.
 */
type Transitions = Record<string, Record<string, string>>;

const TRANSITIONS: Transitions = (() => {
  const states =
    (returnCaseMachine.config as { states?: Record<string, { on?: Record<string, unknown> }> }).states ?? {};
  const table: Transitions = {};
  for (const [state, node] of Object.entries(states)) {
    table[state] = {};
    for (const [type, transition] of Object.entries(node.on ?? {})) {
      const target = (transition as { target?: unknown }).target;
      if (typeof target === 'string') table[state][type] = target;
    }
  }
  return table;
})();

export function statusAfter(status: CaseStatus | 'new', eventType: string): CaseStatus | 'new' {
  return (TRANSITIONS[status]?.[eventType] as CaseStatus | undefined) ?? status;
}

/** Every event type that moves a case from one status to another somewhere in the lifecycle. */
export const STATUS_EVENTS: ReadonlySet<string> = new Set(Object.values(TRANSITIONS).flatMap((on) => Object.keys(on)));
