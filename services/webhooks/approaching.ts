import { inbox, type Db } from '../../projections/index.ts';

/**
 * "Approaching" (documented in README.md): a request still pending, on a case still open,
 * whose reply is due today or within the next `APPROACHING_DAYS` calendar days. The dispatcher
 * scans the liaison inbox read model for them at start and every interval; one notice per
 * request and due date (an extension moves the date, and makes a new notice).
 */
export const APPROACHING_DAYS = 2;

export interface DueSoon {
  caseId: string;
  requestId: string;
  replyDueOn: string;
}

const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Requests addressed to `originState` whose reply falls due within the window that starts `today`. */
export function repliesDueSoon(db: Db, originState: string, today: string): DueSoon[] {
  const until = addDays(today, APPROACHING_DAYS);
  const found: DueSoon[] = [];
  let after: [string, string, string] | undefined;
  // The inbox is ordered by due date: page until the dates pass the window.
  for (;;) {
    const { items, next } = inbox(db, { originState, status: 'pending', today, limit: 500, after });
    for (const item of items) {
      if (item.replyDueOn > until) return found;
      if (item.replyDueOn >= today)
        found.push({ caseId: item.caseId, requestId: item.requestId, replyDueOn: item.replyDueOn });
    }
    if (!next) return found;
    after = next;
  }
}
