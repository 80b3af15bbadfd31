// The worker of wal-checkpointer.ts (plain JavaScript: it runs without the TypeScript loader).
// One worker serves every database of the process: a connection of its own per file, each
// checkpointed now and then, so the fsyncs and page copies of a checkpoint happen on this
// thread, not on the server's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const connections = new Map();
const checkpointAll = () => {
  for (const [file, db] of connections) {
    try {
      // PASSIVE: copies what it can without waiting for (or blocking) readers and writers.
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch (error) {
      parentPort.postMessage({ type: 'error', file, message: String(error) });
    }
  }
};
const timer = setInterval(checkpointAll, workerData.intervalMs);
parentPort.on('message', ({ type, file }) => {
  if (type === 'add' && !connections.has(file)) connections.set(file, new Database(file));
  if (type === 'remove') {
    const db = connections.get(file);
    connections.delete(file);
    if (db) {
      db.pragma('wal_checkpoint(PASSIVE)');
      db.close();
    }
    parentPort.postMessage({ type: 'removed', file });
    if (connections.size === 0) {
      clearInterval(timer);
      parentPort.close();
    }
  }
});
