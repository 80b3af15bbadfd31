import type { CaseEventOf } from '../../contracts/index.ts';
import { daysBetween, FactTable, type Fact } from '../facts.ts';
import { caseIdOf, flag, isCaseStream, Table, type Value } from '../tables.ts';
import type { ReadModel } from '../types.ts';

/**
 * One row per obstacle, with the origin State and the agreement of the request in force when
 * it opened (none before any request). Types and dates only: the note is free text and stays out.
 */
export interface ObstacleRow {
  [column: string]: Value;
  case_id: string;
  obstacle_id: string;
  origin_state: string;
  destination_state: string;
  agreement_id: string | null;
  type: string;
  automatic: number;
  opened_on: string;
  resolved_on: string | null;
}

interface ObstacleCaseRow {
  [column: string]: Value;
  case_id: string;
  origin_state: string;
  destination_state: string;
  agreement_id: string | null;
}

/** The report's running counts of obstacles (facts.ts), by opening date. */
export const obstacleFacts = new FactTable('rm_obstacle_facts');

/**
 * What an obstacle row counts for: a resolved one with the days it stayed open (a histogram,
 * for the exact median), an open one with its opening date (days open run to the day of the query).
 */
export function obstacleFactsOf(o: ObstacleRow): Fact[] {
  const at = { originState: o.origin_state, agreementId: o.agreement_id ?? '', day: o.opened_on };
  return o.resolved_on === null
    ? [{ ...at, metric: `open:${o.type}`, value: o.opened_on }]
    : [{ ...at, metric: `resolved:${o.type}`, value: String(daysBetween(o.opened_on, o.resolved_on)) }];
}

export const obstaclesTable = new Table<ObstacleRow>(
  {
    name: 'rm_obstacles',
    columns: {
      case_id: 'TEXT NOT NULL',
      obstacle_id: 'TEXT NOT NULL',
      origin_state: 'TEXT NOT NULL',
      destination_state: 'TEXT NOT NULL',
      agreement_id: 'TEXT',
      type: 'TEXT NOT NULL',
      automatic: 'INTEGER NOT NULL',
      opened_on: 'TEXT NOT NULL',
      resolved_on: 'TEXT',
    },
    primaryKey: ['case_id', 'obstacle_id'],
  },
  obstacleFacts.of(obstacleFactsOf),
);

const obstacleCasesTable = new Table<ObstacleCaseRow>({
  name: 'rm_obstacle_cases',
  columns: {
    case_id: 'TEXT NOT NULL',
    origin_state: 'TEXT NOT NULL',
    destination_state: 'TEXT NOT NULL',
    agreement_id: 'TEXT',
  },
  primaryKey: ['case_id'],
});

export const obstaclesModel: ReadModel = {
  name: 'obstacles',
  version: 2,
  tables: [obstaclesTable.name, obstacleCasesTable.name, obstacleFacts.name],
  setup(db) {
    obstaclesTable.setup(db);
    obstacleCasesTable.setup(db);
    obstacleFacts.setup(db);
  },
  apply(db, e) {
    if (!isCaseStream(e.streamId)) return;
    const caseId = caseIdOf(e.streamId);
    switch (e.type) {
      case 'CaseOpened': {
        const d = e.data as CaseEventOf<'CaseOpened'>['data'];
        obstacleCasesTable.put(db, {
          case_id: caseId,
          origin_state: d.originState,
          destination_state: d.destinationState,
          agreement_id: null,
        });
        return;
      }
      case 'ReadmissionRequestSubmitted': {
        const c = obstacleCasesTable.get(db, caseId);
        if (c)
          obstacleCasesTable.put(db, {
            ...c,
            agreement_id: (e.data as CaseEventOf<'ReadmissionRequestSubmitted'>['data']).agreementId,
          });
        return;
      }
      case 'ObstacleRecorded': {
        const c = obstacleCasesTable.get(db, caseId);
        if (!c) return;
        const d = e.data as CaseEventOf<'ObstacleRecorded'>['data'];
        obstaclesTable.put(db, {
          case_id: caseId,
          obstacle_id: d.obstacleId,
          origin_state: c.origin_state,
          destination_state: c.destination_state,
          agreement_id: c.agreement_id,
          type: d.type,
          automatic: flag(d.automatic),
          opened_on: d.openedOn,
          resolved_on: null,
        });
        return;
      }
      case 'ObstacleResolved': {
        const d = e.data as CaseEventOf<'ObstacleResolved'>['data'];
        const o = obstaclesTable.get(db, caseId, d.obstacleId);
        if (o !== undefined && o.resolved_on === null) obstaclesTable.put(db, { ...o, resolved_on: d.resolvedOn });
        return;
      }
      default:
        return;
    }
  },
};
