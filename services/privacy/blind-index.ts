import { createHmac, hkdfSync } from 'node:crypto';
import type { Blind } from '../../projections/index.ts';
import type { Config } from '../config.ts';
import { loadMasterKey } from './key-store.ts';

/**
 * The blind index's keyed hash: HMAC-SHA-256 with a key derived (HKDF) from the master key, so
 * every replica that can open case keys computes the same entries, and the index is useless
 * to anyone holding the read-model file without that key.
 */
export function blindIndex(masterKey: Buffer): Blind {
  const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'rrc blind index v1', 32));
  return (value) => createHmac('sha256', key).update(value).digest('base64url');
}

export const blindIndexFor = (config: Pick<Config, 'keysDir' | 'masterKey'>): Blind =>
  blindIndex(loadMasterKey(config.keysDir, config.masterKey));
