import { createCipheriv, createDecipheriv, randomBytes, randomFillSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { WalSync } from '../event-store/wal-sync.ts';

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
  /**
   * `dataKey(caseId, true)` without holding the event loop for the fsync: keys asked for in the
   * same turn of the event loop (cases opened concurrently) are made in one commit.
   */
  createKey(caseId: string): Promise<Buffer | undefined>;
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

// IVs come from a pool of random bytes refilled 4 KiB at a time (one call into the CSPRNG per
// 341 seals instead of one each): the same random 96-bit IVs, fetched in bulk.
const ivPool = Buffer.alloc(4092);
let ivOffset = ivPool.length;
function randomIv(): Buffer {
  if (ivOffset + 12 > ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  ivOffset += 12;
  return Buffer.from(ivPool.subarray(ivOffset - 12, ivOffset));
}

export function seal(key: Buffer, plaintext: Buffer): Buffer {
  const iv = randomIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}

export interface SqliteKeyStoreOptions {
  /**
   * FULL (default): a new key is fsynced before it seals anything, so no durable event can
   * outlive its key in a power cut (`createKey` waits for the fsync off the event loop, see
   * WalSync; the connection itself runs NORMAL). NORMAL only for disposable data (the
   * benchmark's seeding).
   */
  synchronous?: 'FULL' | 'NORMAL';
}

export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly cache = new Map<string, Buffer>();
  // Prepared once: a cold case's first load and every case opening look keys up.
  private readonly selectKey: Database.Statement<[string], { wrapped_key: Buffer | null }>;
  private readonly insertKey: Database.Statement<[string, Buffer, string]>;
  private readonly insertKeys: (rows: readonly [string, Buffer, string][]) => void;
  private pendingKeys: { caseId: string; resolve: (key: Buffer | undefined) => void; reject: (e: unknown) => void }[] =
    [];
  /** FULL: commits are made durable by an fdatasync of the WAL (off the event loop where it can wait). */
  private readonly walSync: WalSync | undefined;

  constructor(
    file: string,
    private readonly masterKey: Buffer,
    private readonly maxCached = 10_000,
    options: SqliteKeyStoreOptions = {},
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.walSync = (options.synchronous ?? 'FULL') === 'FULL' ? new WalSync(file) : undefined;
    this.db.pragma('secure_delete = ON');
    // A key is read from the file once per case and then kept (`cache` below): a small page
    // cache (2 MB, not the default 16) is enough and keeps RSS down at 100,000 cases.
    this.db.pragma('cache_size = -2048');
    this.db.exec(`CREATE TABLE IF NOT EXISTS case_keys (
      case_id TEXT PRIMARY KEY,
      wrapped_key BLOB,
      created_at TEXT NOT NULL,
      destroyed_at TEXT
    )`);
    this.selectKey = this.db.prepare('SELECT wrapped_key FROM case_keys WHERE case_id = ?');
    // INSERT OR IGNORE: two writers racing to make the first key keep the one that landed.
    this.insertKey = this.db.prepare(
      'INSERT OR IGNORE INTO case_keys (case_id, wrapped_key, created_at) VALUES (?, ?, ?)',
    );
    this.insertKeys = this.db.transaction((rows: readonly [string, Buffer, string][]) => {
      for (const row of rows) this.insertKey.run(...row);
    });
    this.walSync?.syncNow(); // what an earlier process left in the WAL
  }

  createKey(caseId: string): Promise<Buffer | undefined> {
    const cached = this.cache.get(caseId);
    if (cached) return Promise.resolve(cached);
    return new Promise((resolve, reject) => {
      this.pendingKeys.push({ caseId, resolve, reject });
      if (this.pendingKeys.length === 1) setImmediate(() => void this.flushKeys());
    });
  }

  /** One transaction (one fsync) for every key asked for since the last one; then each reads its key back. */
  private async flushKeys(): Promise<void> {
    const batch = this.pendingKeys;
    this.pendingKeys = [];
    try {
      const at = new Date().toISOString();
      const missing = batch.filter((p) => !this.cache.has(p.caseId) && this.selectKey.get(p.caseId) === undefined);
      if (missing.length > 0) {
        this.insertKeys(missing.map((p) => [p.caseId, seal(this.masterKey, randomBytes(32)), at]));
        await this.walSync?.synced();
      }
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    for (const p of batch) {
      try {
        p.resolve(this.dataKey(p.caseId, false));
      } catch (error) {
        p.reject(error);
      }
    }
  }

  dataKey(caseId: string, create: boolean): Buffer | undefined {
    const cached = this.cache.get(caseId);
    if (cached) return cached;
    const row = this.selectKey.get(caseId);
    if (row && row.wrapped_key === null) return undefined;
    let key: Buffer;
    if (row?.wrapped_key) {
      key = open(this.masterKey, row.wrapped_key);
    } else if (!create) {
      return undefined;
    } else {
      key = randomBytes(32);
      this.insertKey.run(caseId, seal(this.masterKey, key), new Date().toISOString());
      this.walSync?.syncNow();
      const stored = this.selectKey.get(caseId)!;
      if (stored.wrapped_key === null) return undefined;
      key = open(this.masterKey, stored.wrapped_key);
    }
    this.remember(caseId, key);
    return key;
  }

  isDestroyed(caseId: string): boolean {
    const row = this.db.prepare('SELECT destroyed_at FROM case_keys WHERE case_id = ?').get(caseId) as
      { destroyed_at: string | null } | undefined;
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
    this.walSync?.syncNow(); // the erasure is on disk before the event that records it is written
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
    this.walSync?.close();
  }

  private remember(caseId: string, key: Buffer): void {
    this.cache.set(caseId, key);
    if (this.cache.size > this.maxCached) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
