import type { AgreementEvent } from '../../contracts/index.ts';
import { Table, type Value } from '../tables.ts';
import type { Db, ReadModel } from '../types.ts';
import { prepared } from './query.ts';

/** Agreement titles and parties, for the report's rows (agreements are few). */
interface AgreementRow {
  [column: string]: Value;
  agreement_id: string;
  title: string;
  origin_state: string;
  kind: string;
  revision: number;
}

const agreementsTable = new Table<AgreementRow>({
  name: 'rm_agreements',
  columns: {
    agreement_id: 'TEXT NOT NULL',
    title: 'TEXT NOT NULL',
    origin_state: 'TEXT NOT NULL',
    kind: 'TEXT NOT NULL',
    revision: 'INTEGER NOT NULL',
  },
  primaryKey: ['agreement_id'],
});

export const agreementsModel: ReadModel = {
  name: 'agreements',
  version: 1,
  tables: [agreementsTable.name],
  setup: (db) => agreementsTable.setup(db),
  apply(db, e) {
    if (e.type !== 'AgreementConcluded' && e.type !== 'AgreementAmended') return;
    const d = e.data as AgreementEvent['data'];
    agreementsTable.put(db, {
      agreement_id: d.agreementId,
      title: d.terms.title,
      origin_state: d.terms.originState,
      kind: d.terms.kind,
      revision: e.revision,
    });
  },
};

export function agreementTitles(db: Db): Map<string, string> {
  const rows = prepared(db, `SELECT agreement_id, title FROM rm_agreements`).all() as {
    agreement_id: string;
    title: string;
  }[];
  return new Map(rows.map((r) => [r.agreement_id, r.title]));
}
