// Live notices from GET /v1/events/stream (server-sent events), read with fetch: unlike
// EventSource, fetch can send the token in the Authorization header, so it never sits in a URL.
// A notice is {position, caseId, type}: ids and types only. It means "look again", nothing more.
import { session } from './api.js';

/** Which list page a notice concerns, by event type, for the caller's role. */
const MONITOR_INCIDENTS = new Set([
  'UseOfForceReported',
  'SafeguardConcernRaised',
  'ConcernResponded',
  'SafeguardConcernClosed',
]);

export function pageOf(notice, roles) {
  if (roles.includes('caseworker')) return '#/worklist';
  if (roles.includes('liaison')) return '#/inbox';
  if (roles.includes('monitor')) return MONITOR_INCIDENTS.has(notice.type) ? '#/incidents' : '#/removals';
  return null;
}

/** Splits a text/event-stream into events; answers the unparsed rest. */
function parseFrames(buffer, onEvent) {
  const frames = buffer.split(/\r?\n\r?\n/);
  const rest = frames.pop() ?? '';
  for (const frame of frames) {
    let event = 'message';
    const data = [];
    for (const line of frame.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (event === 'notice' && data.length > 0) {
      try {
        onEvent(JSON.parse(data.join('\n')));
      } catch {
        // a malformed frame is skipped, not fatal
      }
    }
  }
  return rest;
}

let running = null;

/**
 * Follows the stream while signed in with a role it serves, reconnecting with a growing
 * pause (1 s to 30 s). Stops on sign-out, on a 401/403, or when `stopLive()` is called.
 */
export function startLive(onNotice) {
  const token = session.token;
  if (!token || running?.token === token) return;
  stopLive();
  const controller = new AbortController();
  running = { token, controller };
  let pause = 1000;
  (async () => {
    while (!controller.signal.aborted && session.token === token) {
      try {
        const res = await fetch('/v1/events/stream', {
          headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (res.status === 401 || res.status === 403 || res.status === 406) return;
        if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
        pause = 1000;
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer = parseFrames(buffer + decoder.decode(value, { stream: true }), onNotice);
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 30_000);
    }
  })();
}

export function stopLive() {
  running?.controller.abort();
  running = null;
}
