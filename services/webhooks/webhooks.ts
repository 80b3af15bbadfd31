import path from 'node:path';
import type { Logger } from 'pino';
import type { Db } from '../../projections/index.ts';
import type { EventCodec } from '../commands/event-codec.ts';
import type { Config } from '../config.ts';
import type { EventStore } from '../event-store/port.ts';
import type { KeyStore } from '../privacy/key-store.ts';
import { repliesDueSoon } from './approaching.ts';
import { CaseStatesLookup } from './case-scope.ts';
import { WebhookDispatcher, type Timers } from './dispatcher.ts';
import { LiveNotices } from './live-notices.ts';
import { openOutbox, Outbox, WEBHOOKS_FILE } from './outbox-db.ts';
import { WebhookRegistry } from './registry.ts';
import { httpSender, type Send } from './sender.ts';

/** Webhooks (registrations, the dispatcher and its outbox) and the live notices behind SSE. */
export interface Webhooks {
  registry: WebhookRegistry;
  dispatcher: WebhookDispatcher;
  live: LiveNotices;
  /** Starts delivering (the server does unless `RRC_WEBHOOKS=off`). */
  start(): void;
  close(): Promise<void>;
}

export async function createWebhooks(deps: {
  config: Config;
  store: EventStore;
  codec: EventCodec;
  keys: KeyStore;
  clock: () => Date;
  /** The read models' database: the reply-deadline scan reads the liaison inbox. */
  readModels: () => Db;
  logger?: Logger | undefined;
  send?: Send;
  timers?: Timers;
}): Promise<Webhooks> {
  const { config, store, codec, keys, clock } = deps;
  const outbox = new Outbox(openOutbox(path.join(config.dataDir, WEBHOOKS_FILE)));
  const states = new CaseStatesLookup(store, codec);
  const dispatcher = new WebhookDispatcher({
    store,
    codec,
    keys,
    outbox,
    states,
    clock,
    send: deps.send ?? httpSender(config.webhooks.timeoutMs),
    retry: config.webhooks.retry,
    ...(deps.timers ? { timers: deps.timers } : {}),
    dueSoon: (originState, today) => repliesDueSoon(deps.readModels(), originState, today),
    scanIntervalMs: config.deadlinesIntervalMs,
    logger: deps.logger,
  });
  try {
    // Only the delivering replica reads the registrations now; the others never start the dispatcher.
    if (config.webhooks.enabled) await dispatcher.init();
  } catch (e) {
    outbox.close();
    throw e;
  }
  const live = new LiveNotices(store, states);
  return {
    registry: new WebhookRegistry(store, codec, keys, clock),
    dispatcher,
    live,
    start: () => dispatcher.start(),
    close: async () => {
      await live.close();
      await dispatcher.stop();
      outbox.close();
    },
  };
}
