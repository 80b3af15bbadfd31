/**
 * What a case's script is made of: who acts, the simulated time it waits on, and commands sent
 * through the real command path with every refusal counted (a refusal is a generator bug).
 */
import type {
  ActionBody,
  ActionName,
  AgreementTerms,
  CaseCommand,
  ObstacleType,
  Outcome,
} from '../../contracts/index.ts';
import { addCalendarDays, type CaseData, type Principal } from '../../domain/index.ts';
import { type Dice, type Simulation } from './simulation.ts';
import type { AgreementService } from '../commands/agreements.ts';
import type { CaseCommands } from '../commands/case-commands.ts';
import type { CaseRepository } from '../commands/case-repository.ts';
import {
  type Destination,
  type OriginProfile,
  type Origin,
  DESTINATIONS,
  ORIGINS,
  NOTE,
  type Fate,
  FATES,
  DAY,
} from './world.ts';

/** What a seeding run drives: the real command path, agreements, the repository and deadlines. */
export interface SeedTarget {
  commands: CaseCommands;
  agreements: AgreementService;
  repository: CaseRepository;
  /** The deadline service (runs once at the start of every simulated day). */
  deadlines: { runOnce(): Promise<unknown> };
}

export interface Stats {
  commands: number;
  failures: number;
  failureSamples: string[];
  outcomes: Record<string, number>;
  obstacles: Record<string, number>;
  aborts: Record<string, number>;
  fail(what: string): void;
}

export const bump = (m: Record<string, number>, k: string) => {
  m[k] = (m[k] ?? 0) + 1;
};

/** Stops a case's script (it was closed, or a command it needed was refused). */
export class Stop extends Error {}

export abstract class ScriptSteps {
  readonly destination: Destination;
  readonly origin: Origin;
  readonly profile: OriginProfile;
  readonly cw: Principal;
  readonly liaison: Principal;
  readonly monitor: Principal = { sub: 'demo-monitor-1', roles: ['monitor'] };
  readonly fate: Fate;
  /** The stage (0 to 3) at which a fate other than `normal` strikes. */
  readonly fateStage: number;
  caseId = '';
  children: string[] = [];
  hasPassport = false;
  healthNote = false;
  attempts = 0;

  constructor(
    protected readonly target: SeedTarget,
    protected readonly sim: Simulation,
    protected readonly d: Dice,
    protected readonly stats: Stats,
    protected readonly seed: number,
    protected readonly index: number,
    protected readonly agreements: Record<string, { agreementId: string; terms: AgreementTerms }>,
  ) {
    this.destination = d.weighted(DESTINATIONS);
    this.origin = d.weighted<string>(Object.fromEntries(Object.entries(ORIGINS).map(([k, p]) => [k, p.weight])));
    this.profile = ORIGINS[this.origin]!;
    this.cw = {
      sub: `demo-caseworker-${this.destination.toLowerCase()}`,
      roles: ['caseworker'],
      state: this.destination,
    };
    this.liaison = { sub: `demo-liaison-${this.origin.toLowerCase()}`, roles: ['liaison'], state: this.origin };
    this.fate = d.weighted(FATES);
    this.fateStage = d.int(0, 3);
  }

  // --- time -----------------------------------------------------------------------------

  get today(): string {
    return new Date(this.sim.now).toISOString().slice(0, 10);
  }
  get nowIso(): string {
    return new Date(this.sim.now).toISOString();
  }
  /** Waits `days` days, to a working hour of that day. */
  async later(days: number, hourFrom = 8, hourTo = 16): Promise<void> {
    const date = addCalendarDays(this.today, days);
    await this.on(date, hourFrom, hourTo);
  }
  async on(date: string, hourFrom = 8, hourTo = 16): Promise<void> {
    const minutes = this.d.int(hourFrom * 60, hourTo * 60);
    await this.sim.sleepUntil(Date.parse(`${date}T00:00:00Z`) + minutes * 60_000);
  }
  async minutes(n: number): Promise<void> {
    await this.sim.sleepUntil(this.sim.now + n * 60_000);
  }

  // --- commands -------------------------------------------------------------------------

  async act<A extends ActionName>(who: Principal, action: A, body: ActionBody<A>): Promise<Record<string, string>> {
    this.stats.commands += 1;
    try {
      const answer = await this.target.commands.execute(who, this.caseId, { action, body } as CaseCommand);
      return answer.created;
    } catch (e) {
      const err = e as Error & { rules?: string[]; errors?: { path: string; message: string }[] };
      const why = err.rules?.join(',') ?? err.errors?.map((x) => `${x.path}: ${x.message}`).join(';') ?? err.message;
      this.stats.fail(`${action} (${this.origin}, case ${this.index}, ${this.today}): ${why}`);
      throw new Stop(action);
    }
  }
  async state(): Promise<{ status: string; data: CaseData }> {
    const loaded = await this.target.repository.load(this.caseId);
    return { status: loaded.state.status, data: loaded.state.data! };
  }
  async obstacle(type: ObstacleType): Promise<string> {
    bump(this.stats.obstacles, type);
    const created = await this.act(this.cw, 'record-obstacle', { type, openedOn: this.today, note: NOTE });
    return created.obstacleId!;
  }
  async resolveOpenObstacles(): Promise<void> {
    const { data } = await this.state();
    for (const o of data.obstacles.filter((x) => x.resolvedOn === undefined)) {
      await this.act(this.cw, 'resolve-obstacle', { obstacleId: o.obstacleId, resolvedOn: this.today, note: NOTE });
    }
  }
  async close(outcome: Exclude<Outcome, 'returned' | 'departed-voluntarily' | 'protection-granted'>): Promise<never> {
    await this.resolveOpenObstacles();
    await this.act(this.cw, 'close-case', { outcome, reasons: NOTE });
    bump(this.stats.outcomes, outcome);
    throw new Stop('closed');
  }
  /** A fate (death, withdrawal, a permit) strikes at the stage it was drawn for. */
  async fateAt(stage: number): Promise<void> {
    if (this.fate !== 'normal' && this.fateStage === stage) {
      await this.later(this.d.int(1, 20));
      await this.close(this.fate);
    }
  }
}

export const daysUntil = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / DAY);

/** An instant written in the origin State's offset (as a handover there would be recorded). */
export function localInstant(at: number, offset: string): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number) as [number, number];
  const local = new Date(at + sign * (h * 60 + m) * 60_000).toISOString().slice(0, 19);
  return `${local}${offset}`;
}
