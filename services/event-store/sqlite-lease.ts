import type Database from 'better-sqlite3';
import type { LeaseRecord, LeaseRegister } from './port.ts';

/**
 * Lease registers as rows of the event file (`leases`), outside the log: renewing a lease
 * changes a row in place and appends no event. Every process that opens the same file (replicas
 * sharing a volume) sees one row per lease, and a compare-and-set is one UPDATE guarded by the
 * version, so exactly one writer wins. Not fsynced: a lease that a power cut takes back is
 * simply taken again.
 */
export class SqliteLeaseRegister implements LeaseRegister {
  readonly #select: Database.Statement<[string], LeaseRecord>;
  readonly #insert: Database.Statement<[string, string]>;
  readonly #update: Database.Statement<[string, string, number]>;

  constructor(db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS leases (
      name    TEXT PRIMARY KEY,
      holder  TEXT NOT NULL,
      version INTEGER NOT NULL
    )`);
    this.#select = db.prepare('SELECT holder, version FROM leases WHERE name = ?');
    this.#insert = db.prepare('INSERT OR IGNORE INTO leases (name, holder, version) VALUES (?, ?, 0)');
    this.#update = db.prepare('UPDATE leases SET holder = ?, version = version + 1 WHERE name = ? AND version = ?');
  }

  read(name: string): Promise<LeaseRecord | undefined> {
    // The executor runs at once; if the statement throws (a closed file), the promise rejects.
    return new Promise((resolve) => resolve(this.#select.get(name)));
  }

  write(name: string, holder: string, expectedVersion: number): Promise<LeaseRecord | undefined> {
    return new Promise((resolve) => {
      const changed =
        expectedVersion < 0
          ? this.#insert.run(name, holder).changes
          : this.#update.run(holder, name, expectedVersion).changes;
      resolve(changed === 1 ? { holder, version: expectedVersion + 1 } : undefined);
    });
  }
}
