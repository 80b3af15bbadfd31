import { EVENT_VERSIONS } from '../../contracts/events.ts';

/**
 * Upcasting: stored events keep the payload shape they were written with (history is never
 * rewritten); on read, each older payload is lifted one version at a time to the current shape
 * (`EVENT_VERSIONS`). A stored event's version is its metadata's `schemaVersion`.
 */

/** Lifts a payload from `fromVersion` to `fromVersion + 1`. Must be pure: return a new value. */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast: (data: unknown) => unknown;
}

export interface UpcasterRegistry {
  /** The payload in the current shape of `type`. */
  upcast(type: string, version: number, data: unknown): unknown;
  /** The same, with the version reached (the current one, or `version` for a type with no version). */
  upcastWithVersion(type: string, version: number, data: unknown): { data: unknown; version: number };
}

/**
 * The production table. Empty while every payload is at v1. When a payload changes: bump its
 * `EVENT_VERSIONS` entry, change its schema, and add the step from the old version here, e.g.
 * `{ type: 'ObstacleRecorded', fromVersion: 1, upcast: (d) => ({ ...(d as object), automatic: false }) }`.
 */
export const UPCASTERS: readonly Upcaster[] = [];

/**
 * Builds a registry from a table of steps, checked up front so a gap or a typo fails at start-up
 * rather than on the first old event read in production.
 */
export function createUpcasterRegistry(
  upcasters: readonly Upcaster[],
  currentVersions: Readonly<Record<string, number>> = EVENT_VERSIONS,
): UpcasterRegistry {
  const steps = new Map<string, Upcaster['upcast']>();
  for (const u of upcasters) {
    const current = currentVersions[u.type];
    if (current === undefined) throw new Error(`upcaster for unknown event type ${u.type}`);
    if (!Number.isSafeInteger(u.fromVersion) || u.fromVersion < 0 || u.fromVersion >= current) {
      throw new Error(`upcaster ${u.type} v${u.fromVersion} must start below the current version v${current}`);
    }
    const key = stepKey(u.type, u.fromVersion);
    if (steps.has(key)) throw new Error(`two upcasters for ${u.type} v${u.fromVersion}`);
    steps.set(key, u.upcast);
  }

  const upcastWithVersion: UpcasterRegistry['upcastWithVersion'] = (type, version, data) => {
    if (!Number.isSafeInteger(version) || version < 0) throw new Error(`${type}: invalid schema version ${version}`);
    const current = currentVersions[type];
    // A type this build has no schema for is passed through untouched, not guessed at.
    if (current === undefined) return { data, version };
    if (version > current) {
      throw new Error(`${type} v${version} was written by a newer rrc (this one knows up to v${current})`);
    }
    let value = data;
    for (let v = version; v < current; v += 1) {
      const step = steps.get(stepKey(type, v));
      if (step === undefined) throw new Error(`no upcaster for ${type} v${v} -> v${v + 1}`);
      value = step(value);
    }
    return { data: value, version: current };
  };

  return {
    upcastWithVersion,
    upcast: (type, version, data) => upcastWithVersion(type, version, data).data,
  };
}

/** The registry production code uses. */
export const defaultUpcasters: UpcasterRegistry = createUpcasterRegistry(UPCASTERS);

function stepKey(type: string, fromVersion: number): string {
  return `${type}@${fromVersion}`;
}
