import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedTestContainer } from 'testcontainers';
import { connectEventStoreDb, type EventStoreDbStore } from '../../services/event-store/esdb-store.ts';
import { CHAIN_VERSION, eventHash, storedJson } from '../../services/event-store/chain.ts';
import { keyStreamOps } from '../../services/privacy/key-store-esdb-ops.mjs';
import { describeEventStoreContract, type ContractHarness } from './contract.ts';

/**
 * The contract against EventStoreDB: a running node named by RRC_TEST_EVENTSTORE, else a
 * throwaway container when a Docker engine answers, else skipped with the reason printed.
 * `RRC_TEST_ESDB_IMAGE` runs another image, e.g. `kurrentplatform/kurrentdb:25.1` (its settings
 * take the KURRENTDB_ prefix). Beside the contract: the lease register and the key streams.
 */
const IMAGE = process.env['RRC_TEST_ESDB_IMAGE']?.trim() || 'eventstore/eventstore:24.10';
const SETTINGS_PREFIX = IMAGE.includes('kurrent') ? 'KURRENTDB' : 'EVENTSTORE';
const DOCKER_CHECK_MS = 1_500;

type Target = { kind: 'env'; connectionString: string } | { kind: 'docker' } | { kind: 'skip'; reason: string };

async function chooseTarget(): Promise<Target> {
  const fromEnv = process.env['RRC_TEST_EVENTSTORE']?.trim();
  if (fromEnv) return { kind: 'env', connectionString: fromEnv };
  const docker = await dockerAnswers();
  return docker === true
    ? { kind: 'docker' }
    : { kind: 'skip', reason: `no Docker engine (${docker}) and RRC_TEST_EVENTSTORE unset` };
}

/** Asks testcontainers for a runtime, bounded: it only talks to a local engine, never pulls. */
async function dockerAnswers(): Promise<true | string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${DOCKER_CHECK_MS} ms`)), DOCKER_CHECK_MS);
    });
    await Promise.race([getContainerRuntimeClient(), timeout]);
    return true;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

const target = await chooseTarget();
let connectionString = target.kind === 'env' ? target.connectionString : '';
let container: StartedTestContainer | undefined;

const factory = async (): Promise<ContractHarness> => {
  const opened: EventStoreDbStore[] = [];
  const open = (): EventStoreDbStore => {
    const store = connectEventStoreDb(connectionString);
    opened.push(store);
    return store;
  };
  return {
    store: open(),
    reopen: async () => open(),
    cleanup: async () => {
      for (const store of opened) await store.close();
    },
    tamper: (streamId) => appendForged(streamId),
  };
};

/**
 * EventStoreDB events cannot be edited, so tampering means writing around rrc: the raw client
 * appends an event that links onto the real last event with a hash computed for other data.
 */
async function appendForged(streamId: string): Promise<number> {
  const client = EventStoreDBClient.connectionString(connectionString);
  try {
    const store = connectEventStoreDb(connectionString);
    const last = (await store.readStream(streamId)).at(-1)!;
    await store.close();
    const forged = { id: randomUUID(), revision: last.revision + 1, createdAt: new Date().toISOString() };
    const claimed = eventHash(last.chain!.hash, {
      streamId,
      ...forged,
      type: 'ContractProbe',
      data: storedJson({ claimed: true }),
      metadata: storedJson(null),
    });
    const link = {
      chain: CHAIN_VERSION,
      prevHash: last.chain!.hash,
      hash: claimed,
      createdAt: forged.createdAt,
      metadata: null,
    };
    await client.appendToStream(
      streamId,
      jsonEvent({
        id: forged.id,
        type: 'ContractProbe',
        data: { claimed: false },
        metadata: new TextEncoder().encode(JSON.stringify(link)),
      }),
      { expectedRevision: BigInt(last.revision) },
    );
    return forged.revision;
  } finally {
    await client.dispose();
  }
}

if (target.kind === 'skip') {
  console.warn(`EventStoreDB contract skipped: ${target.reason}`);
  describe.skip(`EventStoreDB (${target.reason})`, () => {
    describeEventStoreContract('eventstoredb', factory);
    describeEsdbExtras();
  });
} else {
  describe(`EventStoreDB (${target.kind === 'env' ? 'RRC_TEST_EVENTSTORE' : IMAGE})`, () => {
    beforeAll(async () => {
      if (target.kind !== 'docker') return;
      const { GenericContainer, Wait } = await import('testcontainers');
      container = await new GenericContainer(IMAGE)
        .withEnvironment({
          [`${SETTINGS_PREFIX}_INSECURE`]: 'true',
          [`${SETTINGS_PREFIX}_RUN_PROJECTIONS`]: 'None',
          [`${SETTINGS_PREFIX}_MEM_DB`]: 'true',
          [`${SETTINGS_PREFIX}_CLUSTER_SIZE`]: '1',
        })
        .withExposedPorts(2113)
        .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((code) => code >= 200 && code < 300))
        .withStartupTimeout(120_000)
        .start();
      connectionString = `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
    }, 180_000);

    afterAll(async () => {
      await container?.stop();
    });

    describeEventStoreContract('eventstoredb', factory);

    describeEsdbExtras();
  });
}

/** What rrc keeps in EventStoreDB beside the log: the deadline lease and the case keys. */
function describeEsdbExtras(): void {
  it('elects one lease holder with expected-revision appends', async () => {
    const harness = await factory();
    const store = harness.store;
    try {
      const name = `deadlines-${randomUUID()}`;
      const first = await store.leases!.write(name, 'a', -1);
      expect(first).toEqual({ holder: 'a', version: 0 });
      expect(await store.leases!.write(name, 'b', -1)).toBeUndefined();
      const [x, y] = await Promise.all([store.leases!.write(name, 'a', 0), store.leases!.write(name, 'b', 0)]);
      expect([x, y].filter(Boolean)).toHaveLength(1);
      expect((await store.leases!.read(name))?.version).toBe(1);
    } finally {
      await harness.cleanup();
    }
  });

  it('keeps a case key once, and tombstones it for good on erasure', async () => {
    const client = EventStoreDBClient.connectionString(connectionString);
    try {
      const ops = keyStreamOps(client);
      const caseId = randomUUID();
      expect(await ops.read(caseId)).toEqual({ state: 'none' });
      expect(await ops.create(caseId, 'first')).toEqual({ state: 'live', wrapped: 'first' });
      expect(await ops.create(caseId, 'second')).toEqual({ state: 'live', wrapped: 'first' });
      await ops.tombstone(caseId);
      expect(await ops.read(caseId)).toEqual({ state: 'destroyed' });
      expect(await ops.create(caseId, 'third')).toEqual({ state: 'destroyed' });
    } finally {
      await client.dispose();
    }
  });
}
