/**
 * At least once across a restart: events appended while no dispatcher ran, and a delivery
 * that had failed when the process stopped, both reach the endpoint after a restart on the
 * same data dir, under the `webhook-id` they first had, and nothing the endpoint already
 * acknowledged is sent again.
 *
 * Protection: the dispatcher's checkpoint and outbox (services/webhooks/outbox-db.ts), made
 * in one transaction with each delivery. Keep the checkpoint in memory only → after the
 * restart the dispatcher starts at the head (a fresh outbox) and the events appended while it
 * was down are never delivered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { Api } from '../support/api-flow.ts';
import { startTestApp } from '../support/test-app.ts';
import { eventually, Receiver } from './receiver.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'rrc-webhooks-restart-'));
const receiver = new Receiver();
afterAll(async () => {
  await receiver.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = (retryBaseMs: string) =>
  startTestApp({ env: { RRC_DATA_DIR: dataDir, RRC_KEYS_DIR: dataDir, RRC_WEBHOOKS_RETRY_BASE_MS: retryBaseMs } });

describe('webhook deliveries across a restart', () => {
  it('delivers what was missed or pending when the process stopped, once, under the same id', async () => {
    await receiver.start();

    // First life: an endpoint, one delivery that succeeds, one that fails and waits a minute.
    const first = await start('60000');
    const api = await Api.start(first);
    const agreementId = await api.agreement();
    const reg = await first.call('POST', '/v1/webhooks', api.tk.admin, {
      url: receiver.url,
      state: 'PK',
      kinds: ['readmission-request.submitted'],
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const secret: string = reg.json().secret;
    first.services.webhooks.start();
    const delivered = await api.requested(agreementId);
    await receiver.waitFor(1);
    receiver.answers = [503];
    const failed = await api.requested(agreementId);
    await receiver.waitFor(2);
    const failedId = receiver.received[1]!.headers['webhook-id'];
    // Then the dispatcher stops, and a request is submitted while none runs.
    await first.services.webhooks.dispatcher.stop();
    const missed = await api.requested(agreementId);
    await first.stop();
    rmSync(first.dataDir, { recursive: true, force: true }); // the harness's own, unused dir

    // Second life on the same data dir.
    const second = await start('20');
    try {
      second.services.webhooks.start();
      await receiver.waitFor(4);
      const head = await second.services.store.headPosition();
      await eventually(() => second.services.webhooks.dispatcher.position() >= head);
      await new Promise((r) => setTimeout(r, 200));
      const caseIds = receiver.payloads().map((p) => p.data.caseId);
      expect(caseIds.slice(0, 2)).toEqual([delivered, failed]);
      expect(caseIds.slice(2).sort()).toEqual([failed, missed].sort());
      expect(receiver.received).toHaveLength(4); // the acknowledged one was not sent again
      const retried = receiver.received.slice(2).find((r) => JSON.parse(r.body).data.caseId === failed)!;
      expect(retried.headers['webhook-id']).toBe(failedId);
      for (const r of receiver.received.slice(2)) {
        expect(() => new Webhook(secret).verify(r.body, r.headers as Record<string, string>)).not.toThrow();
      }
    } finally {
      await second.stop();
      rmSync(second.dataDir, { recursive: true, force: true });
    }
  });
});
