import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { EventMetadata } from '../contracts/index.ts';
import type { Config } from '../services/config.ts';
import { createServices } from '../services/container.ts';
import { seedDemo } from '../services/demo/seed.ts';
import { SQLITE_FILE_NAME } from '../services/event-store/open-store.ts';
import { CASE_STREAM_PREFIX, returnCaseStream, type NewEvent } from '../services/event-store/port.ts';
import { openSqliteEventStore } from '../services/event-store/sqlite-store.ts';
import { loadMasterKey, SqliteKeyStore } from '../services/privacy/key-store.ts';

/**
 * Seeds the benchmark's data dir in bulk, without HTTP:
 *
 * 1. `templates` cases live their whole simulated lifecycles through the real command path
 *    (`seedDemo`: the domain decides, the codec seals, the store appends, the deadline
 *    service turns elapsed deadlines into events), over a year of simulated days;
 * 2. the rest are copies of those lifecycles under new case ids: each template's events
 *    are decoded once, then encoded again per copy with the copy's own data key (so every
 *    case has its key and its sealed personal fields, as in production) and appended
 *    through the store, many appends at a time.
 *
 * Seeding writes with `synchronous=NORMAL` (disposable data; the commands measured later
 * run on the durable default). The read models are not kept during the copy: the
 * benchmark rebuilds them from the log, and measures that.
 */
export interface BulkSeedOptions {
  cases: number;
  templates: number;
  seed?: number;
  /** Appends in flight at once while copying (one group commit when the store groups them). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface BulkSeedResult {
  cases: number;
  templates: number;
  commands: number;
  /** Commands the generator's domain refused: a generator bug when not 0. */
  failures: number;
  /** Events in the log after seeding (cases, agreements). */
  events: number;
  simulateMs: number;
  copyMs: number;
  /** Cases still under way (not closed) among the templates: their copies are too. */
  openShare: number;
  /** Every seeded case: its id, destination State and whether it is still under way. */
  seeded: SeededCase[];
  /** The agreements the generator concluded, one per origin State. */
  agreements: { originState: string; agreementId: string }[];
}

export interface SeededCase {
  caseId: string;
  destination: string;
  open: boolean;
}

/** A clock the generator moves; the services read it. */
class SimulatedClock {
  #at = 0;
  now = (): Date => new Date(this.#at);
  set(iso: string): void {
    this.#at = Date.parse(iso);
  }
}

const DAY = 86_400_000;

export async function bulkSeed(config: Config, options: BulkSeedOptions): Promise<BulkSeedResult> {
  const templates = Math.min(options.templates, options.cases);
  const store = openSqliteEventStore(path.join(config.dataDir, SQLITE_FILE_NAME), { synchronous: 'NORMAL' });
  const keys = new SqliteKeyStore(
    path.join(config.keysDir, 'keys.sqlite'),
    loadMasterKey(config.keysDir, config.masterKey),
    10_000,
    { synchronous: 'NORMAL' },
  );
  const clock = new SimulatedClock();
  const services = await createServices(config, { clock: clock.now, store, keys });
  try {
    // 1. The templates, through the command path, ending well before today (the benchmark's
    //    commands then run on the real clock, after every seeded fact).
    const started = Date.now();
    const start = new Date(Date.now() - 460 * DAY).toISOString().slice(0, 10);
    services.projections.start(); // the deadline service asks the read models what is due
    const seeded = await seedDemo(services, clock, {
      cases: templates,
      seed: options.seed ?? 1,
      start,
      openingDays: 365,
      tailDays: 45,
      onProgress: ({ opened }) => options.onProgress?.(opened, options.cases),
    });
    await services.projections.stop();
    const simulateMs = Date.now() - started;

    // 2. The copies.
    const copyStarted = Date.now();
    const lifecycles = new Map<string, { type: string; data: unknown; metadata: EventMetadata }[]>();
    for (let after = 0; ;) {
      const page = await store.readAll({ after, streamPrefixes: [CASE_STREAM_PREFIX], limit: 5000 });
      for (const stored of page) {
        const { event, metadata } = services.codec.decode(stored);
        let list = lifecycles.get(stored.streamId);
        if (!list) lifecycles.set(stored.streamId, (list = []));
        // Idempotency keys belong to the template's caller and request: not copied.
        const { idempotencyKey: _k, requestHash: _h, ...kept } = metadata;
        list.push({ type: event.type, data: event.data, metadata: kept });
      }
      if (page.length < 5000) break;
      after = page[page.length - 1]!.position;
    }
    const seededCases: SeededCase[] = [];
    const sources = [...lifecycles].map(([streamId, events]) => {
      const opened = events.find((e) => e.type === 'CaseOpened')?.data as { destinationState?: string } | undefined;
      const info = { destination: opened?.destinationState ?? '', open: !events.some((e) => e.type === 'CaseClosed') };
      seededCases.push({ caseId: streamId.slice(CASE_STREAM_PREFIX.length), ...info });
      return { events, ...info };
    });
    const open = seededCases.filter((c) => c.open).length;
    const concurrency = options.concurrency ?? 256;
    for (let made = lifecycles.size, i = 0; made < options.cases;) {
      // A batch: its keys in one commit, then its appends in one group commit.
      const batch = Array.from({ length: Math.min(concurrency, options.cases - made) }, () => ({
        caseId: randomUUID(),
        template: sources[i++ % sources.length]!,
      }));
      await Promise.all(batch.map((c) => services.codec.prepareKey(c.caseId)));
      await Promise.all(
        batch.map(({ caseId, template }) => {
          seededCases.push({ caseId, destination: template.destination, open: template.open });
          const events: NewEvent[] = template.events.map((e) =>
            services.codec.encode(
              { type: e.type, data: e.type === 'CaseOpened' ? { ...(e.data as object), caseId } : e.data },
              e.metadata,
              caseId,
            ),
          );
          return store.append(returnCaseStream(caseId), events, 'no-stream');
        }),
      );
      made += batch.length;
      options.onProgress?.(made, options.cases);
    }
    options.onProgress?.(options.cases, options.cases);
    return {
      cases: Math.max(options.cases, lifecycles.size),
      templates: lifecycles.size,
      commands: seeded.commands,
      failures: seeded.failures,
      events: await store.headPosition(),
      simulateMs,
      copyMs: Date.now() - copyStarted,
      openShare: lifecycles.size === 0 ? 0 : open / lifecycles.size,
      seeded: seededCases,
      agreements: seeded.agreements.map(({ originState, agreementId }) => ({ originState, agreementId })),
    };
  } finally {
    await services.close();
  }
}
