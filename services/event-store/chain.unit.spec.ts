import { describe, expect, it } from 'vitest';
import { eventHash, firstBreak, GENESIS_HASH, linkOf, storedJson, verifyChains, type ChainLink } from './chain.ts';

/** A stream's links built the way the stores build them: each hash over its fields and its predecessor's. */
function chain(streamId: string, n: number, firstPosition: number, step = 1): ChainLink[] {
  const links: ChainLink[] = [];
  let prevHash = GENESIS_HASH;
  for (let revision = 0; revision < n; revision += 1) {
    const fields = {
      streamId,
      revision,
      id: `${streamId}-${revision}`,
      type: 'Noted',
      data: storedJson({ revision, note: 'ciphertext:AAAA' }),
      metadata: storedJson({ schemaVersion: 1 }),
      createdAt: '2026-12-04T10:00:00.000Z',
    };
    const hash = eventHash(prevHash, fields);
    links.push({ ...fields, position: firstPosition + revision * step, prevHash, hash });
    prevHash = hash;
  }
  return links;
}

describe('hash chain', () => {
  it('hashes every stored field and the predecessor: changing any one changes the hash', () => {
    const [link] = chain('case-1', 1, 1);
    const base = eventHash(GENESIS_HASH, link!);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const variants = [
      { ...link!, streamId: 'case-2' },
      { ...link!, revision: 1 },
      { ...link!, id: 'other' },
      { ...link!, type: 'Other' },
      { ...link!, data: link!.data!.replace('AAAA', 'AAAB') },
      { ...link!, metadata: storedJson({ schemaVersion: 2 }) },
      { ...link!, createdAt: '2026-12-04T10:00:00.001Z' },
    ];
    for (const variant of variants) expect(eventHash(GENESIS_HASH, variant)).not.toBe(base);
    expect(eventHash('1'.repeat(64), link!)).not.toBe(base);
  });

  it('re-encodes what a store read back to the text it stored, null and undefined as "null"', () => {
    const value = { b: 1, a: [1.5, 'x', null], '1': true, nested: { s: 'é"\\' } };
    const text = storedJson(value);
    expect(storedJson(JSON.parse(text))).toBe(text);
    expect(storedJson(undefined)).toBe('null');
    const link = linkOf({
      streamId: 's',
      revision: 0,
      position: 7,
      id: 'e',
      type: 'T',
      data: JSON.parse(text),
      metadata: null,
      createdAt: 'now',
      chain: { prevHash: GENESIS_HASH, hash: 'h' },
    });
    expect(link).toMatchObject({ data: text, metadata: 'null', prevHash: GENESIS_HASH, hash: 'h', position: 7 });
    // An event the store keeps no link for reads as one without hashes (verify: missing-hash).
    expect(linkOf({ ...link, data: null, metadata: null })).toMatchObject({ prevHash: null, hash: null });
  });

  it('names the first broken link of a stream, and why', () => {
    expect(firstBreak(chain('s', 4, 1))).toBeNull();

    const edited = chain('s', 4, 1);
    edited[2] = { ...edited[2]!, data: edited[2]!.data!.replace('0', '9').replace('2', '3') };
    expect(firstBreak(edited)).toEqual({ streamId: 's', revision: 2, position: 3, reason: 'content-changed' });

    const removed = chain('s', 4, 1).filter((l) => l.revision !== 1);
    expect(firstBreak(removed)).toMatchObject({ revision: 2, reason: 'revision-gap' });

    // Swapped in from another stream, renumbered: its predecessor is not this stream's event.
    const swapped = chain('s', 3, 1);
    swapped[1] = { ...chain('s', 3, 1, 1)[1]!, prevHash: '1'.repeat(64) };
    expect(firstBreak(swapped)).toMatchObject({ revision: 1, reason: 'predecessor-mismatch' });

    const unlinked = chain('s', 3, 1);
    unlinked[1] = { ...unlinked[1]!, hash: null };
    expect(firstBreak(unlinked)).toMatchObject({ revision: 1, reason: 'missing-hash' });

    // A forged hash that does not cover the event's own bytes.
    const forged = chain('s', 2, 1);
    forged[1] = { ...forged[1]!, hash: eventHash(forged[1]!.prevHash!, { ...forged[1]!, data: '{}' }) };
    expect(firstBreak(forged)).toMatchObject({ revision: 1, reason: 'content-changed' });
  });

  it('verifies interleaved streams in log order and reports the earliest break by position', async () => {
    // Two streams interleaved by position (a: 1,3,5,7; b: 2,4,6,8), as a log is.
    const a = chain('a', 4, 1, 2);
    const b = chain('b', 4, 2, 2);
    const log = [...a, ...b].sort((x, y) => x.position - y.position);
    expect(await verifyChains(log)).toEqual({ events: 8, streams: 2, firstBreak: null });

    // Breaks in both streams: b at position 4, a at position 5; the earlier one is named, and a
    // stream is not checked past its own first break.
    const tampered = log.map((l) =>
      l.position === 4 || l.position === 5 || l.position === 7 ? { ...l, type: 'Forged' } : l,
    );
    expect(await verifyChains(tampered)).toEqual({
      events: 8,
      streams: 2,
      firstBreak: { streamId: 'b', revision: 1, position: 4, reason: 'content-changed' },
    });

    async function* asAsync() {
      yield* tampered
        .slice()
        .reverse()
        .filter((l) => l.streamId === 'a')
        .reverse();
    }
    expect((await verifyChains(asAsync())).firstBreak).toMatchObject({ streamId: 'a', revision: 2, position: 5 });
  });
});
