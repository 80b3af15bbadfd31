import type { Logger } from 'pino';
import { addCalendarDays, utcDateOf } from '../../domain/index.ts';
import type { CaseCommands } from '../commands/case-commands.ts';

/**
 * Turns elapsed deadlines into events: deemed acceptance (or a `no-reply` obstacle), a
 * `travel-document-delay` obstacle, the end of a voluntary-departure period. It runs in the
 * server at start and then every minute, on the clock it is given (tests move that clock and
 * call `runOnce`). It asks a read model which cases have something due and hands each one to
 * the command path: the domain decides what elapsed and is idempotent, and the append's
 * expected revision means two replicas never append the same deadline event twice.
 * The end of a closed case's retention period is such a deadline: its personal data are erased.
 */
export interface DeadlineServiceOptions {
  commands: Pick<CaseCommands, 'applyElapsedDeadlines' | 'eraseAfterRetention'>;
  /** Cases with a deadline that elapsed by `asOf` (from the `cases` read model). */
  dueCases: (asOf: string) => readonly string[] | Promise<readonly string[]>;
  /** Brings the read model up to the head of the log before it is asked. */
  catchUp?: () => Promise<unknown>;
  clock: () => Date;
  intervalMs?: number;
  logger?: Logger | undefined;
  /** Days after closure when personal data are erased by themselves; 0 or absent: never. */
  retentionDays?: number;
  /** Closed cases, not yet erased, closed before a date (from the `cases` read model). */
  closedBefore?: (date: string) => readonly string[] | Promise<readonly string[]>;
  /**
   * Leader election across replicas (see lease.ts): when given, each timed run first renews or
   * takes the lease and runs only while this replica holds it, so deadlines run once however
   * many replicas start the service. `runOnce()` called directly (tests, the demo) ignores it.
   */
  lease?: DeadlineLease | undefined;
}

export interface DeadlineLease {
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

export interface DeadlineRun {
  asOf: string;
  /** Cases the read model said had something due. */
  due: number;
  /** Cases that got events. */
  applied: number;
  /** Events appended. */
  events: number;
  /** Cases whose personal data were erased because their retention period ended. */
  erased: number;
  failed: number;
}

export const DEFAULT_DEADLINE_INTERVAL_MS = 60_000;

export class DeadlineService {
  readonly #options: DeadlineServiceOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<DeadlineRun> | undefined;
  #ticking: Promise<void> | undefined;
  #leading = true;

  constructor(options: DeadlineServiceOptions) {
    this.#options = options;
    this.#leading = options.lease === undefined;
  }

  /** Runs now and then every interval, until `stop()`. */
  start(): void {
    if (this.#timer) return;
    const tick = () => {
      this.#tick().catch((e: unknown) =>
        this.#options.logger?.error({ errName: (e as Error)?.name }, 'deadline run failed'),
      );
    };
    this.#timer = setInterval(tick, this.#options.intervalMs ?? DEFAULT_DEADLINE_INTERVAL_MS);
    this.#timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    const wasStarted = this.#timer !== undefined;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#ticking?.catch(() => undefined);
    await this.#running?.catch(() => undefined);
    // Let go so another replica takes over on its next tick, not after the lease's ttl.
    if (wasStarted) await this.#options.lease?.release();
  }

  /** Whether the last timed run found this replica holding the lease (always true without one). */
  get leading(): boolean {
    return this.#leading;
  }

  /** A timed run: renew or take the lease first (when there is one), run only while holding it. */
  #tick(): Promise<void> {
    this.#ticking ??= this.#leaseThenRun().finally(() => {
      this.#ticking = undefined;
    });
    return this.#ticking;
  }

  async #leaseThenRun(): Promise<void> {
    const lease = this.#options.lease;
    if (lease) {
      try {
        this.#leading = await lease.acquire();
      } catch (e) {
        this.#leading = false;
        this.#options.logger?.warn({ errName: (e as Error)?.name }, 'deadline lease not renewed');
      }
      if (!this.#leading) return;
    }
    await this.runOnce();
  }

  /** One pass over the cases with something due. Runs never overlap: a second caller shares the first's. */
  runOnce(): Promise<DeadlineRun> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #run(): Promise<DeadlineRun> {
    const { commands, dueCases, catchUp, clock, logger } = this.#options;
    await catchUp?.();
    const at = clock();
    const asOf = utcDateOf(at);
    const due = await dueCases(asOf);
    const run: DeadlineRun = { asOf, due: due.length, applied: 0, events: 0, erased: 0, failed: 0 };
    for (const caseId of due) {
      try {
        // The instant, not the UTC date: a request's deadline ends at midnight in the requested State.
        const answer = await commands.applyElapsedDeadlines(caseId, at);
        if (answer) {
          run.applied += 1;
          run.events += answer.events.length;
        }
      } catch (e) {
        // One case failing (a conflict storm, a store hiccup) must not stop the others; the next run retries it.
        run.failed += 1;
        logger?.warn({ caseId, errName: (e as Error)?.name }, 'deadline not applied');
      }
    }
    await this.#eraseExpired(asOf, run);
    if (run.applied > 0 || run.erased > 0 || run.failed > 0) logger?.info(run, 'deadlines applied');
    return run;
  }

  async #eraseExpired(asOf: string, run: DeadlineRun): Promise<void> {
    const { commands, retentionDays, closedBefore, logger } = this.#options;
    if (!retentionDays || !closedBefore) return;
    // Kept for `retentionDays` after the day of closure; erased on the day after.
    for (const caseId of await closedBefore(addCalendarDays(asOf, -retentionDays))) {
      try {
        await commands.eraseAfterRetention(caseId, retentionDays);
        run.erased += 1;
      } catch (e) {
        run.failed += 1;
        logger?.warn({ caseId, errName: (e as Error)?.name }, 'retention erasure not applied');
      }
    }
  }
}
