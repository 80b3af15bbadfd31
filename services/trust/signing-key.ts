import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

/**
 * The deployment's Ed25519 key that signs case exports. Made once in the keys dir (owner-only),
 * so every replica sharing that dir signs with the same key; its public half is published at
 * `/.well-known/rrc-export-keys.json` and kept by whoever must verify an export offline.
 */
const KEY_FILE = 'export-signing-key.jwk';

type PrivateKey = Awaited<ReturnType<typeof importJWK>>;

export interface SigningKey {
  kid: string;
  privateKey: PrivateKey;
  publicJwk: JWK;
}

export async function loadSigningKey(keysDir: string): Promise<SigningKey> {
  const file = path.join(keysDir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(keysDir, { recursive: true, mode: 0o700 });
    const { privateKey } = await generateKeyPair('Ed25519', { extractable: true });
    try {
      writeFileSync(file, JSON.stringify(await exportJWK(privateKey)), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another replica made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    chmodSync(file, 0o600);
  }
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const { d: _private, ...publicPart } = jwk;
  const kid = await calculateJwkThumbprint(publicPart);
  const publicJwk: JWK = { ...publicPart, kid, alg: 'EdDSA', use: 'sig' };
  const privateKey = await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA');
  return { kid, privateKey, publicJwk };
}
