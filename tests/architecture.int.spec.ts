// The "may import" column of architecture.md, checked by `npm test` as well as `npm run lint`:
// runs dependency-cruiser with the same .dependency-cruiser.cjs over every source folder.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const folders = ['contracts', 'domain', 'projections', 'services', 'tests', 'bench'];

describe('architecture', () => {
  it('every import follows the folder rules of .dependency-cruiser.cjs', { timeout: 30_000 }, async () => {
    const options = await extractDepcruiseOptions(join(root, '.dependency-cruiser.cjs'));
    const tsConfig = extractTSConfig(join(root, 'tsconfig.json'));
    const present = folders.filter((folder) => existsSync(join(root, folder)));

    const { output } = await cruise(present, { ...options, baseDir: root }, undefined, { tsConfig });
    const result = output as ICruiseResult;

    const violations = result.summary.violations.map(
      (v) => `${v.rule.name}: ${v.from} -> ${v.cycle ? v.cycle.map((step) => step.name).join(' -> ') : v.to}`,
    );
    expect(violations).toEqual([]);
    // Guard against a silently empty cruise (wrong baseDir, bad globs).
    expect(result.summary.totalCruised).toBeGreaterThan(10);
  });
});
