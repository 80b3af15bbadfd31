import { describe, expect, it } from 'vitest';
import { AgreementTerms } from '../contracts/index.ts';
import {
  act,
  agreement,
  caseClosed,
  command,
  deadlinesElapse,
  protectionCleared,
  requestAccepted,
  requestSubmitted,
  requestWithPassport,
  singleAdultOpened,
  unescortedRemovalPlanned,
  departed,
  voluntaryDepartureGranted,
  type Step,
} from '../tests/support/case-builders.ts';
import { given, type Accepted } from '../tests/support/given.ts';
import { decideElapsedDeadlines } from './deadlines.ts';
import { openObstacles } from './state.ts';

/**
 * The deadline service's decider (`decideElapsedDeadlines`): elapsed deadlines become events.
 * The standard request is submitted on Tue 3 Nov 2026 with a reply due on Sat 28 Nov.
 */
const pending = (terms = {}): Step => [singleAdultOpened(), protectionCleared(), requestSubmitted({ terms })];

/** A second run on the same day finds nothing left to do. */
const idempotent = (accepted: Accepted, asOf: string): void => {
  expect(decideElapsedDeadlines(accepted.state, asOf)).toEqual([]);
};

describe('the reply deadline', () => {
  it('does nothing on the day the reply is due', () => {
    given(pending()).whenDeadlinesElapse('2026-11-28').then([]);
  });

  it('deems the request accepted the day after, where silence means consent', () => {
    const deemed = given(pending())
      .whenDeadlinesElapse('2026-11-29')
      .then([
        {
          type: 'ReadmissionDeemedAccepted',
          // Sun 29 Nov + 3 working days = Wed 2 Dec; + 90 calendar days = 27 Feb 2027.
          data: {
            requestId: 'q1',
            deemedOn: '2026-11-29',
            transferBy: '2027-02-27',
            travelDocumentDueOn: '2026-12-02',
          },
        },
      ]);
    expect(deemed.state.data?.request?.status).toBe('deemed-accepted');
    idempotent(deemed, '2026-11-29');
  });

  it('opens a no-reply obstacle instead where silence is not consent', () => {
    const lapsed = given(pending({ silenceMeansConsent: false }))
      .whenDeadlinesElapse('2026-11-30')
      .then([
        {
          type: 'ObstacleRecorded',
          data: { obstacleId: 'o1', type: 'no-reply', openedOn: '2026-11-29', automatic: true },
        },
      ]);
    expect(lapsed.state.data?.request?.status).toBe('pending');
    idempotent(lapsed, '2026-11-30');
    idempotent(lapsed, '2026-12-20');
  });

  it.each([
    ['an acceptance', command('accept-readmission', { acceptedOn: '2026-12-01' }), 'ReadmissionAccepted'],
    ['a rejection', command('reject-readmission', { rejectedOn: '2026-12-01' }), 'ReadmissionRejected'],
    ['an extension', command('request-reply-extension'), 'ReadmissionReplyExtended'],
  ] as const)('closes the no-reply obstacle by itself on %s', (_what, reply, type) => {
    const answered = given(pending({ silenceMeansConsent: false }), deadlinesElapse('2026-11-30'))
      .when(reply)
      .then([
        'ReadmissionRequestAcknowledged',
        type,
        { type: 'ObstacleResolved', data: { obstacleId: 'o1', automatic: true } },
      ]);
    expect(openObstacles(answered.state.data!)).toEqual([]);
  });

  it('opens a new no-reply obstacle when an extended deadline lapses too', () => {
    // Extended by 20 days from 28 Nov: due 18 Dec.
    const extended: Step = [
      pending({ silenceMeansConsent: false }),
      deadlinesElapse('2026-11-30'),
      act(command('request-reply-extension')),
    ];
    given(extended).whenDeadlinesElapse('2026-12-18').then([]);
    given(extended)
      .whenDeadlinesElapse('2026-12-19')
      .then([{ type: 'ObstacleRecorded', data: { obstacleId: 'o2', type: 'no-reply', openedOn: '2026-12-19' } }]);
  });

  it('counts an accelerated deadline in working days (Tue + 2 = Thu)', () => {
    const accelerated: Step = [
      singleAdultOpened(),
      protectionCleared(),
      requestSubmitted({ body: { procedure: 'accelerated' } }),
    ];
    given(accelerated).whenDeadlinesElapse('2026-11-05').then([]);
    given(accelerated)
      .whenDeadlinesElapse('2026-11-06')
      .then([{ type: 'ReadmissionDeemedAccepted', data: { deemedOn: '2026-11-06' } }]);
  });

  it('leaves an answered request alone', () => {
    given(pending(), requestAccepted(), act(command('issue-travel-document')))
      .whenDeadlinesElapse('2026-12-31')
      .then([]);
  });
});

