import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import {
  casesDueForErasure,
  casesWithDeadlinesDue,
  openReadModelDb,
  ProjectionRunner,
  READ_MODELS,
  READ_MODELS_FILE,
  searchModel,
  type Blind,
} from '../projections/index.ts';
import type { CaseCommands } from './commands/case-commands.ts';
import type { EventCodec } from './commands/event-codec.ts';
import type { Config } from './config.ts';
import { DeadlineService } from './deadlines/deadline-service.ts';
import { Lease } from './deadlines/lease.ts';
import type { EventStore, StoredEvent } from './event-store/port.ts';
import { WalCheckpointer } from './event-store/wal-checkpointer.ts';

/**
 * The read side wired to the store: the projection runner over `<dataDir>/read-models.sqlite`
 * (one file per replica, rebuilt from the log on demand) and the deadline service that reads
 * its due dates. Created by the container, started by the server (and the test harness).
 */
export interface ReadSide {
  projections: ProjectionRunner<StoredEvent>;
  deadlines: DeadlineService;
  close(): Promise<void>;
}

/** How long the deadline service waits for the read models to reach the head of the log. */
const DEADLINE_CATCH_UP_MS = 10_000;

export function createReadSide(deps: {
  config: Config;
  store: EventStore;
  codec: EventCodec;
  commands: CaseCommands;
  clock: () => Date;
  logger?: Logger | undefined;
  /** Checkpoint the read models' WAL on a worker thread (see WalCheckpointer). */
  backgroundCheckpoints?: boolean;
  /** The blind index's keyed hash (services/privacy/blind-index.ts) for the search model. */
  blind: Blind;
}): ReadSide {
  const { config, store, codec, commands, clock, logger } = deps;
  mkdirSync(config.dataDir, { recursive: true });
  const file = path.join(config.dataDir, READ_MODELS_FILE);
  const db = openReadModelDb(file);
  const checkpointer = deps.backgroundCheckpoints ? new WalCheckpointer(file, db) : undefined;
  const projections = new ProjectionRunner<StoredEvent>({
    db,
    models: [...READ_MODELS, searchModel(deps.blind)],
    log: store,
    decode: (stored) => codec.decode(stored),
    // No read model keeps personal data: only the few events a model derives a figure from
    // (READ_MODELS' `personalDataOf`) are decrypted, the rest are read without their personal fields.
    decodeWithoutPersonalData: (stored) => codec.decodeWithoutPersonalData(stored),
    onError: (e) => logger?.error({ errName: (e as Error)?.name }, 'projection batch failed; retrying'),
    // While following, a batch costs ~0.45 ms whatever its size (checkpoints, the commit's page
    // writes) and ~0.08 ms an event (measured here). Waiting up to 20 ms for more events makes
    // that fixed cost shared by ~10 commands at a few hundred a second (about 0.1 ms of CPU saved
    // per command), for read models at most ~20 ms behind; `minPosition` still gives
    // read-your-writes. At most 200 events a batch: a catching-up batch holds the event loop
    // ~15 ms, not the ~80 ms of a thousand.
    lingerMs: 20,
    batchSize: 200,
    // Catching up (start-up, `rrc projections rebuild`): 2,000 events a transaction. A page of
    // 10,000 decoded events outgrows V8's young generation, so each page and the rows it
    // touches were copied and promoted by every scavenge: the collector took ~20 % of a
    // rebuild, about half that with 2,000 (measured on 74k events), for 5 × more commits (~1 ms each).
    catchUpBatchSize: 2_000,
  });
  const deadlines = new DeadlineService({
    commands,
    dueCases: (asOf) => casesWithDeadlinesDue(projections.db, asOf),
    retentionDays: config.retentionDays,
    closedBefore: (date) => casesDueForErasure(projections.db, date),
    catchUp: () => projections.waitForHead(DEADLINE_CATCH_UP_MS),
    clock,
    intervalMs: config.deadlinesIntervalMs,
    logger,
    // One replica runs deadlines, elected through the store (a row of the SQLite file, a stream
    // on EventStoreDB); a holder that stops renewing is replaced after three intervals.
    lease:
      store.leases &&
      new Lease({
        register: store.leases,
        name: 'deadlines',
        holder: randomUUID(),
        ttlMs: 3 * config.deadlinesIntervalMs,
      }),
  });
  return {
    projections,
    deadlines,
    close: async () => {
      await deadlines.stop();
      await checkpointer?.stop(); // before the runner closes the file
      await projections.close();
    },
  };
}
