import { agreementsModel } from './models/agreements.ts';
import { casesModel } from './models/cases.ts';
import { eurostatModel } from './models/eurostat.ts';
import { incidentsModel } from './models/incidents.ts';
import { messagesModel } from './models/messages.ts';
import { obstaclesModel } from './models/obstacles.ts';
import { removalsModel } from './models/removals.ts';
import { requestsModel } from './models/requests.ts';
import type { ReadModel } from './types.ts';

/** Every read model rrc keeps, in the order the runner applies them. */
export const READ_MODELS: readonly ReadModel[] = [
  casesModel,
  requestsModel,
  obstaclesModel,
  removalsModel,
  incidentsModel,
  agreementsModel,
  messagesModel,
  eurostatModel,
];

export * from './types.ts';
export * from './runner.ts';
export {
  worklist,
  casesWithDeadlinesDue,
  casesDueForErasure,
  type WorklistItem,
  type WorklistFilter,
} from './models/cases.ts';
export { inbox, type InboxItem, type InboxStatus } from './models/requests.ts';
export { searchModel, searchCases, searchHits, nameTokens, type Blind, type SearchHit } from './models/search.ts';
export { monitoredRemovals, type MonitoredRemoval } from './models/removals.ts';
export { incidents, type Incident } from './models/incidents.ts';
export {
  readmissionObstaclesReport,
  safeguardsReport,
  flatten,
  READMISSION_OBSTACLES_COLUMNS,
  type ReadmissionObstaclesRow,
  type SafeguardsReport,
  type ReportRange,
} from './reports.ts';
export { percentile, median, share } from './stats.ts';
export {
  eurostatReturnsReport,
  eurostatReturnsCsvRows,
  quarterOf,
  EUROSTAT_RETURNS_COLUMNS,
  UNKNOWN_CITIZENSHIP,
  type EurostatReturnsRow,
} from './models/eurostat.ts';
