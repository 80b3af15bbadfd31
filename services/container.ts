import path from 'node:path';
import type { Logger } from 'pino';
import { AgreementService } from './commands/agreements.ts';
import { CaseCommands, type CommandMetrics } from './commands/case-commands.ts';
import { CaseRepository } from './commands/case-repository.ts';
import { EventCodec } from './commands/event-codec.ts';
import type { Config } from './config.ts';
import { openEventStore } from './event-store/open-store.ts';
import type { EventStore } from './event-store/port.ts';
import { ReadAudit } from './privacy/read-audit.ts';
import { createReadSide } from './read-models.ts';
import type { DeadlineService } from './deadlines/deadline-service.ts';
import type { ProjectionRunner } from '../projections/runner.ts';
import type { StoredEvent } from './event-store/port.ts';
import { loadMasterKey, SqliteKeyStore, type KeyStore, type SqliteKeyStoreOptions } from './privacy/key-store.ts';
import { DocumentFiles } from './documents/document-files.ts';
import { DocumentService } from './documents/document-service.ts';
import { MessageThreads } from './messages/message-threads.ts';
import { createWebhooks, type Webhooks } from './webhooks/webhooks.ts';
import { blindIndexFor } from './privacy/blind-index.ts';
import { openEsdbKeyStore } from './privacy/key-store-esdb.ts';

/**
 * The running parts wired once: the server, the command line and the tests build the same
 * object, so there is one way to put rrc together.
 */
export interface Services {
  config: Config;
  store: EventStore;
  codec: EventCodec;
  repository: CaseRepository;
  agreements: AgreementService;
  commands: CaseCommands;
  readAudit: ReadAudit;
  /** Documents of cases: sealed files in `config.documentsDir`, uploads recorded in the case. */
  documents: DocumentService;
  /** Messages about a readmission request between the two authorities (their own stream per case). */
  messages: MessageThreads;
  /** The read models (`<dataDir>/read-models.sqlite`) and their runner; `server.ts` starts it. */
  projections: ProjectionRunner<StoredEvent>;
  /** Turns elapsed deadlines into events; `server.ts` starts it unless `RRC_DEADLINES=off`. */
  deadlines: DeadlineService;
  /** Webhook registrations and deliveries, and the live notices of `GET /v1/events/stream`. */
  webhooks: Webhooks;
  clock: () => Date;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** Tests pass a clock they control; the service never reads the time any other way. */
  clock?: () => Date;
  store?: EventStore;
  metrics?: CommandMetrics;
  logger?: Logger;
  keys?: KeyStore;
  /**
   * SQLite WAL checkpoints on a worker thread rather than inside a commit on the event loop
   * (the server turns this on; see services/event-store/wal-checkpointer.ts).
   */
  backgroundCheckpoints?: boolean;
}

export async function createServices(config: Config, options: ServiceOptions = {}): Promise<Services> {
  const clock = options.clock ?? (() => new Date());
  const backgroundCheckpoints = options.backgroundCheckpoints ?? false;
  const keys = options.keys ?? openKeyStore(config); // first: a refused setting leaves nothing open
  const store =
    options.store ??
    (await openEventStore({
      eventStore: config.eventStore,
      dataDir: config.dataDir,
      sqlite: { backgroundCheckpoints },
    }));
  const codec = new EventCodec(keys);
  const repository = new CaseRepository(store, codec);
  const agreements = new AgreementService(store, codec, clock);
  const files = new DocumentFiles(config.documentsDir);
  // Erasure deletes the case's document files once its key is destroyed (API, `rrc erase`, retention alike).
  const commands = new CaseCommands(store, repository, codec, agreements, clock, options.metrics, (caseId) =>
    files.eraseCase(caseId),
  );
  const readAudit = new ReadAudit(store, codec, clock);
  const readSide = createReadSide({
    config,
    store,
    codec,
    commands,
    clock,
    logger: options.logger,
    backgroundCheckpoints,
    blind: blindIndexFor(config),
  });
  const webhooks = await createWebhooks({
    config,
    store,
    codec,
    keys,
    clock,
    readModels: () => readSide.projections.db,
    logger: options.logger,
  });
  return {
    config,
    store,
    codec,
    repository,
    agreements,
    commands,
    readAudit,
    documents: new DocumentService({ commands, repository, store, codec, keys, files, readAudit }),
    messages: new MessageThreads(store, repository, codec, readAudit, clock),
    projections: readSide.projections,
    deadlines: readSide.deadlines,
    webhooks,
    clock,
    close: async () => {
      await webhooks.close();
      await readSide.close(); // before the store: the runner follows it
      await store.close();
      keys.close();
    },
  };
}

/**
 * The case keys: a file by default, or EventStoreDB streams shared by every replica (`RRC_KEY_STORE`).
 * `sqlite` tunes the file store only (the demo seeder trades per-commit fsync for speed).
 */
export function openKeyStore(config: Config, sqlite: SqliteKeyStoreOptions = {}): KeyStore {
  if (config.keyStore === 'eventstoredb') {
    // Every replica must unwrap the keys the others made: one master key for all, not a file each.
    if (!config.eventStore) throw new Error('RRC_KEY_STORE=eventstoredb needs RRC_EVENT_STORE');
    if (!config.masterKey)
      throw new Error('RRC_KEY_STORE=eventstoredb needs RRC_MASTER_KEY (the same on every replica)');
    return openEsdbKeyStore(config.eventStore, loadMasterKey(config.keysDir, config.masterKey));
  }
  return new SqliteKeyStore(
    path.join(config.keysDir, 'keys.sqlite'),
    loadMasterKey(config.keysDir, config.masterKey),
    undefined,
    sqlite,
  );
}
