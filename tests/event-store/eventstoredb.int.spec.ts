import { afterAll, beforeAll, describe } from 'vitest';
import type { StartedTestContainer } from 'testcontainers';
import { connectEventStoreDb, type EventStoreDbStore } from '../../services/event-store/esdb-store.ts';
import { describeEventStoreContract, type ContractHarness } from './contract.ts';

/**
 * The contract against EventStoreDB: a running node named by RRC_TEST_EVENTSTORE, else a
 * throwaway container when a Docker engine answers, else skipped with the reason printed.
 */
const IMAGE = 'eventstore/eventstore:24.10';
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
  };
};

if (target.kind === 'skip') {
  console.warn(`EventStoreDB contract skipped: ${target.reason}`);
  describe.skip(`EventStoreDB (${target.reason})`, () => describeEventStoreContract('eventstoredb', factory));
} else {
  describe(`EventStoreDB (${target.kind === 'env' ? 'RRC_TEST_EVENTSTORE' : IMAGE})`, () => {
    beforeAll(async () => {
      if (target.kind !== 'docker') return;
      const { GenericContainer, Wait } = await import('testcontainers');
      container = await new GenericContainer(IMAGE)
        .withEnvironment({
          EVENTSTORE_INSECURE: 'true',
          EVENTSTORE_RUN_PROJECTIONS: 'None',
          EVENTSTORE_MEM_DB: 'true',
          EVENTSTORE_CLUSTER_SIZE: '1',
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
  });
}
