/**
 * Webhook registrations: admins only, an http(s) URL, a State and kinds; the secret is shown
 * once and is in the log only sealed; a deletion destroys it.
 *
 * Protection: the admin check of `webhookRoutes` (services/api/routes/webhooks.ts) and of
 * `WebhookRegistry`; `sealSecret` in the registry. Drop the route's `onRequest` hook → the
 * non-admin cells answer 400 or 201 instead of 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, tokensFor, type Tokens } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let tk: Tokens;
beforeAll(async () => {
  t = await startTestApp();
  tk = await tokensFor(t);
});
afterAll(() => t.close());

const registration = {
  url: 'https://hooks.example.test/rrc',
  state: 'PK',
  kinds: ['readmission-request.submitted', 'reply-deadline.approaching'],
};

describe('webhook registration rights', () => {
  it('refuses every role but admin with 403 not-permitted, before looking at the body', async () => {
    for (const token of [tk.cw, tk.liaison, tk.monitor, tk.analyst]) {
      expectProblem(await t.call('POST', '/v1/webhooks', token, registration), 403, ['not-permitted']);
      expectProblem(await t.call('POST', '/v1/webhooks', token, { nonsense: true }), 403, ['not-permitted']);
      expectProblem(await t.call('GET', '/v1/webhooks', token), 403, ['not-permitted']);
      expectProblem(await t.call('GET', '/v1/webhooks/dead-letters', token), 403, ['not-permitted']);
      expectProblem(await t.call('POST', '/v1/webhooks/dead-letters/replay', token), 403, ['not-permitted']);
    }
    expectProblem(await t.call('POST', '/v1/webhooks', undefined, registration), 401);
    expectProblem(await t.call('GET', '/v1/webhooks', undefined), 401);
  });

  it('registers an endpoint for an admin, shows the secret once, and lists it without', async () => {
    const res = await t.call('POST', '/v1/webhooks', tk.admin, registration);
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ ...registration, webhookId: expect.stringMatching(/^wh_/) });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    expect(res.headers.location).toBe(`/v1/webhooks/${created.webhookId}`);

    const list = await t.call('GET', '/v1/webhooks', tk.admin);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      {
        webhookId: created.webhookId,
        url: registration.url,
        state: 'PK',
        kinds: registration.kinds,
        registeredAt: expect.any(String),
      },
    ]);
    expect(list.body).not.toContain(created.secret);

    // The registration is an event of its own stream; the secret sits in it only sealed.
    const stored = await t.services.store.readStream(`webhook-${created.webhookId}`);
    expect(stored.map((e) => e.type)).toEqual(['WebhookRegistered']);
    expect(JSON.stringify(stored)).not.toContain(created.secret);
    expect(JSON.stringify(stored)).not.toContain(created.secret.slice('whsec_'.length));

    // Deleting records an event, destroys the key that seals the secret, and hides the endpoint.
    const del = await t.call('DELETE', `/v1/webhooks/${created.webhookId}`, tk.admin);
    expect(del.statusCode, del.body).toBe(204);
    expect((await t.services.store.readStream(`webhook-${created.webhookId}`)).map((e) => e.type)).toEqual([
      'WebhookRegistered',
      'WebhookDeleted',
    ]);
    expect((await t.call('GET', '/v1/webhooks', tk.admin)).json().items).toEqual([]);
    expectProblem(await t.call('DELETE', `/v1/webhooks/${created.webhookId}`, tk.admin), 404);
  });

  it('refuses a URL that is not http(s), carries credentials, or a kind it does not know (400)', async () => {
    for (const body of [
      { ...registration, url: 'ftp://hooks.example.test/rrc' },
      { ...registration, url: 'file:///etc/passwd' },
      { ...registration, url: 'https://user:pw@hooks.example.test/rrc' },
      { ...registration, url: 'not a url' },
      { ...registration, kinds: ['case.opened'] },
      { ...registration, kinds: [] },
      { ...registration, state: 'pk' },
      { ...registration, secret: 'whsec_mine' },
    ]) {
      const p = expectProblem(await t.call('POST', '/v1/webhooks', tk.admin, body), 400);
      expect(p.errors?.length).toBeGreaterThan(0);
    }
    expectProblem(await t.call('DELETE', '/v1/webhooks/not-an-id', tk.admin), 400);
    expectProblem(await t.call('POST', '/v1/webhooks/dead-letters/msg_none/replay', tk.admin), 404);
  });
});
