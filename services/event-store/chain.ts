import { createHash } from 'node:crypto';

/**
 * Tamper evidence: every stored event carries the hash of its predecessor in its stream and
 * its own hash, over the bytes as stored (personal fields are ciphertext there, so erasure,
 * which destroys keys and rewrites nothing, keeps every chain whole).
 *
 * An event's hash is SHA-256 over a JSON array of its stored fields and its predecessor's
 * hash: a JSON array of strings and numbers is an unambiguous encoding, and anyone can
 * recompute it from an export with any JSON library.
 */
export const CHAIN_VERSION = 'rrc-chain-1';
/** The predecessor hash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  streamId: string;
  revision: number;
  id: string;
  type: string;
  /** The stored JSON text of the payload and metadata, byte for byte. */
  data: string | null;
  metadata: string | null;
  createdAt: string;
}

export function eventHash(prevHash: string, e: ChainedFields): string {
  const fields = [CHAIN_VERSION, prevHash, e.streamId, e.revision, e.id, e.type, e.data, e.metadata, e.createdAt];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export interface ChainLink extends ChainedFields {
  position: number;
  prevHash: string | null;
  hash: string | null;
}

/** The first link of a chain that does not hold, and why. */
export interface ChainBreak {
  streamId: string;
  revision: number;
  position: number;
  reason: 'content-changed' | 'predecessor-mismatch' | 'revision-gap' | 'missing-hash';
}

/**
 * Checks one stream's links in revision order; answers the first that fails. An event whose
 * bytes changed fails `content-changed` at that event; an event removed or swapped breaks
 * the next one's `predecessor-mismatch` (or a `revision-gap`).
 */
export function firstBreak(links: Iterable<ChainLink>): ChainBreak | null {
  let expectedPrev = GENESIS_HASH;
  let expectedRevision = 0;
  for (const link of links) {
    const at = { streamId: link.streamId, revision: link.revision, position: link.position };
    if (link.hash === null || link.prevHash === null) return { ...at, reason: 'missing-hash' };
    if (link.revision !== expectedRevision) return { ...at, reason: 'revision-gap' };
    if (link.prevHash !== expectedPrev) return { ...at, reason: 'predecessor-mismatch' };
    if (eventHash(link.prevHash, link) !== link.hash) return { ...at, reason: 'content-changed' };
    expectedPrev = link.hash;
    expectedRevision += 1;
  }
  return null;
}
