import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ThreadEvent, ThreadSide } from '../../contracts/index.ts';
import { decideMarkRead, foldThread, unreadFor } from '../../domain/index.ts';
import { evolveThreadRow, type ThreadRow } from './messages.ts';

const SIDES: readonly ThreadSide[] = ['destination', 'origin'];
const empty = (requestId: string): ThreadRow => ({
  case_id: 'c',
  request_id: requestId,
  from_destination: 0,
  from_origin: 0,
  destination_read: 0,
  origin_read: 0,
});

describe('the messages read model', () => {
  it('gives the unread counts the domain’s fold gives, for any sequence of posts and reads', () => {
    const step = fc.record({
      kind: fc.constantFrom('post', 'read'),
      side: fc.constantFrom(...SIDES),
      requestId: fc.constantFrom('q1', 'q2'),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const events: ThreadEvent[] = [];
        for (const s of steps) {
          if (s.kind === 'post') {
            const messageId = `msg${events.filter((e) => e.type === 'MessagePosted').length + 1}`;
            const data = { messageId, requestId: s.requestId, side: s.side, text: 't', sentAt: '2026-11-16T09:00:00Z' };
            events.push({ type: 'MessagePosted', data });
          } else {
            events.push(...decideMarkRead(foldThread(events), s.requestId, s.side));
          }
        }
        const rows = new Map<string, ThreadRow>();
        for (const e of events) {
          const id = e.data.requestId;
          rows.set(id, evolveThreadRow(rows.get(id) ?? empty(id), e));
        }
        const thread = foldThread(events);
        for (const requestId of ['q1', 'q2']) {
          const r = rows.get(requestId) ?? empty(requestId);
          expect(r.from_origin - r.destination_read).toBe(unreadFor(thread, requestId, 'destination'));
          expect(r.from_destination - r.origin_read).toBe(unreadFor(thread, requestId, 'origin'));
        }
      }),
      { numRuns: 300 },
    );
  });
});
