import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { openSqliteEventStore } from '../../services/event-store/sqlite-store.ts';
import type { StoredEvent } from '../../services/event-store/port.ts';

/**
 * SIGKILL a writer mid-stream and check that every append it was told had succeeded is on
 * disk, with its revision, and that no append is half there. (SIGKILL tests the process
 * dying, not the machine: that is what synchronous=FULL adds on top, and needs a power cut.)
 */
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const WANTED_APPENDS = 300;
const TIME_BOUND_MS = 12_000;

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Ack {
  n: number;
  streamId: string;
  revision: number;
  id: string;
}

it('keeps every acknowledged append across a SIGKILL, with its revision and without gaps', async () => {
  dir = mkdtempSync(join(tmpdir(), 'rrc-crash-'));
  const file = join(dir, 'events.sqlite');
  const { begun, acks, killedAfterMs } = await runAndKill(file);

  const acknowledgedAppends = new Set(acks.map((a) => a.n)).size;
  expect(
    acknowledgedAppends,
    `writer acknowledged only ${acknowledgedAppends} appends in ${killedAfterMs} ms`,
  ).toBeGreaterThanOrEqual(50);

  const raw = new Database(file, { readonly: true });
  try {
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    raw.close();
  }

  const store = openSqliteEventStore(file);
  try {
    const stored = await readEverything(store);
    const byId = new Map(stored.map((e) => [e.id, e]));

    for (const ack of acks) {
      expect(byId.get(ack.id), `acknowledged event ${ack.id} is missing`).toMatchObject({
        streamId: ack.streamId,
        revision: ack.revision,
      });
    }

    // Each append is all or nothing, the one in flight at the kill included.
    for (const ids of begun.values()) {
      const present = ids.filter((id) => byId.has(id)).length;
      expect([0, ids.length]).toContain(present);
    }

    // Every stream counts 0, 1, 2, … with no gap.
    const revisions = new Map<string, number[]>();
    for (const e of stored) revisions.set(e.streamId, [...(revisions.get(e.streamId) ?? []), e.revision]);
    for (const [streamId, list] of revisions) {
      expect(list, streamId).toEqual(list.map((_, i) => i));
    }

    // Nothing appears that the writer did not start.
    const begunIds = new Set([...begun.values()].flat());
    expect(stored.every((e) => begunIds.has(e.id))).toBe(true);

    // And the store takes the next append where the writer stopped.
    const [streamId, list] = [...revisions.entries()][0]!;
    const next = await store.append(
      streamId,
      [{ id: crypto.randomUUID(), type: 'AfterCrash', data: {}, metadata: {} }],
      list.length - 1,
    );
    expect(next.revision).toBe(list.length);
  } finally {
    await store.close();
  }
}, 30_000);

async function readEverything(store: ReturnType<typeof openSqliteEventStore>): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after: all.at(-1)?.position ?? 0, limit: 1000 });
    all.push(...page);
    if (page.length < 1000) return all;
  }
}

function runAndKill(file: string): Promise<{ begun: Map<number, string[]>; acks: Ack[]; killedAfterMs: number }> {
  return new Promise((resolvePromise, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'crash-writer.ts'), file], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const begun = new Map<number, string[]>();
    const acks: Ack[] = [];
    const ackedAppends = new Set<number>();
    let buffered = '';
    let stderr = '';
    let killedAfterMs = 0;

    const kill = (): void => {
      if (killedAfterMs) return;
      killedAfterMs = Date.now() - started;
      child.kill('SIGKILL');
    };
    const bound = setTimeout(kill, TIME_BOUND_MS);

    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? ''; // only whole lines count: a torn line was never acknowledged
      for (const line of lines) {
        const [kind, n, streamId, fourth, fifth] = line.split(' ');
        if (kind === 'begin' && n && streamId && fourth) begun.set(Number(n), fourth.split(','));
        if (kind === 'ack' && n && streamId && fourth && fifth) {
          acks.push({ n: Number(n), streamId, revision: Number(fourth), id: fifth });
          ackedAppends.add(Number(n));
        }
      }
      if (ackedAppends.size >= WANTED_APPENDS) kill();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(bound);
      if (signal !== 'SIGKILL') {
        reject(new Error(`writer exited by itself (code ${code}, signal ${signal}): ${stderr}`));
        return;
      }
      resolvePromise({ begun, acks, killedAfterMs });
    });
  });
}
