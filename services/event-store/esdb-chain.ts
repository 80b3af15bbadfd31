import { CHAIN_VERSION, eventHash, storedJson } from './chain.ts';
import type { NewEvent } from './port.ts';

/**
 * The hash chain on EventStoreDB. Events there cannot carry extra columns, so each event's
 * link travels in its metadata, beside the caller's metadata:
 *
 *   {"chain":"rrc-chain-1","prevHash":"…","hash":"…","createdAt":"…","metadata":<caller's metadata>}
 *
 * The hash (chain.ts `eventHash`) covers everything sent except itself: stream, revision, id,
 * type, the data bytes (the client sends `JSON.stringify(data)`, which is `storedJson`), the
 * caller's metadata as embedded here, the predecessor's hash and `createdAt`. `createdAt` is
 * stamped by the adapter, as the SQLite store stamps its column, because the server's own
 * `created` is only known after the write.
 */
export interface ChainedEvent {
  id: string;
  type: string;
  data: unknown;
  /** The metadata bytes to send, exactly (the client passes a Uint8Array through untouched). */
  metadata: Uint8Array;
  prevHash: string;
  hash: string;
}

/** Links `events` onto a stream whose event before them is `prevHash` at `firstRevision - 1`. */
export function chainEvents(
  streamId: string,
  firstRevision: number,
  prevHash: string,
  events: readonly NewEvent[],
  createdAt: string,
): ChainedEvent[] {
  let previous = prevHash;
  return events.map((event, i) => {
    const data = event.data ?? null;
    const metadata = event.metadata ?? null;
    const hash = eventHash(previous, {
      streamId,
      revision: firstRevision + i,
      id: event.id,
      type: event.type,
      data: storedJson(data),
      metadata: storedJson(metadata),
      createdAt,
    });
    const envelope: ChainEnvelope = { chain: CHAIN_VERSION, prevHash: previous, hash, createdAt, metadata };
    const chained = {
      id: event.id,
      type: event.type,
      data,
      metadata: encodeText(JSON.stringify(envelope)),
      prevHash: previous,
      hash,
    };
    previous = hash;
    return chained;
  });
}

interface ChainEnvelope {
  chain: typeof CHAIN_VERSION;
  prevHash: string;
  hash: string;
  createdAt: string;
  metadata: unknown;
}

/** What an event's stored metadata says once the link is taken out of it. */
export interface Unsealed {
  metadata: unknown;
  /** The adapter's stamp; absent for an event written without a link (before chains, or around rrc). */
  createdAt?: string;
  chain?: { prevHash: string; hash: string };
}

/**
 * Takes the link out of metadata as the client read it (parsed JSON, or the raw bytes when they
 * are not JSON). Metadata that is not an envelope is the caller's own, unlinked.
 */
export function unsealMetadata(stored: unknown): Unsealed {
  if (!isEnvelope(stored)) return { metadata: stored ?? null };
  return {
    metadata: stored.metadata,
    createdAt: stored.createdAt,
    chain: { prevHash: stored.prevHash, hash: stored.hash },
  };
}

function isEnvelope(value: unknown): value is ChainEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v['chain'] === CHAIN_VERSION &&
    typeof v['prevHash'] === 'string' &&
    typeof v['hash'] === 'string' &&
    typeof v['createdAt'] === 'string' &&
    'metadata' in v
  );
}

/** A plain Uint8Array (not a Buffer): the client sends metadata as bytes only when its constructor is Uint8Array. */
function encodeText(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
