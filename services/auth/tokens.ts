import { randomBytes, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify, SignJWT } from 'jose';
import { Claims, type Role } from '../../contracts/index.ts';
import type { Principal } from '../../domain/index.ts';
import type { Config } from '../config.ts';
import { claimMapping, mapClaims } from './claim-mapping.ts';

/**
 * Bearer tokens. Three ways to trust them, chosen by configuration:
 * - `RRC_AUTH_SECRET`: HS256 with that secret;
 * - `RRC_AUTH_JWKS_URL` (+ issuer, audience): an OIDC provider's published keys;
 * - neither: a secret made once in the data dir, which `rrc token` also reads.
 * The accepted algorithms are pinned per mode, so `alg: none` and HS/RS confusion fail.
 */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

export class InvalidTokenError extends Error {
  readonly status = 401;
}

const SECRET_FILE = 'auth-secret';
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** The data dir's secret, made on first use with owner-only permissions. */
export function dataDirSecret(dataDir: string): Uint8Array {
  const file = path.join(dataDir, SECRET_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

export function hmacSecret(config: Pick<Config, 'auth' | 'dataDir'>): Uint8Array {
  return config.auth.secret ? new TextEncoder().encode(config.auth.secret) : dataDirSecret(config.dataDir);
}

/**
 * A subject is an opaque id (OIDC Core §2: at most 255 characters), stored as the actor of
 * every event and read the caller records and hashed with idempotency keys (`sub NUL key`):
 * no blank, no surrounding white space, no control or format characters.
 */
const SUBJECT = /^(?![\s])[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]{1,255}(?<![\s])$/u;

function toPrincipal(payload: unknown): Principal {
  const parsed = Claims.safeParse(payload);
  if (!parsed.success || !SUBJECT.test(parsed.data.sub))
    throw new InvalidTokenError('The token lacks the claims rrc needs (sub, roles, state, exp).');
  return { sub: parsed.data.sub, roles: parsed.data.roles, state: parsed.data.state };
}

/** How many verified tokens a verifier remembers (see `createTokenVerifier`). */
const VERIFIED_CACHE_SIZE = 10_000;

export function createTokenVerifier(config: Pick<Config, 'auth' | 'dataDir'>): TokenVerifier {
  const { jwksUrl, issuer, audience } = config.auth;
  const options = {
    requiredClaims: ['exp'],
    ...(issuer ? { issuer } : {}),
    ...(audience ? { audience } : {}),
  };
  if (jwksUrl && !config.auth.secret) {
    // Without both, any token the provider signs for any of its clients would sign in here.
    if (!issuer) throw new Error('RRC_AUTH_JWKS_URL needs RRC_AUTH_ISSUER (the provider’s issuer).');
    if (!audience) throw new Error('RRC_AUTH_JWKS_URL needs RRC_AUTH_AUDIENCE (the audience of rrc’s tokens).');
    const keys = createRemoteJWKSet(new URL(jwksUrl));
    // A provider's names for roles and State are mapped to rrc's (RRC_AUTH_ROLES_CLAIM, …).
    const mapping = claimMapping(config.auth);
    return {
      async verify(token) {
        try {
          const { payload } = await jwtVerify(token, keys, { ...options, algorithms: ASYMMETRIC });
          return toPrincipal(mapping ? mapClaims(payload, mapping) : payload);
        } catch (e) {
          if (e instanceof InvalidTokenError) throw e;
          throw new InvalidTokenError('The token is invalid or expired.');
        }
      },
    };
  }
  // HS256 with a fixed secret: the key is imported once (jose would import a raw secret on
  // every call), and a token that verified is remembered until it expires, so a client's
  // requests (and the rate limiter and the auth hook of one request) verify it once. The
  // outcome of a verification depends only on the token, the secret and the clock, and the
  // clock (exp, nbf) is checked again on every use.
  const secret = hmacSecret(config);
  let cryptoKey: Promise<webcrypto.CryptoKey> | undefined;
  const verified = new Map<string, { principal: Principal; exp: number; nbf: number | undefined }>();
  return {
    async verify(token) {
      const now = Math.floor(Date.now() / 1000);
      const known = verified.get(token);
      if (known && now < known.exp && (known.nbf === undefined || known.nbf <= now)) {
        return { ...known.principal, roles: [...known.principal.roles] };
      }
      verified.delete(token);
      try {
        cryptoKey ??= webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
        const { payload } = await jwtVerify(token, await cryptoKey, { ...options, algorithms: ['HS256'] });
        const principal = toPrincipal(payload);
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
        verified.set(token, { principal, exp: payload.exp!, nbf: payload.nbf });
        return { ...principal, roles: [...principal.roles] };
      } catch (e) {
        if (e instanceof InvalidTokenError) throw e;
        throw new InvalidTokenError('The token is invalid or expired.');
      }
    },
  };
}

/** `8h`, `30m`, `2d`, `90s` → seconds. */
export function parseTtl(ttl: string): number {
  const m = /^(\d+)([smhd])$/.exec(ttl.trim());
  if (!m) throw new Error(`not a duration: ${ttl} (use e.g. 30m, 8h, 2d)`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

export interface TokenRequest {
  sub: string;
  roles: Role[];
  state?: string | undefined;
  ttlSeconds: number;
}

/** Signs an HS256 token the server with the same secret accepts. */
export async function signToken(secret: Uint8Array, req: TokenRequest, now = new Date()): Promise<string> {
  const claims = Claims.parse({
    sub: req.sub,
    roles: req.roles,
    ...(req.state ? { state: req.state } : {}),
    exp: Math.floor(now.getTime() / 1000) + req.ttlSeconds,
  });
  return new SignJWT({ roles: claims.roles, ...(claims.state ? { state: claims.state } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(claims.exp)
    .sign(secret);
}
