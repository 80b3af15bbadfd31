import type { Statement } from 'better-sqlite3';
import type { Db } from '../types.ts';

/** Prepared statements by SQL text, once per database: queries are built from a few fixed shapes. */
const statements = new WeakMap<Db, Map<string, Statement>>();

export function prepared(db: Db, sql: string): Statement {
  let byText = statements.get(db);
  if (byText === undefined) {
    byText = new Map();
    statements.set(db, byText);
  }
  let statement = byText.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    byText.set(sql, statement);
  }
  return statement;
}
