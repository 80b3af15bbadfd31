import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * The sealed bytes of documents, one file per document under `<dir>/<caseId>/`. Replicas of
 * one cluster share the folder (as they share the key store). A file is written whole or not
 * at all (a temporary name, fsync, rename), so a reader never sees half a document.
 */
export class DocumentFiles {
  constructor(readonly dir: string) {}

  async write(caseId: string, documentId: string, sealed: Buffer): Promise<void> {
    const folder = this.caseFolder(caseId);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const target = this.file(caseId, documentId);
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(sealed);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  }

  /** `undefined` when there is no such file (never uploaded, or erased). */
  async read(caseId: string, documentId: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.file(caseId, documentId));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** Drops one document's file (an upload that was not recorded). */
  async remove(caseId: string, documentId: string): Promise<void> {
    await rm(this.file(caseId, documentId), { force: true });
  }

  /**
   * Erasure: every file of the case is overwritten with zeros, then deleted. The bytes were
   * ciphertext under a key that is already destroyed; the overwrite is a second line of
   * defence where the file system rewrites in place.
   */
  async eraseCase(caseId: string): Promise<void> {
    const folder = this.caseFolder(caseId);
    if (!existsSync(folder)) return;
    for (const name of await readdir(folder)) {
      const file = path.join(folder, name);
      const { size } = await stat(file);
      const handle = await open(file, 'r+');
      try {
        await handle.write(Buffer.alloc(size), 0, size, 0);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await unlink(file);
    }
    await rm(folder, { recursive: true, force: true });
  }

  private file(caseId: string, documentId: string): string {
    if (!/^[0-9a-f-]{36}$/.test(documentId)) throw new Error('not a document id');
    return path.join(this.caseFolder(caseId), `${documentId}.sealed`);
  }

  /** Case ids come from the server (UUIDs); anything else never becomes a path. */
  private caseFolder(caseId: string): string {
    if (!/^[A-Za-z0-9-]{1,100}$/.test(caseId)) throw new Error('not a case id');
    return path.join(this.dir, caseId);
  }
}
