import { PERSONAL_FIELDS } from '../contracts/index.ts';
import type { EventCodec } from '../services/commands/event-codec.ts';
import { CASE_STREAM_PREFIX, type EventStore, type StoredEvent } from '../services/event-store/port.ts';
import { open, seal } from '../services/privacy/key-store.ts';
import { extractPersonal, injectPersonal } from '../services/privacy/personal-fields.ts';

/**
 * The event codec's cost per event, on real seeded events (the first `sample` case events of
 * the log, their keys already cached): whole `encode`/`decode`, and their parts: the personal
 * fields' path extraction and injection, and AES-256-GCM alone.
 */
export interface CodecFigures {
  events: number;
  /** Microseconds per event. */
  encodeUs: number;
  decodeUs: number;
  extractUs: number;
  injectUs: number;
  sealUs: number;
  openUs: number;
}

export async function measureCodec(store: EventStore, codec: EventCodec, sample = 20_000): Promise<CodecFigures> {
  const stored: StoredEvent[] = [];
  for (let after = 0; stored.length < sample;) {
    const page = await store.readAll({ after, streamPrefixes: [CASE_STREAM_PREFIX], limit: 1000 });
    stored.push(...page);
    if (page.length < 1000) break;
    after = page[page.length - 1]!.position;
  }
  const caseOf = (s: StoredEvent) => s.streamId.slice(CASE_STREAM_PREFIX.length);
  // Warm: keys into the cache, code into the JIT.
  const decoded = stored.map((s) => codec.decode(s));
  const time = (work: () => void, rounds = 3): number => {
    work();
    const started = performance.now();
    for (let r = 0; r < rounds; r++) work();
    return ((performance.now() - started) * 1000) / (rounds * stored.length);
  };
  const decodeUs = time(() => {
    for (const s of stored) codec.decode(s);
  });
  const encodeUs = time(() => {
    stored.forEach((s, i) => {
      const { event, metadata } = decoded[i]!;
      codec.encode(event, metadata, caseOf(s));
    });
  });
  const personal = decoded.map(({ event }) => {
    const paths = PERSONAL_FIELDS[event.type as keyof typeof PERSONAL_FIELDS];
    return paths ? { paths, ...extractPersonal(event.data, paths) } : undefined;
  });
  const extractUs = time(() => {
    decoded.forEach(({ event }, i) => {
      const p = personal[i];
      if (p) extractPersonal(event.data, p.paths);
    });
  });
  const injectUs = time(() => {
    for (const p of personal) if (p) injectPersonal(p.clear, p.personal);
  });
  const key = Buffer.alloc(32, 7);
  const plain = personal.map((p) => (p ? Buffer.from(JSON.stringify(p.personal)) : undefined));
  const sealed = plain.map((b) => (b ? seal(key, b) : undefined));
  const sealUs = time(() => {
    for (const b of plain) if (b) seal(key, b);
  });
  const openUs = time(() => {
    for (const b of sealed) if (b) open(key, b);
  });
  return { events: stored.length, encodeUs, decodeUs, extractUs, injectUs, sealUs, openUs };
}
