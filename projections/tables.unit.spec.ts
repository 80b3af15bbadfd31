import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FactTable, type Fact } from './facts.ts';
import { searchModel } from './models/search.ts';
import { beginBatch, endBatch, flushBatch, Table, type Value } from './tables.ts';
import type { Db, ProjectionEvent } from './types.ts';

/**
 * A batch writes its rows, counters and search entries many to a statement, in chunks of 64,
 * 16, 4 and 1: every count of rows must land whole, whatever chunks it splits into.
 */
interface ItemRow {
  [column: string]: Value;
  owner: string;
  item: number;
  label: string;
  size: number | null;
}

const items = () =>
  new Table<ItemRow>({
    name: 't_items',
    columns: { owner: 'TEXT NOT NULL', item: 'INTEGER NOT NULL', label: 'TEXT NOT NULL', size: 'INTEGER' },
    primaryKey: ['owner', 'item'],
  });

const inBatch = (db: Db, work: () => void): void => {
  beginBatch(db);
  try {
    work();
    flushBatch(db);
  } finally {
    endBatch(db);
  }
};

const row = (i: number, label: string): ItemRow => ({
  owner: `o${i % 7}`,
  item: i,
  label,
  size: i % 3 === 0 ? null : i,
});

describe('a batch writes rows many to a statement', () => {
  // 85 = 64 + 16 + 4 + 1; 150 = 2 × 64 + 16 + 4 + 2 × 1.
  it.each([0, 1, 3, 4, 5, 17, 64, 85, 150])('%i rows, then changes and deletions, land whole', (count) => {
    const db = new Database(':memory:');
    const table = items();
    table.setup(db);
    inBatch(db, () => {
      for (let i = 0; i < count; i++) table.put(db, row(i, 'first'));
    });
    expect(db.prepare('SELECT * FROM t_items ORDER BY item').all()).toEqual(
      Array.from({ length: count }, (_, i) => row(i, 'first')),
    );

    // Changes (upserts over existing rows) and deletions in one batch.
    inBatch(db, () => {
      for (let i = 0; i < count; i++) {
        if (i % 4 === 0) table.delete(db, `o${i % 7}`, i);
        else table.put(db, row(i, 'second'));
      }
    });
    const expected = Array.from({ length: count }, (_, i) => i)
      .filter((i) => i % 4 !== 0)
      .map((i) => row(i, 'second'));
    expect(db.prepare('SELECT * FROM t_items ORDER BY item').all()).toEqual(expected);
    db.close();
  });
});

describe('a batch adds to its counters many to a statement', () => {
  it('sums every change and drops the counters back at zero', () => {
    const db = new Database(':memory:');
    const facts = new FactTable('t_facts');
    facts.setup(db);
    const fact = (i: number): Fact => ({
      metric: `m${i % 5}`,
      originState: i % 2 === 0 ? 'PK' : 'MA',
      agreementId: '',
      day: `2026-0${1 + (i % 3)}-1${i % 10}`,
      value: String(i % 11),
    });
    const expected = new Map<string, number>();
    const count = (f: Fact, n: number) => {
      const k = [f.metric, f.originState, f.agreementId, f.value].join('|');
      expected.set(k, (expected.get(k) ?? 0) + n);
    };
    inBatch(db, () => {
      for (let i = 0; i < 300; i++) {
        facts.add(db, fact(i), 1);
        count(fact(i), 1);
      }
    });
    inBatch(db, () => {
      for (let i = 0; i < 300; i += 2) {
        facts.add(db, fact(i), -1);
        count(fact(i), -1);
      }
    });
    const all = facts.sum(db, undefined, [{ grain: 'all', from: '', to: '' }]);
    const got = new Map(all.map((c) => [[c.metric, c.originState, c.agreementId, c.value].join('|'), c.n]));
    expect(got).toEqual(new Map([...expected].filter(([, n]) => n !== 0)));
    // No counter at zero is kept.
    expect(db.prepare('SELECT COUNT(*) AS n FROM t_facts WHERE n = 0').get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('the search model in a batch', () => {
  const blind = (value: string) => `h(${value})`;
  const opened = (caseNo: number, position: number): ProjectionEvent => ({
    type: 'CaseOpened',
    data: {
      destinationState: 'DE',
      person: { givenNames: `Amina${caseNo}`, familyName: 'Test', dateOfBirth: '1990-01-01' },
      household: [{ memberId: 'm1', givenNames: 'Child', familyName: 'Test', dateOfBirth: '2015-05-05' }],
    },
    metadata: {} as ProjectionEvent['metadata'],
    streamId: `case-${String(caseNo).padStart(4, '0')}`,
    revision: 0,
    position,
  });
  const erased = (caseNo: number, position: number): ProjectionEvent => ({
    ...opened(caseNo, position),
    type: 'PersonalDataErased',
    data: {},
    revision: 1,
  });

  it('writes every case opened in the batch, and none of a case erased in the same batch', () => {
    const db = new Database(':memory:');
    const model = searchModel(blind);
    model.setup(db);
    inBatch(db, () => {
      for (let c = 0; c < 40; c++) model.apply(db, opened(c, c + 1));
      model.apply(db, erased(7, 100));
    });
    const cases = db.prepare('SELECT DISTINCT case_id FROM rm_search ORDER BY case_id').pluck().all();
    expect(cases).toHaveLength(39);
    expect(cases).not.toContain('0007');
    // principal: 2 tokens, child: 2 tokens, per case.
    expect(db.prepare(`SELECT COUNT(*) FROM rm_search WHERE case_id = '0003'`).pluck().get()).toBe(4);
    // An erasure in a later batch deletes what earlier batches wrote.
    inBatch(db, () => model.apply(db, erased(3, 200)));
    expect(db.prepare(`SELECT COUNT(*) FROM rm_search WHERE case_id = '0003'`).pluck().get()).toBe(0);
    db.close();
  });
});
