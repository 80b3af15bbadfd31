/**
 * Child process for crash.int.spec.ts: appends to a SQLite store (synchronous FULL) until it is
 * killed. Before each append it prints the intent, after it each acknowledged event:
 *   begin <n> <stream> <id,id,…>
 *   ack <n> <stream> <revision> <id>
 * Run: node --import tsx tests/event-store/crash-writer.ts <file>
 */
import { randomUUID } from 'node:crypto';
import { openSqliteEventStore } from '../../services/event-store/sqlite-store.ts';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: crash-writer.ts <sqlite file>\n');
  process.exit(2);
}

const store = openSqliteEventStore(file, { synchronous: 'FULL' });
const revisions = new Map<string, number>();

for (let n = 0; ; n += 1) {
  const streamId = `case-crash-${n % 7}`;
  const events = Array.from({ length: 1 + (n % 3) }, (_, i) => ({
    id: randomUUID(),
    type: 'CrashProbe',
    data: { n, i, padding: 'x'.repeat(200 + ((n * 37) % 800)) },
    metadata: { schemaVersion: 1 },
  }));
  // stdout to a pipe is synchronous on Linux, so a printed line is out before the next step.
  process.stdout.write(`begin ${n} ${streamId} ${events.map((e) => e.id).join(',')}\n`);
  const result = await store.append(streamId, events, revisions.get(streamId) ?? 'no-stream');
  revisions.set(streamId, result.revision);
  const first = result.revision - events.length + 1;
  process.stdout.write(events.map((e, i) => `ack ${n} ${streamId} ${first + i} ${e.id}\n`).join(''));
  // Yield to the event loop now and then, as a server would between requests.
  if (n % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
}
