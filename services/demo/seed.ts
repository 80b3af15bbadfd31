import type { AgreementTerms } from '../../contracts/index.ts';
import type { Principal } from '../../domain/index.ts';
import { Dice, rng, seedOf, Simulation, type SimClock } from './simulation.ts';
import { DESTINATIONS, ORIGINS, EVIDENCE, DAY } from './world.ts';
import type { SeedTarget, Stats } from './script-steps.ts';
import { CaseScript } from './case-script.ts';

export type { SeedTarget } from './script-steps.ts';

/**
 * Synthetic data through the real command path: `npx rrc demo seed --cases N`, the benchmark
 * and the projection specs use it. Everyone is invented ("Demo" names from small pools, a
 * "Synthetic demo" note on every free text): no real person's data. Cases are opened over a
 * span of days by caseworkers of DE, FR and NL, with requests to PK, MA, GE, NG and IQ under
 * agreements with different terms, and walk realistic lifecycles while a simulated clock
 * moves and the real deadline service turns elapsed deadlines into events. Every outcome,
 * every obstacle type, every abort reason and the safeguard paths (children, escorted removals
 * with monitors, use of force, critical concerns) occur. Deterministic for a given seed.
 */

export interface SeedOptions {
  cases: number;
  seed?: number;
  /** The first simulated day (`YYYY-MM-DD`). */
  start?: string;
  /** Days over which cases are opened (default: about 30 cases a day, 14 to 365 days). */
  openingDays?: number;
  /** Days simulated after the last case opened (cases still under way then stay open). */
  tailDays?: number;
  onProgress?: (progress: { day: string; opened: number; total: number }) => void;
}

export interface SeedResult {
  cases: number;
  commands: number;
  /** Commands the domain refused or found invalid: a generator bug when not 0. */
  failures: number;
  failureSamples: string[];
  from: string;
  to: string;
  agreements: { originState: string; agreementId: string; title: string }[];
  outcomes: Record<string, number>;
  obstacles: Record<string, number>;
  aborts: Record<string, number>;
  ms: number;
}

// ---------------------------------------------------------------------------------------

export async function seedDemo(target: SeedTarget, clock: SimClock, options: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const seed = options.seed ?? 1;
  const start = options.start ?? '2025-01-06';
  const total = options.cases;
  const openingDays = options.openingDays ?? Math.min(365, Math.max(14, Math.ceil(total / 30)));
  const tailDays = options.tailDays ?? 45;
  const t0 = Date.parse(`${start}T00:05:00Z`);
  const end = t0 + (openingDays + tailDays) * DAY;
  const sim = new Simulation(clock, t0);
  const stats: Stats = {
    commands: 0,
    failures: 0,
    failureSamples: [],
    outcomes: {},
    obstacles: {},
    aborts: {},
    fail(what) {
      this.failures += 1;
      if (this.failureSamples.length < 20) this.failureSamples.push(what);
    },
  };

  // Agreements, concluded by an admin on the first morning.
  const admin: Principal = { sub: 'demo-admin', roles: ['admin'] };
  const agreements: Record<string, { agreementId: string; terms: AgreementTerms }> = {};
  for (const [origin, profile] of Object.entries(ORIGINS)) {
    const terms: AgreementTerms = {
      ...profile.terms,
      destinationStates: Object.keys(DESTINATIONS),
      originState: origin,
      inForceFrom: '2010-01-01',
      inForceUntil: null,
      evidence: EVIDENCE,
    };
    const { agreementId } = await target.agreements.conclude(admin, terms);
    agreements[origin] = { agreementId, terms };
  }

  let opened = 0;
  for (let i = 0; i < total; i++) {
    const dice = new Dice(rng(seedOf(seed, i)));
    const day = Math.floor((i * openingDays) / total);
    const at = t0 + day * DAY + (8 * 60 + dice.int(0, 8 * 60)) * 60_000;
    sim.spawn(
      at,
      async () => {
        opened += 1;
        await new CaseScript(target, sim, dice, stats, seed, i, agreements).run();
      },
      (e) => stats.fail(`case ${i}: ${(e as Error).message}`),
    );
  }

  await sim.run(end, async (day) => {
    await target.deadlines.runOnce();
    options.onProgress?.({ day, opened, total });
  });

  return {
    cases: total,
    commands: stats.commands,
    failures: stats.failures,
    failureSamples: stats.failureSamples,
    from: start,
    to: new Date(end).toISOString().slice(0, 10),
    agreements: Object.entries(agreements).map(([originState, a]) => ({
      originState,
      agreementId: a.agreementId,
      title: a.terms.title,
    })),
    outcomes: stats.outcomes,
    obstacles: stats.obstacles,
    aborts: stats.aborts,
    ms: Date.now() - started,
  };
}
