/**
 * Slow clients (OWASP API4, unrestricted resource consumption): a client that sends its
 * headers or its body a byte at a time, or opens a connection and says nothing, must not hold
 * a socket for ever. Real sockets against `startServer` on 127.0.0.1.
 *
 * Protection: the timeouts `startServer` sets on the HTTP server (services/server.ts,
 * `SERVER_TIMEOUTS`). fastify turns Node's request timeout off (`requestTimeout: 0`) and sets
 * no socket timeout, so without them a body trickled one byte a second keeps its connection
 * open for as long as the client likes. Remove them → "sets finite timeouts" fails, and so
 * do the trickling specs (the connection is still open when they give up).
 * The trickle specs run with short timeouts (passed to `startServer`) so they take a second;
 * the first spec pins the production values.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/config.ts';
import { SERVER_TIMEOUTS, startServer, type RunningServer } from '../../services/server.ts';

const silent = pino({ level: 'silent' });
const dirs: string[] = [];
function config() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rrc-slow-'));
  dirs.push(dataDir);
  return loadConfig({
    RRC_DATA_DIR: dataDir,
    RRC_PORT: '0',
    RRC_AUTH_SECRET: 'slow-clients-spec',
    RRC_DEADLINES: 'off',
  });
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const GIVE_UP_MS = 4_000;

/** A raw socket that records what it got and when the server closed it. */
function open(url: string): Promise<{ socket: Socket; closed: Promise<number>; received: () => string }> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  let data = '';
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () =>
      resolve({
        socket,
        // Gives up after GIVE_UP_MS (and drops the socket), so an unprotected server fails fast.
        closed: new Promise((done) => {
          const giveUp = setTimeout(() => {
            done(Number.POSITIVE_INFINITY);
            socket.destroy();
          }, GIVE_UP_MS);
          socket.once('close', () => {
            clearTimeout(giveUp);
            done(Date.now() - started);
          });
        }),
        received: () => data,
      }),
    );
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', () => undefined); // a reset by the server is a close too
    socket.once('error', reject);
  });
}

/** Writes `parts` one every `everyMs` until the socket closes or the parts run out. */
async function trickle(socket: Socket, parts: string[], everyMs: number): Promise<void> {
  for (const part of parts) {
    if (socket.destroyed || !socket.writable) return;
    socket.write(part);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

describe('production timeouts', () => {
  it('sets finite timeouts for headers, the whole request, idle sockets and keep-alive', async () => {
    const server = await startServer(config(), silent);
    try {
      const http = server.app.server;
      expect(http.headersTimeout).toBe(SERVER_TIMEOUTS.headersMs);
      expect(http.requestTimeout).toBe(SERVER_TIMEOUTS.requestMs);
      expect(http.timeout).toBe(SERVER_TIMEOUTS.idleMs);
      expect(http.keepAliveTimeout).toBe(SERVER_TIMEOUTS.keepAliveMs);
      for (const ms of Object.values(SERVER_TIMEOUTS)) {
        expect(ms).toBeGreaterThan(0);
        expect(ms).toBeLessThanOrEqual(120_000);
      }
      // Node answers a slow request only when it checks, so the check must come well inside the timeout.
      expect(SERVER_TIMEOUTS.checkEveryMs).toBeLessThanOrEqual(SERVER_TIMEOUTS.headersMs / 2);
      expect(SERVER_TIMEOUTS.headersMs).toBeLessThanOrEqual(SERVER_TIMEOUTS.requestMs);
    } finally {
      await server.close();
    }
  });
});

describe('a server with short timeouts closes on slow clients', () => {
  const short = { headersMs: 400, requestMs: 800, idleMs: 3_000, keepAliveMs: 300, checkEveryMs: 100 };
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(config(), silent, { timeouts: short });
  });
  afterAll(() => server?.close());

  it('headers sent a line at a time: closed once the headers timeout passes', async () => {
    const c = await open(server.url);
    const lines = [
      'GET /health/live HTTP/1.1\r\n',
      'Host: x\r\n',
      ...Array.from({ length: 40 }, (_, i) => `X-${i}: y\r\n`),
    ];
    void trickle(c.socket, lines, 100);
    const after = await c.closed;
    expect(after).toBeLessThan(short.headersMs + 1_000);
    expect(c.received()).toMatch(/^(HTTP\/1\.1 408|$)/);
  });

  it('a body trickled a byte at a time: closed once the request timeout passes', async () => {
    const c = await open(server.url);
    c.socket.write(
      'POST /v1/agreements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n',
    );
    void trickle(
      c.socket,
      Array.from({ length: 200 }, () => ' '),
      50,
    );
    const after = await c.closed;
    expect(after).toBeLessThan(short.requestMs + 1_000);
  });

  it('a connection that says nothing: closed by the headers timeout', async () => {
    const c = await open(server.url);
    expect(await c.closed).toBeLessThan(short.headersMs + 1_000);
  });

  it('an idle keep-alive connection: closed after the keep-alive timeout; a normal request is served', async () => {
    const c = await open(server.url);
    c.socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    const after = await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 200/);
    // Node keeps a socket up to a second past the keep-alive timeout (its buffer for clients'
    // clocks); still well before the idle timeout.
    expect(after).toBeLessThan(short.keepAliveMs + 1_500);
    expect(after).toBeLessThan(short.idleMs);
    const res = await fetch(`${server.url}/health/live`);
    expect(res.status).toBe(200);
  });
});
