import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import { SQLITE_FILE_NAME } from '../event-store/open-store.ts';
import { openSqliteEventStore } from '../event-store/sqlite-store.ts';

/**
 * `rrc verify`: recomputes every stream's hash chain from the bytes stored and names the
 * first broken link (exit 1), or says how many events and streams hold (exit 0).
 */
export async function verify(): Promise<number> {
  const config = loadConfig();
  if (config.eventStore) {
    process.stderr.write(
      'rrc verify reads the embedded store; on EventStoreDB, verify an export (rrc verify-export)\n',
    );
    return 2;
  }
  const store = openSqliteEventStore(join(config.dataDir, SQLITE_FILE_NAME));
  try {
    const { events, streams, firstBreak } = store.verifyChain();
    if (firstBreak === null) {
      process.stdout.write(`ok: ${events} events in ${streams} streams, every hash chain holds\n`);
      return 0;
    }
    const { streamId, revision, position, reason } = firstBreak;
    process.stdout.write(
      `broken: stream ${streamId} at revision ${revision} (position ${position}): ${REASONS[reason]}\n`,
    );
    return 1;
  } finally {
    await store.close();
  }
}

const REASONS = {
  'content-changed': 'the event’s stored bytes no longer match its hash',
  'predecessor-mismatch':
    'the event does not follow the event its stream holds before it (one removed, swapped or rewritten)',
  'revision-gap': 'an event is missing from the stream',
  'missing-hash': 'the event has no hash (written around rrc)',
} as const;