describe('the travel document deadline', () => {
  // Accepted Tue 10 Nov: the document is due Fri 13 Nov (3 working days).
  const accepted: Step = [pending(), requestAccepted()];

  it('opens a travel-document-delay obstacle the day after it is due', () => {
    given(accepted).whenDeadlinesElapse('2026-11-13').then([]);
    const late = given(accepted)
      .whenDeadlinesElapse('2026-11-14')
      .then([
        { type: 'ObstacleRecorded', data: { type: 'travel-document-delay', openedOn: '2026-11-14', automatic: true } },
      ]);
    idempotent(late, '2026-11-20');
  });

  it('closes it by itself when the document is issued', () => {
    given(accepted, deadlinesElapse('2026-11-16'))
      .when(command('issue-travel-document', { issuedOn: '2026-11-17' }))
      .then([
        'TravelDocumentIssued',
        { type: 'ObstacleResolved', data: { obstacleId: 'o1', resolvedOn: '2026-11-17', automatic: true } },
      ]);
  });

  it('is not opened again once it was opened and closed', () => {
    given(accepted, deadlinesElapse('2026-11-16'), act(command('issue-travel-document', { issuedOn: '2026-11-17' })))
      .whenDeadlinesElapse('2026-12-01')
      .then([]);
  });

  it('does not apply while the person holds a valid passport', () => {
    given(singleAdultOpened(), protectionCleared(), requestWithPassport('2027-06-30'), requestAccepted())
      .whenDeadlinesElapse('2026-11-20')
      .then([]);
  });

  it('gives a deemed acceptance and its overdue document in one run, and nothing on the next', () => {
    // Deemed accepted 29 Nov, document due 2 Dec: both elapsed by 10 Dec.
    const both = given(pending())
      .whenDeadlinesElapse('2026-12-10')
      .then([
        { type: 'ReadmissionDeemedAccepted', data: { deemedOn: '2026-11-29', travelDocumentDueOn: '2026-12-02' } },
        { type: 'ObstacleRecorded', data: { type: 'travel-document-delay', openedOn: '2026-12-03' } },
      ]);
    idempotent(both, '2026-12-10');
  });
});

describe('the voluntary-departure period', () => {
  // Granted 2 Nov for 30 days: ends 2 Dec.
  it('ends the day after its last day', () => {
    given(singleAdultOpened(), voluntaryDepartureGranted()).whenDeadlinesElapse('2026-12-02').then([]);
    const ended = given(singleAdultOpened(), voluntaryDepartureGranted())
      .whenDeadlinesElapse('2026-12-03')
      .then([{ type: 'VoluntaryDeparturePeriodEnded', data: { endedOn: '2026-12-02' } }]);
    expect(ended.state.status).toBe('intake');
    idempotent(ended, '2026-12-03');
    idempotent(ended, '2027-03-01');
  });

  it('ends while readmission runs, leaving the status in readmission', () => {
    const ended = given(
      singleAdultOpened(),
      protectionCleared(),
      voluntaryDepartureGranted(),
      requestSubmitted(),
      requestAccepted(),
      act(command('issue-travel-document')),
    )
      .whenDeadlinesElapse('2026-12-03')
      .then(['VoluntaryDeparturePeriodEnded']);
    expect(ended.state.status).toBe('readmission');
  });
});

describe('idle cases', () => {
  it('a case with nothing pending gives no events', () => {
    given(singleAdultOpened()).whenDeadlinesElapse('2030-01-01').then([]);
  });

  it('a closed case gives no events, even with a request pending', () => {
    given(pending(), caseClosed()).whenDeadlinesElapse('2027-01-01').then([]);
  });

  it('a case that was never opened gives no events', () => {
    given().whenDeadlinesElapse('2027-01-01').then([]);
  });

  it('a departed person needs no travel document any more', () => {
    // Departed on 20 Nov with the travel document; nothing may open afterwards.
    given(unescortedRemovalPlanned(), departed()).whenDeadlinesElapse('2027-06-01').then([]);
  });
});

describe('after the departure', () => {
  it('opens no travel-document-delay when the passport the person left with has since expired', () => {
    // Passport valid until 31 Dec, departed 20 Nov without a travel document: on 10 Jan nothing is overdue.
    given(
      singleAdultOpened(),
      protectionCleared(),
      requestWithPassport('2026-12-31'),
      requestAccepted(),
      act(command('plan-removal')),
      departed(),
    )
      .whenDeadlinesElapse('2027-01-10')
      .then([]);
  });

  it('still opens it before the departure once the passport has expired', () => {
    given(singleAdultOpened(), protectionCleared(), requestWithPassport('2026-12-31'), requestAccepted())
      .whenDeadlinesElapse('2027-01-10')
      .then([{ type: 'ObstacleRecorded', data: { type: 'travel-document-delay', openedOn: '2026-11-14' } }]);
  });
});

