import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.ts';

/** The files rrc keeps in its data and keys dirs: secrets, keys and personal data, all of them. */
const RRC_FILE =
  /^(auth-secret|master\.key|export-signing-key\.jwk|(events|keys|read-models|webhooks)\.sqlite(-wal|-shm|-journal)?)$/;

/**
 * Owner-only: the data and keys dirs 0700 (made so, or tightened if an older version left
 * them open) and rrc's own files in them 0600. SQLite makes its files with the process umask
 * (0644 under the usual 022); the folder's mode is what keeps them from other users while they
 * are being made. Files that are not rrc's are left as they are. Every entry point that may
 * make a data dir calls it: `rrc serve` and `rrc demo seed`.
 */
export function restrictDataFiles(
  config: Pick<Config, 'dataDir' | 'keysDir'>,
  stage: 'dirs' | 'files',
  logger?: Pick<Logger, 'warn'>,
): void {
  for (const dir of new Set([config.dataDir, config.keysDir])) {
    if (stage === 'dirs') {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      try {
        chmodSync(dir, 0o700);
      } catch (e) {
        // A mount the service does not own (its mode is the operator's): say so, and go on.
        logger?.warn({ dir, errCode: (e as NodeJS.ErrnoException).code }, 'could not make the folder owner-only');
      }
    } else if (existsSync(dir)) {
      for (const f of readdirSync(dir, { withFileTypes: true }))
        if (f.isFile() && RRC_FILE.test(f.name)) chmodSync(path.join(dir, f.name), 0o600);
    }
  }
}
