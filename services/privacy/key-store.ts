import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * One data key per case, kept outside the immutable log and wrapped (AES-256-GCM) with a
 * master key. Destroying a case's key is the erasure: every personal field encrypted with it
 * becomes unreadable, wherever a copy of the event lives (crypto-shredding).
 *
 * `secure_delete` overwrites a destroyed key's bytes in the file, and a WAL checkpoint
 * truncates the log, so the key does not linger in free pages.
 */
export interface KeyStore {
  /** The case's data key (made on first use when `create`); `undefined` once destroyed. */
  dataKey(caseId: string, create: boolean): Buffer | undefined;
  /** Whether the key was destroyed (erased), as opposed to never made. */
  isDestroyed(caseId: string): boolean;
  destroy(caseId: string, at: Date): void;
  /** Drops a key from memory only: another process destroyed it. */
  evict(caseId: string): void;
  close(): void;
}

const MASTER_KEY_FILE = 'master.key';

/** `RRC_MASTER_KEY` (32 bytes, base64) or a key file made once in the data dir. */
export function loadMasterKey(dataDir: string, fromEnv: string | undefined): Buffer {
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new Error('RRC_MASTER_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  const file = path.join(dataDir, MASTER_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

export function seal(key: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}

export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly cache = new Map<string, Buffer>();

  constructor(
    file: string,
    private readonly masterKey: Buffer,
    private readonly maxCached = 10_000,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.exec(`CREATE TABLE IF NOT EXISTS case_keys (
      case_id TEXT PRIMARY KEY,
      wrapped_key BLOB,
      created_at TEXT NOT NULL,
      destroyed_at TEXT
    )`);
  }

  dataKey(caseId: string, create: boolean): Buffer | undefined {
    const cached = this.cache.get(caseId);
    if (cached) return cached;
    const row = this.db.prepare('SELECT wrapped_key FROM case_keys WHERE case_id = ?').get(caseId) as
      | { wrapped_key: Buffer | null }
      | undefined;
    if (row && row.wrapped_key === null) return undefined;
    let key: Buffer;
    if (row?.wrapped_key) {
      key = open(this.masterKey, row.wrapped_key);
    } else if (!create) {
      return undefined;
    } else {
      key = randomBytes(32);
      // INSERT OR IGNORE: two writers racing to make the first key keep the one that landed.
      this.db
        .prepare('INSERT OR IGNORE INTO case_keys (case_id, wrapped_key, created_at) VALUES (?, ?, ?)')
        .run(caseId, seal(this.masterKey, key), new Date().toISOString());
      const stored = this.db.prepare('SELECT wrapped_key FROM case_keys WHERE case_id = ?').get(caseId) as {
        wrapped_key: Buffer | null;
      };
      if (stored.wrapped_key === null) return undefined;
      key = open(this.masterKey, stored.wrapped_key);
    }
    this.remember(caseId, key);
    return key;
  }

  isDestroyed(caseId: string): boolean {
    const row = this.db.prepare('SELECT destroyed_at FROM case_keys WHERE case_id = ?').get(caseId) as
      | { destroyed_at: string | null }
      | undefined;
    return row?.destroyed_at != null;
  }

  destroy(caseId: string, at: Date): void {
    this.cache.get(caseId)?.fill(0);
    this.cache.delete(caseId);
    this.db
      .prepare(
        `INSERT INTO case_keys (case_id, wrapped_key, created_at, destroyed_at) VALUES (?, NULL, ?, ?)
         ON CONFLICT(case_id) DO UPDATE SET wrapped_key = NULL, destroyed_at = excluded.destroyed_at`,
      )
      .run(caseId, at.toISOString(), at.toISOString());
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  evict(caseId: string): void {
    this.cache.get(caseId)?.fill(0);
    this.cache.delete(caseId);
  }

  close(): void {
    for (const key of this.cache.values()) key.fill(0);
    this.cache.clear();
    this.db.close();
  }

  private remember(caseId: string, key: Buffer): void {
    this.cache.set(caseId, key);
    if (this.cache.size > this.maxCached) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
