import type { CaseEventOf } from '../../contracts/index.ts';
import type { Statement } from 'better-sqlite3';
import { caseIdOf, CHUNK_SIZES, isCaseStream, joinBatch, placeholderRows, type BatchPart } from '../tables.ts';
import type { Db, ReadModel } from '../types.ts';
import { prepared } from './query.ts';

/**
 * The caseworkers' search by name and date of birth, and by return-decision reference, over
 * a blind index: each entry is a keyed hash (`blind`, an HMAC with a key of the deployment) of
 * a normalised value, never the value. Matching a query means hashing it the same way. An
 * erasure deletes the case's entries, so an erased person is no longer found.
 */
export type Blind = (value: string) => string;

/** Lower case, no diacritics, letters and digits only: "Ámína  Test-Ova" → ["amina", "test", "ova"]. */
export function nameTokens(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

/** A reference compared without case, spaces or punctuation: "RD 2026/0001" = "rd-2026-0001". */
export const normaliseReference = (reference: string): string => nameTokens(reference).join('');

export const nameKey = (token: string, dateOfBirth: string): string => `name\u0000${token}\u0000${dateOfBirth}`;
export const referenceKey = (reference: string): string => `return-decision\u0000${normaliseReference(reference)}`;

const TABLE = 'rm_search';

type Entry = [digest: string, caseId: string, memberId: string, destinationState: string];

/**
 * A batch's new entries, kept per case and written at its end many to a statement (a case
 * has ~5 entries: one statement per entry was the most frequent statement of a rebuild).
 */
class PendingEntries implements BatchPart {
  readonly stage = 0;
  readonly #byDb = new WeakMap<Db, Map<string, Entry[]>>();

  add(db: Db, caseId: string, entries: Entry[]): void {
    let pending = this.#byDb.get(db);
    if (pending === undefined) {
      if (!joinBatch(db, this)) return insertEntries(db, entries);
      pending = new Map();
      this.#byDb.set(db, pending);
    }
    pending.set(caseId, [...(pending.get(caseId) ?? []), ...entries]);
  }

  /** An erasure: the case's entries go, those of this batch and those written before. */
  erase(db: Db, caseId: string): void {
    this.#byDb.get(db)?.delete(caseId);
    prepared(db, `DELETE FROM rm_search WHERE case_id = ?`).run(caseId);
  }

  flush(db: Db): void {
    const pending = this.#byDb.get(db);
    if (pending === undefined) return;
    // In primary-key order, so that neighbouring entries land on the same pages.
    insertEntries(
      db,
      [...pending.keys()].sort().flatMap((caseId) => pending.get(caseId)!),
    );
    pending.clear();
  }

  discard(db: Db): void {
    this.#byDb.delete(db);
  }
}

function insertEntries(db: Db, entries: readonly Entry[]): void {
  let i = 0;
  for (const size of CHUNK_SIZES) {
    for (; entries.length - i >= size; i += size) {
      const values: string[] = [];
      for (let j = i; j < i + size; j++) values.push(...entries[j]!);
      insertStatement(db, size).run(...values);
    }
  }
}

const insertStatement = (db: Db, rows: number): Statement =>
  prepared(
    db,
    `INSERT OR IGNORE INTO rm_search (digest, case_id, member_id, destination_state) VALUES ${placeholderRows(rows, 4)}`,
  );

export function searchModel(blind: Blind): ReadModel {
  const pending = new PendingEntries();
  return {
    name: 'search',
    version: 1,
    tables: [TABLE],
    // The only model that reads names: it keeps none, only their keyed hashes.
    personalDataOf: new Set(['CaseOpened']),
    setup(db) {
      db.exec(`CREATE TABLE IF NOT EXISTS rm_search (
        case_id TEXT NOT NULL, member_id TEXT NOT NULL, digest TEXT NOT NULL, destination_state TEXT NOT NULL,
        PRIMARY KEY (case_id, member_id, digest)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS rm_search_digest ON rm_search (digest, destination_state);`);
    },
    apply(db, e) {
      if (!isCaseStream(e.streamId)) return;
      const caseId = caseIdOf(e.streamId);
      if (e.type === 'PersonalDataErased') {
        pending.erase(db, caseId);
        return;
      }
      if (e.type !== 'CaseOpened') return;
      const d = e.data as Partial<CaseEventOf<'CaseOpened'>['data']>;
      const entries: Entry[] = [];
      const state = d.destinationState ?? '';
      const people = [
        ...(d.person
          ? [
              {
                memberId: 'principal',
                ...d.person,
                names: [d.person.givenNames, d.person.familyName, ...(d.person.aliases ?? [])],
              },
            ]
          : []),
        ...(d.household ?? []).map((m) => ({ ...m, names: [m.givenNames, m.familyName] })),
      ];
      for (const p of people) {
        // A crypto-shredded or partly unknown person has nothing to index.
        if (typeof p.dateOfBirth !== 'string') continue;
        const tokens = new Set(p.names.filter((n): n is string => typeof n === 'string').flatMap(nameTokens));
        for (const token of tokens) entries.push([blind(nameKey(token, p.dateOfBirth)), caseId, p.memberId, state]);
      }
      if (typeof d.returnDecision?.reference === 'string') {
        entries.push([blind(referenceKey(d.returnDecision.reference)), caseId, 'case', state]);
      }
      pending.add(db, caseId, entries);
    },
  };
}

/**
 * Cases of `destinationState` where one person matches every word of `name` with this date of
 * birth, or whose return decision has this reference.
 */
export function searchCases(
  db: Db,
  blind: Blind,
  q: {
    destinationState: string;
    name?: string | undefined;
    dateOfBirth?: string | undefined;
    returnDecisionReference?: string | undefined;
  },
): string[] {
  const found = new Set<string>();
  if (q.returnDecisionReference !== undefined) {
    const rows = prepared(db, `SELECT DISTINCT case_id FROM rm_search WHERE digest = ? AND destination_state = ?`).all(
      blind(referenceKey(q.returnDecisionReference)),
      q.destinationState,
    ) as { case_id: string }[];
    for (const r of rows) found.add(r.case_id);
  }
  if (q.name !== undefined && q.dateOfBirth !== undefined) {
    const digests = [...new Set(nameTokens(q.name))].map((t) => blind(nameKey(t, q.dateOfBirth!)));
    if (digests.length > 0) {
      const rows = prepared(
        db,
        `SELECT case_id FROM rm_search WHERE destination_state = ? AND digest IN (SELECT value FROM json_each(?))
         GROUP BY case_id, member_id HAVING COUNT(DISTINCT digest) = ?`,
      ).all(q.destinationState, JSON.stringify(digests), digests.length) as { case_id: string }[];
      for (const r of rows) found.add(r.case_id);
    }
  }
  return [...found];
}

export interface SearchHit {
  caseId: string;
  reference: string | null;
  status: string;
  openedOn: string;
}

/** The worklist's facts of the cases found (by id, or by their human reference). */
export function searchHits(
  db: Db,
  destinationState: string,
  caseIds: readonly string[],
  reference?: string,
): SearchHit[] {
  const rows = prepared(
    db,
    `SELECT case_id, reference, status, opened_on FROM rm_cases
     WHERE destination_state = ? AND (case_id IN (SELECT value FROM json_each(?)) OR reference = ?)
     ORDER BY opened_on DESC, case_id LIMIT 500`,
  ).all(destinationState, JSON.stringify(caseIds), reference?.toUpperCase() ?? null) as {
    case_id: string;
    reference: string | null;
    status: string;
    opened_on: string;
  }[];
  return rows.map((r) => ({ caseId: r.case_id, reference: r.reference, status: r.status, openedOn: r.opened_on }));
}
