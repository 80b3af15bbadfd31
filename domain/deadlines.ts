/** The deadline service's half of the decider: what time alone turns into events on a case. */
import type { CaseEvent } from '../contracts/index.ts';
import type { CaseState } from './case-state.ts';
import { addCalendarDays, addPeriod, localDateOf } from './dates.ts';
import { passportValidOn } from './removal-rules.ts';
import { openObstacles, type CaseData } from './state.ts';

/**
 * The day it is in a time zone: exactly, at an instant; for a `YYYY-MM-DD` (a UTC date, the
 * time unknown) the earliest it can be there, so that a deadline is never judged over early
 * west of UTC (a day ends at midnight in the requested State, not in UTC).
 */
const dayIn = (asOf: string | Date, timeZone: string | undefined): string =>
  localDateOf(typeof asOf === 'string' ? new Date(`${asOf}T00:00:00Z`) : asOf, timeZone);

/**
 * The deadline service's command: what elapsed by `asOf` (an instant, or a UTC date) becomes
 * events. The request's deadlines end at midnight in the requested State's time zone (the
 * agreement's calendar). Idempotent by construction: a deadline already turned into an event
 * is not turned again.
 */
export function decideElapsedDeadlines(state: CaseState, at: string | Date): CaseEvent[] {
  const c = state.data;
  if (c === null || state.status === 'new' || state.status === 'closed') return [];
  const events: CaseEvent[] = [];
  const r = c.request;
  // The requested State's day for the request's deadlines; the UTC day for the rest.
  const asOf = dayIn(at, r?.terms.calendar?.timeZone);
  const utcAsOf = dayIn(at, undefined);
  let accepted = r?.status === 'accepted' || r?.status === 'deemed-accepted';
  let due = r?.travelDocumentDueOn;
  if (r?.status === 'pending' && asOf > r.replyDueOn) {
    const lapsedOn = addCalendarDays(r.replyDueOn, 1);
    if (r.terms.silenceMeansConsent) {
      // The document deadline that the deemed acceptance starts may have elapsed too: one run does both.
      accepted = true;
      due = addPeriod(lapsedOn, r.terms.travelDocument.issueWithin, r.terms.calendar);
      events.push({
        type: 'ReadmissionDeemedAccepted',
        data: {
          requestId: r.requestId,
          deemedOn: lapsedOn,
          transferBy: addCalendarDays(lapsedOn, r.terms.transferWindowDays),
          travelDocumentDueOn: due,
        },
      });
    } else if (!openObstacles(c).some((o) => o.type === 'no-reply')) {
      events.push(obstacle(c, 'no-reply', lapsedOn, 'The reply deadline passed with no answer.'));
    }
  }
  if (
    accepted &&
    // Once the person has left, no travel document is missing any more.
    state.status !== 'departed' &&
    due !== undefined &&
    asOf > due &&
    c.travelDocument === undefined &&
    !passportValidOn(c, asOf) &&
    !c.obstacles.some((o) => o.type === 'travel-document-delay' && o.automatic)
  ) {
    events.push(obstacle(c, 'travel-document-delay', addCalendarDays(due, 1), 'The travel document is overdue.'));
  }
  const vd = c.voluntaryDeparture;
  if (vd && !vd.ended && utcAsOf > vd.endsOn) {
    events.push({ type: 'VoluntaryDeparturePeriodEnded', data: { endedOn: vd.endsOn } });
  }
  return events;
}

function obstacle(c: CaseData, type: 'no-reply' | 'travel-document-delay', openedOn: string, note: string): CaseEvent {
  return {
    type: 'ObstacleRecorded',
    data: { obstacleId: `o${c.obstacles.length + 1}`, type, openedOn, note, automatic: true },
  };
}
