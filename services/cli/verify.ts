import { loadConfig } from '../config.ts';
import { verifyChains } from '../event-store/chain.ts';
import { openEventStore } from '../event-store/open-store.ts';

/**
 * `rrc verify`: recomputes every stream's hash chain from the bytes stored and names the
 * first broken link (exit 1), or says how many events and streams hold (exit 0). Reads the
 * configured store: the embedded file, or the EventStoreDB node in `RRC_EVENT_STORE`.
 */
export async function verify(): Promise<number> {
  const config = loadConfig();
  const store = await openEventStore({ eventStore: config.eventStore, dataDir: config.dataDir });
  try {
    const { events, streams, firstBreak } = await verifyChains(store.chainLinks());
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
  'missing-hash': 'the event has no hash (written before hash chains, or around rrc)',
} as const;
