import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from './port.ts';
import { connectEventStoreDb } from './esdb-store.ts';
import { openSqliteEventStore, type SqliteEventStoreOptions } from './sqlite-store.ts';

export interface EventStoreConfig {
  /** An EventStoreDB connection string (`esdb://…` or `esdb+discover://…`); absent: embedded SQLite. */
  eventStore?: string | undefined;
  /** Where the embedded store keeps `events.sqlite`. */
  dataDir: string;
  sqlite?: SqliteEventStoreOptions;
}

export const SQLITE_FILE_NAME = 'events.sqlite';

/** The store the configuration asks for: EventStoreDB when a connection string is given. */
export async function openEventStore(config: EventStoreConfig): Promise<EventStore> {
  const connectionString = config.eventStore?.trim();
  if (connectionString) return connectEventStoreDb(connectionString);
  mkdirSync(config.dataDir, { recursive: true });
  return openSqliteEventStore(join(config.dataDir, SQLITE_FILE_NAME), config.sqlite);
}