// Review against the law (domain/README.md): whose working days, which time zone, which day.
describe('the agreement’s calendar (the requested State’s days)', () => {
  const types = (events: { type: string }[]) => events.map((e) => e.type);

  it('skips the requested State’s public holidays in working days', () => {
    // Accelerated, 2 working days from Tue 3 Nov: Thu 5 Nov; with Wed 4 Nov a holiday there, Fri 6 Nov.
    given(singleAdultOpened(), protectionCleared())
      .when(command('submit-readmission-request', { procedure: 'accelerated' }), {
        now: new Date('2026-11-03T10:00:00Z'),
        agreement: agreement({ calendar: { holidays: ['2026-11-04'] } }),
      })
      .then([{ type: 'ReadmissionRequestSubmitted', data: { replyDueOn: '2026-11-06' } }]);
  });

  it('moves a calendar deadline that ends on a weekend or holiday to the next working day, where the agreement says so', () => {
    // 25 calendar days from Tue 3 Nov end on Sat 28 Nov: Mon 30 Nov, or Tue 1 Dec when 30 Nov is a holiday.
    for (const [calendar, due] of [
      [undefined, '2026-11-28'],
      [{ rollForward: false }, '2026-11-28'],
      [{ rollForward: true }, '2026-11-30'],
      [{ rollForward: true, holidays: ['2026-11-30'] }, '2026-12-01'],
    ] as const) {
      const state = given(pending(calendar ? { calendar } : {})).state;
      expect(state.data?.request?.replyDueOn, JSON.stringify(calendar)).toBe(due);
    }
  });

  it('counts from the day of receipt in the requested State’s time zone', () => {
    // 22:00 UTC on Tue 3 Nov is already Wed 4 Nov in Karachi (UTC+5): due 25 days on, Sun 29 Nov.
    given(singleAdultOpened(), protectionCleared())
      .when(command('submit-readmission-request'), {
        now: new Date('2026-11-03T22:00:00Z'),
        agreement: agreement({ calendar: { timeZone: 'Asia/Karachi' } }),
      })
      .then([{ type: 'ReadmissionRequestSubmitted', data: { submittedOn: '2026-11-03', replyDueOn: '2026-11-29' } }]);
  });

  it('ends a deadline day at midnight in the requested State, never earlier (west of UTC)', () => {
    // Due Sat 28 Nov in a State on UTC−5: at 02:00 UTC on 29 Nov it is still 28 Nov there.
    const west = given(pending({ calendar: { timeZone: 'America/Bogota' } })).state;
    expect(decideElapsedDeadlines(west, new Date('2026-11-29T02:00:00Z'))).toEqual([]);
    expect(types(decideElapsedDeadlines(west, new Date('2026-11-29T05:00:00Z')))).toEqual([
      'ReadmissionDeemedAccepted',
    ]);
    // Given only the UTC date, the deadline service waits until the day is over there at the earliest.
    expect(decideElapsedDeadlines(west, '2026-11-29')).toEqual([]);
    expect(types(decideElapsedDeadlines(west, '2026-11-30'))).toEqual(['ReadmissionDeemedAccepted']);
  });

  it('east of UTC, the day is over as soon as it is midnight there', () => {
    // Due Sat 28 Nov in Karachi (UTC+5): over at 19:00 UTC on 28 Nov.
    const east = given(pending({ calendar: { timeZone: 'Asia/Karachi' } })).state;
    expect(decideElapsedDeadlines(east, new Date('2026-11-28T18:59:00Z'))).toEqual([]);
    expect(types(decideElapsedDeadlines(east, new Date('2026-11-28T19:00:00Z')))).toEqual([
      'ReadmissionDeemedAccepted',
    ]);
  });

  it('without a calendar, days are UTC days, Monday to Friday, as before', () => {
    const plain = given(pending()).state;
    expect(decideElapsedDeadlines(plain, new Date('2026-11-28T23:59:59Z'))).toEqual([]);
    expect(types(decideElapsedDeadlines(plain, new Date('2026-11-29T00:00:00Z')))).toEqual([
      'ReadmissionDeemedAccepted',
    ]);
  });

  it('is optional on the agreement’s terms, and its time zone must be one the runtime knows', () => {
    const terms = agreement().terms;
    expect(AgreementTerms.safeParse(terms).success).toBe(true);
    const calendar = { timeZone: 'Asia/Karachi', holidays: ['2026-12-25'], rollForward: true };
    expect(AgreementTerms.safeParse({ ...terms, calendar }).success).toBe(true);
    expect(AgreementTerms.safeParse({ ...terms, calendar: { timeZone: 'Mars/Olympus_Mons' } }).success).toBe(false);
    expect(AgreementTerms.safeParse({ ...terms, calendar: { holidays: ['2026-02-30'] } }).success).toBe(false);
  });

  it('counts the travel document deadline on the same calendar', () => {
    // Accepted Fri 6 Nov; 3 working days: Wed 11 Nov, or Thu 12 Nov with Mon 9 Nov a holiday.
    given(pending({ calendar: { holidays: ['2026-11-09'] } }))
      .when(command('accept-readmission', { acceptedOn: '2026-11-06' }))
      .then([
        'ReadmissionRequestAcknowledged',
        { type: 'ReadmissionAccepted', data: { travelDocumentDueOn: '2026-11-12' } },
      ]);
  });
});
