import { describe, expect, it } from 'vitest';
import type { ThreadEvent } from '../contracts/index.ts';
import {
  caseHasRequest,
  decideMarkRead,
  decidePostMessage,
  foldThread,
  threadPostAccess,
  threadReadAccess,
  unreadFor,
  type Principal,
} from './index.ts';

const c = { destinationState: 'DE', originState: 'PK', requestCount: 2 };
const who = (roles: Principal['roles'], state?: string): Principal => ({ sub: 'x', roles, state });
const NOW = new Date('2026-11-16T09:00:00Z');
const posted = (messageId: string, requestId: string, side: 'destination' | 'origin'): ThreadEvent => ({
  type: 'MessagePosted',
  data: { messageId, requestId, side, text: 'hello', sentAt: NOW.toISOString() },
});

describe('who may read and write a request’s thread', () => {
  it('lets the destination caseworker and the origin liaison write, each for its side', () => {
    expect(threadPostAccess(who(['caseworker'], 'DE'), c, 'q1')).toMatchObject({ ok: true, side: 'destination' });
    expect(threadPostAccess(who(['liaison'], 'PK'), c, 'q2')).toMatchObject({ ok: true, side: 'origin' });
  });

  it('answers 403 to roles that know of the case but do not write, 404 to those that may not know of it', () => {
    expect(threadPostAccess(who(['monitor']), c, 'q1')).toMatchObject({ ok: false, status: 403 });
    expect(threadPostAccess(who(['admin']), c, 'q1')).toMatchObject({ ok: false, status: 403 });
    expect(threadPostAccess(who(['analyst']), c, 'q1')).toMatchObject({ ok: false, status: 404 });
    expect(threadPostAccess(who(['caseworker'], 'FR'), c, 'q1')).toMatchObject({ ok: false, status: 404 });
    expect(threadPostAccess(who(['liaison'], 'PK'), { ...c, requestCount: 0 }, 'q1')).toMatchObject({
      ok: false,
      status: 404,
    });
  });

  it('lets monitors read without a side; analysts and admins never read', () => {
    expect(threadReadAccess(who(['monitor']), c, 'q1')).toMatchObject({ ok: true, role: 'monitor', side: null });
    expect(threadReadAccess(who(['analyst']), c, 'q1')).toMatchObject({ ok: false, status: 403 });
    expect(threadReadAccess(who(['admin']), c, 'q1')).toMatchObject({ ok: false, status: 403 });
    expect(threadReadAccess(who(['liaison'], 'MA'), c, 'q1')).toMatchObject({ ok: false, status: 404 });
  });

  it('knows only the requests the case made', () => {
    expect(['q1', 'q2'].map((q) => caseHasRequest(c, q))).toEqual([true, true]);
    expect(['q0', 'q3', 'x1', 'q01', ''].map((q) => caseHasRequest(c, q))).toEqual([false, false, false, false, false]);
    expect(threadReadAccess(who(['caseworker'], 'DE'), c, 'q3')).toMatchObject({ ok: false, status: 404 });
  });
});

describe('posting and reading', () => {
  it('numbers messages over the case and refuses every failing rule at once', () => {
    const t = foldThread([posted('msg1', 'q1', 'origin')]);
    const ok = decidePostMessage({ outcome: undefined, personalDataErased: false }, t, {
      requestId: 'q2',
      side: 'destination',
      text: 'Any news?',
      now: NOW,
    });
    expect(ok).toMatchObject({ ok: true, events: [{ type: 'MessagePosted', data: { messageId: 'msg2' } }] });
    const refused = decidePostMessage({ outcome: 'withdrawn', personalDataErased: true }, t, {
      requestId: 'q1',
      side: 'origin',
      text: '  ',
      now: NOW,
    });
    expect(refused).toEqual({ ok: false, rules: ['case-closed', 'wrong-stage', 'reasons-required'] });
  });

  it('counts the other side’s messages as unread until that side reads, per request', () => {
    let events: ThreadEvent[] = [posted('msg1', 'q1', 'destination'), posted('msg2', 'q1', 'origin')];
    let t = foldThread(events);
    expect(unreadFor(t, 'q1', 'origin')).toBe(1);
    expect(unreadFor(t, 'q1', 'destination')).toBe(1);
    expect(unreadFor(t, 'q2', 'origin')).toBe(0);
    const read = decideMarkRead(t, 'q1', 'origin');
    expect(read).toEqual([{ type: 'MessagesRead', data: { requestId: 'q1', side: 'origin', upToMessageId: 'msg2' } }]);
    events = [...events, ...read, posted('msg3', 'q1', 'origin')];
    t = foldThread(events);
    expect(unreadFor(t, 'q1', 'origin')).toBe(0);
    expect(decideMarkRead(t, 'q1', 'origin')).toEqual([]);
    expect(unreadFor(t, 'q1', 'destination')).toBe(2);
  });
});
