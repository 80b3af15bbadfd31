import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createServices, openKeyStore } from '../container.ts';
import { restrictDataFiles } from '../data-files.ts';
import { seedDemo } from '../demo/seed.ts';
import { openEventStore } from '../event-store/open-store.ts';
import { ProgressBar } from './progress.ts';

const USAGE = `rrc demo seed --cases N [--seed S] [--start YYYY-MM-DD] [--opening-days D] [--tail-days D]
    synthetic cases (invented people) through the real command path, into an empty RRC_DATA_DIR`;

/** A clock the generator moves; the services read it. */
class SimulatedClock {
  #at = 0;
  now = (): Date => new Date(this.#at);
  set(iso: string): void {
    this.#at = Date.parse(iso);
  }
}

export async function demo(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'seed') {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      cases: { type: 'string' },
      seed: { type: 'string', default: '1' },
      start: { type: 'string' },
      'opening-days': { type: 'string' },
      'tail-days': { type: 'string' },
    },
    strict: true,
  });
  const cases = Number(values.cases);
  if (!Number.isInteger(cases) || cases < 1) throw new Error('give --cases N (a whole number of cases)');
  const start = values.start ?? defaultStart();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) throw new Error('--start is a date YYYY-MM-DD');
  const config = loadConfig();
  restrictDataFiles(config, 'dirs');
  // Demo data are disposable: commits (events and case keys) are not fsynced one by one (a power
  // cut may lose the last ones, a crash never corrupts a file), which makes seeding much faster.
  const store = await openEventStore({
    eventStore: config.eventStore,
    dataDir: config.dataDir,
    sqlite: { synchronous: 'NORMAL' },
  });
  if ((await store.headPosition()) > 0) {
    await store.close();
    throw new Error(`${config.dataDir} already holds events: seed into an empty RRC_DATA_DIR`);
  }
  // The key store the server would use (`RRC_KEY_STORE`), so seeded cases open there.
  const keys = openKeyStore(config, { synchronous: 'NORMAL' });
  const clock = new SimulatedClock();
  const services = await createServices(config, { clock: clock.now, store, keys });
  restrictDataFiles(config, 'files');
  try {
    services.projections.start();
    const bar = new ProgressBar(`seeding ${cases} cases`, cases);
    const result = await seedDemo(services, clock, {
      cases,
      seed: Number(values.seed),
      start,
      ...(values['opening-days'] ? { openingDays: Number(values['opening-days']) } : {}),
      ...(values['tail-days'] ? { tailDays: Number(values['tail-days']) } : {}),
      onProgress: ({ day, opened }) => bar.update(opened, `day ${day}, ${opened} opened`),
    });
    bar.done();
    await services.projections.waitForHead(120_000);
    const events = await services.store.headPosition();
    const out = process.stdout;
    out.write(
      `seeded ${result.cases} synthetic cases (seed ${values.seed}), simulated ${result.from} to ${result.to}\n`,
    );
    out.write(`${result.commands} commands, ${events} events, in ${(result.ms / 1000).toFixed(1)} s\n`);
    out.write(`outcomes: ${JSON.stringify(result.outcomes)}\n`);
    out.write(`obstacles recorded by caseworkers: ${JSON.stringify(result.obstacles)}\n`);
    out.write(`aborts: ${JSON.stringify(result.aborts)}\n`);
    if (result.failures > 0) {
      out.write(
        `${result.failures} commands were refused (a generator bug):\n  ${result.failureSamples.join('\n  ')}\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    await services.close();
  }
}

/** About fourteen months ago, on a Monday: recent enough that the demo looks current. */
function defaultStart(): string {
  const d = new Date(Date.now() - 420 * 86_400_000);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}
