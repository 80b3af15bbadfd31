import { loadConfig } from '../config.ts';
import { createServices } from '../container.ts';
import { ProgressBar } from './progress.ts';

const USAGE = `rrc projections rebuild [NAME]   drop the read models (or one) and replay the event log
rrc projections status           checkpoints and lag of every read model`;

/** `rrc projections …`: rebuild read models from the log, or show where they stand. */
export async function projections(args: string[]): Promise<number> {
  const [command, name, ...extra] = args;
  if ((command !== 'rebuild' && command !== 'status') || extra.length > 0 || (command === 'status' && name)) {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  const config = loadConfig();
  const services = await createServices(config);
  try {
    const runner = services.projections;
    const names = runner.models.map((m) => m.name);
    if (command === 'status') {
      const lags = await runner.lagByProjection();
      for (const p of runner.status().projections) {
        process.stdout.write(`${p.name.padEnd(12)} v${p.version}  position ${p.position}  lag ${lags[p.name] ?? 0}\n`);
      }
      return 0;
    }
    if (name !== undefined && !names.includes(name)) {
      process.stderr.write(`rrc projections rebuild: no read model "${name}"; there are ${names.join(', ')}\n`);
      return 1;
    }
    const started = Date.now();
    const head = await services.store.headPosition();
    const bar = new ProgressBar(`rebuild ${name ?? 'all read models'}`, head);
    let events = 0;
    await runner.rebuild(name, (p) => {
      events = p.events;
      bar.update(p.position, `${p.events} events`);
    });
    bar.done(`${events} events`);
    process.stdout.write(
      `rebuilt ${name ?? names.join(', ')} from ${events} events up to position ${runner.position()} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    return 0;
  } finally {
    await services.close();
  }
}
