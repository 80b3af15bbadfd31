// The worker of key-store-esdb.ts's blocking calls (plain JavaScript: it runs without the
// TypeScript loader). The KeyStore interface is synchronous (the codec opens personal fields
// inside a synchronous decode), so when a key is not cached the main thread posts the
// operation here and waits on a shared flag (Atomics.wait) until this thread has asked
// EventStoreDB and posted the answer on the port.
import { workerData } from 'node:worker_threads';
import { EventStoreDBClient } from '@eventstore/db-client';
import { keyStreamOps } from './key-store-esdb-ops.mjs';

const { connectionString, port } = workerData;
const client = EventStoreDBClient.connectionString(connectionString);
const ops = keyStreamOps(client);

port.on('message', async ({ id, op, args, flag }) => {
  let reply;
  try {
    if (op === 'close') {
      await client.dispose();
      reply = { id, ok: true, value: undefined };
    } else {
      reply = { id, ok: true, value: await ops[op](...args) };
    }
  } catch (error) {
    reply = { id, ok: false, name: error?.name ?? 'Error', message: String(error?.message ?? error) };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
