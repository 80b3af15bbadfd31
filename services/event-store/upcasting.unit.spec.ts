import { describe, expect, it } from 'vitest';
import { EVENT_VERSIONS, caseEventSchemas } from '../../contracts/events.ts';
import { createUpcasterRegistry, defaultUpcasters, type Upcaster } from './upcasting.ts';

// A hypothetical v0 of ObstacleRecorded, before obstacles knew whether the deadline service
// opened them: only in this spec, so the production table stays empty.
const obstacleV0toV1: Upcaster = {
  type: 'ObstacleRecorded',
  fromVersion: 0,
  upcast: (data) => ({ ...(data as Record<string, unknown>), automatic: false }),
};

const storedV0 = { obstacleId: 'o-1', type: 'no-reply', openedOn: '2026-03-02', note: 'no answer from liaison' };

describe('upcasting', () => {
  it('lifts an old payload to the current shape, which the current schema accepts', () => {
    const registry = createUpcasterRegistry([obstacleV0toV1]);
    const { data, version } = registry.upcastWithVersion('ObstacleRecorded', 0, storedV0);
    expect(version).toBe(EVENT_VERSIONS.ObstacleRecorded);
    expect(data).toEqual({ ...storedV0, automatic: false });
    expect(caseEventSchemas.ObstacleRecorded.parse(data)).toEqual(data);
    expect(registry.upcast('ObstacleRecorded', 0, storedV0)).toEqual(data);
  });

  it('leaves a current payload alone and does not touch the stored value', () => {
    const registry = createUpcasterRegistry([obstacleV0toV1]);
    const current = { ...storedV0, automatic: true };
    expect(registry.upcast('ObstacleRecorded', 1, current)).toBe(current);
    registry.upcast('ObstacleRecorded', 0, storedV0);
    expect(storedV0).not.toHaveProperty('automatic');
  });

  it('applies steps in order across several versions', () => {
    const versions = { Thing: 3 };
    const registry = createUpcasterRegistry(
      [
        { type: 'Thing', fromVersion: 2, upcast: (d) => ({ ...(d as object), c: 'from v2' }) },
        { type: 'Thing', fromVersion: 1, upcast: (d) => ({ ...(d as object), b: 'from v1' }) },
      ],
      versions,
    );
    expect(registry.upcastWithVersion('Thing', 1, { a: 1 })).toEqual({
      data: { a: 1, b: 'from v1', c: 'from v2' },
      version: 3,
    });
  });

  it('refuses what it cannot do rather than guess', () => {
    const registry = createUpcasterRegistry([], { Thing: 2 });
    expect(() => registry.upcast('Thing', 1, {})).toThrow(/no upcaster for Thing v1 -> v2/);
    expect(() => registry.upcast('Thing', 3, {})).toThrow(/newer rrc/);
    expect(registry.upcast('Unknown', 7, { x: 1 })).toEqual({ x: 1 });
  });

  it('checks the table when it is built', () => {
    expect(() => createUpcasterRegistry([{ ...obstacleV0toV1, type: 'ObstacleRecordd' }])).toThrow(
      /unknown event type/,
    );
    expect(() => createUpcasterRegistry([{ ...obstacleV0toV1, fromVersion: 1 }])).toThrow(/below the current version/);
    expect(() => createUpcasterRegistry([obstacleV0toV1, obstacleV0toV1])).toThrow(/two upcasters/);
  });

  it('ships an empty production table: every event is at its current version', () => {
    for (const [type, version] of Object.entries(EVENT_VERSIONS)) {
      expect(defaultUpcasters.upcastWithVersion(type, version, { same: true })).toEqual({
        data: { same: true },
        version,
      });
    }
  });
});
