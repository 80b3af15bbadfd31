import { FlattenedSign, flattenedVerify, createLocalJWKSet, type FlattenedJWS, type JSONWebKeySet } from 'jose';
import { type CHAIN_VERSION, firstBreak, linkOf, type ChainBreak, type ChainLink } from '../event-store/chain.ts';
import type { StoredEvent } from '../event-store/port.ts';
import type { SigningKey } from './signing-key.ts';

/**
 * A case's history as stored, signed by the deployment: a JWS (flattened JSON serialization,
 * EdDSA over Ed25519) whose payload lists every event of the case's stream with the bytes
 * as stored (personal fields are ciphertext) and its hash-chain link. Offline, anyone with
 * the published key checks the signature and recomputes every hash (`rrc verify-export`).
 */
export const EXPORT_FORMAT = 'rrc-case-export-1';

export interface ExportedEvent {
  streamId: string;
  revision: number;
  position: number;
  id: string;
  type: string;
  /** The stored JSON text, byte for byte. */
  data: string | null;
  metadata: string | null;
  createdAt: string;
  prevHash: string | null;
  hash: string | null;
}

export interface CaseExport {
  format: typeof EXPORT_FORMAT;
  chain: typeof CHAIN_VERSION;
  caseId: string;
  exportedAt: string;
  exportedBy: { sub: string; role: string };
  events: ExportedEvent[];
}

/** Both stores keep JSON written by JSON.stringify, which reads back and re-serialises to the same text. */
export function exportedEvent(s: StoredEvent): ExportedEvent {
  return linkOf(s);
}

export async function signExport(body: CaseExport, key: SigningKey): Promise<FlattenedJWS> {
  return new FlattenedSign(new TextEncoder().encode(JSON.stringify(body)))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'rrc-case-export+jws' })
    .sign(key.privateKey);
}

export type ExportCheck =
  | { ok: true; export: CaseExport }
  | { ok: false; reason: 'signature'; detail: string }
  | { ok: false; reason: 'chain'; export: CaseExport; broken: ChainBreak };

/** Checks the signature against the published keys, then the case's hash chain. */
export async function verifyExport(jws: FlattenedJWS, keys: JSONWebKeySet): Promise<ExportCheck> {
  let payload: Uint8Array;
  try {
    ({ payload } = await flattenedVerify(jws, createLocalJWKSet(keys), { algorithms: ['EdDSA'] }));
  } catch (error) {
    return { ok: false, reason: 'signature', detail: (error as Error).message };
  }
  const body = JSON.parse(new TextDecoder().decode(payload)) as CaseExport;
  const broken = firstBreak(body.events as ChainLink[]);
  return broken === null ? { ok: true, export: body } : { ok: false, reason: 'chain', export: body, broken };
}
