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

/**
 * The JSON text both stores keep for a payload or metadata value (`undefined` has no JSON form,
 * so it is kept as null). JSON.parse of this text re-serialises to the same text, which is why a
 * store that hands back parsed values (EventStoreDB's client) can still recompute the hash.
 */
export function storedJson(value: unknown): string {
  return JSON.stringify(value ?? null);
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

/** An event as the port reads it (`StoredEvent`, spelled out here so the port can import this module). */
export interface ReadEvent extends Omit<ChainedFields, 'data' | 'metadata'> {
  position: number;
  data: unknown;
  metadata: unknown;
  chain?: { prevHash: string; hash: string };
}

/** An event read through the port as its chain link: its values re-encoded as stored. */
export function linkOf(s: ReadEvent): ChainLink {
  return {
    streamId: s.streamId,
    revision: s.revision,
    position: s.position,
    id: s.id,
    type: s.type,
    data: storedJson(s.data),
    metadata: storedJson(s.metadata),
    createdAt: s.createdAt,
    prevHash: s.chain?.prevHash ?? null,
    hash: s.chain?.hash ?? null,
  };
}

/** The first link of a chain that does not hold, and why. */
export interface ChainBreak {
  streamId: string;
  revision: number;
  position: number;
  reason: 'content-changed' | 'predecessor-mismatch' | 'revision-gap' | 'missing-hash';
}

/** Where a stream's chain stands: what its next link must say. */
interface ChainState {
  prevHash: string;
  revision: number;
}

const chainStart = (): ChainState => ({ prevHash: GENESIS_HASH, revision: 0 });

/** Checks one link against its stream's state and moves the state on; answers the break, if it is one. */
function follow(state: ChainState, link: ChainLink): ChainBreak | null {
  const at = { streamId: link.streamId, revision: link.revision, position: link.position };
  if (link.hash === null || link.prevHash === null) return { ...at, reason: 'missing-hash' };
  if (link.revision !== state.revision) return { ...at, reason: 'revision-gap' };
  if (link.prevHash !== state.prevHash) return { ...at, reason: 'predecessor-mismatch' };
  if (eventHash(link.prevHash, link) !== link.hash) return { ...at, reason: 'content-changed' };
  state.prevHash = link.hash;
  state.revision += 1;
  return null;
}

/**
 * Checks one stream's links in revision order; answers the first that fails. An event whose
 * bytes changed fails `content-changed` at that event; an event removed or swapped breaks
 * the next one's `predecessor-mismatch` (or a `revision-gap`).
 */
export function firstBreak(links: Iterable<ChainLink>): ChainBreak | null {
  const state = chainStart();
  for (const link of links) {
    const broken = follow(state, link);
    if (broken !== null) return broken;
  }
  return null;
}

export interface ChainReport {
  /** Events and streams read. */
  events: number;
  streams: number;
  /** The earliest broken link by position, or null when every chain holds. */
  firstBreak: ChainBreak | null;
}

/**
 * Checks every stream's chain in one pass over links in log order (`EventStore.chainLinks`,
 * either adapter), keeping only each stream's state: a stream stops being checked at its
 * first break, and the report names the earliest break of all.
 */
export async function verifyChains(links: AsyncIterable<ChainLink> | Iterable<ChainLink>): Promise<ChainReport> {
  const streams = new Map<string, ChainState | 'broken'>();
  let events = 0;
  let earliest: ChainBreak | null = null;
  for await (const link of links) {
    events += 1;
    let state = streams.get(link.streamId);
    if (state === undefined) streams.set(link.streamId, (state = chainStart()));
    if (state === 'broken') continue;
    const broken = follow(state, link);
    if (broken === null) continue;
    streams.set(link.streamId, 'broken');
    if (earliest === null || broken.position < earliest.position) earliest = broken;
  }
  return { events, streams: streams.size, firstBreak: earliest };
}
