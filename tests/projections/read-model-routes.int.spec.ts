import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleared, singleAdultCaseBody } from '../support/http-fixtures.ts';
import { buildScenario, principals, type Scenario } from '../support/projection-scenario.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('read-model routes', () => {
  let t: TestApp;
  let s: Scenario;
  let frCase = '';
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    s = await buildScenario(t);
    // A French case with a request to PK: not DE's business, but addressed to PK.
    t.clock.set('2026-12-14T09:00:00Z');
    frCase = (await t.services.commands.open(principals.cwFR, singleAdultCaseBody())).caseId;
    await t.services.commands.execute(principals.cwFR, frCase, { action: 'verify-protection-status', body: cleared });
    const last = await t.services.commands.execute(principals.cwFR, frCase, {
      action: 'submit-readmission-request',
      body: {
        agreementId: s.agreementA,
        procedure: 'normal',
        evidence: [{ type: 'identity-card', reference: 'ID-FR' }],
        requestInterview: false,
      },
    });
    await t.services.projections.waitFor(last.position, 5_000);
    t.clock.set('2026-12-15T10:00:00Z');
    tokens.cwDE = await t.token('caseworker', { state: 'DE' });
    tokens.cwFR = await t.token('caseworker', { state: 'FR' });
    tokens.liaisonPK = await t.token('liaison', { state: 'PK' });
    tokens.liaisonMA = await t.token('liaison', { state: 'MA' });
    tokens.monitor = await t.token('monitor');
    tokens.analyst = await t.token('analyst');
  });
  afterAll(() => t.close());

  const get = (url: string, token: string) => t.call('GET', url, token);

  describe('GET /v1/cases (worklist)', () => {
    it('lists the open cases of the caseworker’s own State only, earliest deadline first', async () => {
      const res = await get('/v1/cases?limit=500', tokens.cwDE!);
      expect(res.statusCode).toBe(200);
      const { items, nextCursor } = res.json();
      expect(nextCursor).toBeNull();
      const ids = items.map((i: { caseId: string }) => i.caseId);
      // F1, P1, P2 returned (closed); the rest open. The French case is not DE's.
      const open = ['P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'M1', 'M2', 'M3', 'M4', 'M5'].map((n) => s.cases[n]);
      expect(new Set(ids)).toEqual(new Set(open));
      expect(ids).not.toContain(frCase);
      const dues = items.map((i: { nextDeadline: { dueOn: string } | null }) => i.nextDeadline?.dueOn ?? '9999');
      expect(dues).toEqual([...dues].sort());
      const fr = (await get('/v1/cases', tokens.cwFR!)).json();
      expect(fr.items.map((i: { caseId: string }) => i.caseId)).toEqual([frCase]);
    });

    it('shows status, the next deadline, open obstacles, holds and overdue against today', async () => {
      const { items } = (await get('/v1/cases?limit=500', tokens.cwDE!)).json();
      const byId = new Map(items.map((i: { caseId: string }) => [i.caseId, i]));
      expect(byId.get(s.cases.P3)).toEqual({
        caseId: s.cases.P3,
        reference: expect.stringMatching(/^DE-2026-\d{6}$/),
        status: 'readmission',
        originState: 'PK',
        openedOn: '2026-11-02',
        outcome: null,
        nextDeadline: { kind: 'travel-document', dueOn: '2026-11-17' },
        overdue: true,
        openObstacles: ['travel-document-delay'],
        holds: [],
        unreadMessages: 0,
      });
      expect(byId.get(s.cases.M4)).toMatchObject({
        nextDeadline: { kind: 'readmission-reply', dueOn: '2026-11-17' },
        overdue: true,
        openObstacles: ['no-reply'],
      });
      expect(byId.get(s.cases.P7)).toMatchObject({
        nextDeadline: { kind: 'readmission-reply', dueOn: '2026-12-26' },
        overdue: false,
      });
      // P6: document due today, 15 Dec: due, not overdue.
      expect(byId.get(s.cases.P6)).toMatchObject({
        nextDeadline: { kind: 'travel-document', dueOn: '2026-12-15' },
        overdue: false,
      });
      expect(byId.get(s.cases.P8)).toMatchObject({
        status: 'intake',
        nextDeadline: null,
        overdue: false,
        openObstacles: ['non-cooperation'],
      });
    });

    it('computes overdue at query time: the same rows are not overdue on an earlier day', async () => {
      const overdueNow = (await get('/v1/cases?overdue=true&limit=500', tokens.cwDE!)).json().items;
      expect(overdueNow.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
      expect(overdueNow.map((i: { caseId: string }) => i.caseId)).toContain(s.cases.P3);
      t.clock.set('2026-11-17T10:00:00Z');
      try {
        const earlier = (await get('/v1/cases?overdue=true&limit=500', tokens.cwDE!)).json().items;
        expect(earlier.map((i: { caseId: string }) => i.caseId)).not.toContain(s.cases.P3);
      } finally {
        t.clock.set('2026-12-15T10:00:00Z');
      }
    });

    it('filters by status and origin State, and pages with an opaque cursor', async () => {
      const ma = (await get('/v1/cases?originState=MA&limit=500', tokens.cwDE!)).json().items;
      expect(ma.map((i: { caseId: string }) => i.caseId).sort()).toEqual(
        ['M1', 'M2', 'M3', 'M4', 'M5'].map((n) => s.cases[n]).sort(),
      );
      const closed = (await get('/v1/cases?status=closed', tokens.cwDE!)).json().items;
      expect(closed.map((i: { caseId: string }) => i.caseId).sort()).toEqual(
        ['F1', 'P1', 'P2'].map((n) => s.cases[n]).sort(),
      );
      expect(closed.every((i: { outcome: string }) => i.outcome === 'returned')).toBe(true);

      const all = (await get('/v1/cases?limit=500', tokens.cwDE!))
        .json()
        .items.map((i: { caseId: string }) => i.caseId);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await get(`/v1/cases?limit=4${cursor ? `&cursor=${cursor}` : ''}`, tokens.cwDE!);
        const body = res.json();
        expect(body.items.length).toBeLessThanOrEqual(4);
        paged.push(...body.items.map((i: { caseId: string }) => i.caseId));
        cursor = body.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all);
      expect((await get('/v1/cases?cursor=not-a-cursor', tokens.cwDE!)).statusCode).toBe(400);
      expect((await get('/v1/cases?limit=501', tokens.cwDE!)).statusCode).toBe(400);
    });

    it('is for caseworkers (403 not-permitted otherwise)', async () => {
      for (const token of [tokens.liaisonPK!, tokens.monitor!, tokens.analyst!]) {
        const res = await get('/v1/cases', token);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ rules: ['not-permitted'] });
      }
    });
  });

  describe('GET /v1/liaison/requests (inbox)', () => {
    it('lists the requests addressed to the liaison’s State only, with nothing about protection, health, holds or incidents', async () => {
      const res = await get('/v1/liaison/requests?status=all&limit=500', tokens.liaisonPK!);
      expect(res.statusCode).toBe(200);
      const items = res.json().items;
      const ids = items.map((i: { caseId: string }) => i.caseId);
      const pk = ['F1', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7'].map((n) => s.cases[n]);
      expect(new Set(ids)).toEqual(new Set([...pk, frCase]));
      const allowed = [
        'caseId',
        'reference',
        'requestId',
        'status',
        'procedure',
        'destinationState',
        'submittedOn',
        'acknowledgedOn',
        'replyDueOn',
        'overdue',
        'extensionDays',
        'answeredOn',
        'travelDocumentDueOn',
        'travelDocumentIssuedOn',
        'unreadMessages',
      ];
      for (const item of items) expect(Object.keys(item).sort()).toEqual([...allowed].sort());
      const text = res.body;
      for (const word of ['claim', 'hold', 'concern', 'force', 'health', 'obstacle', 'abort', 'monitor'])
        expect(text).not.toContain(word);
      const ma = (await get('/v1/liaison/requests?status=all&limit=500', tokens.liaisonMA!)).json().items;
      expect(new Set(ma.map((i: { caseId: string }) => i.caseId))).toEqual(
        new Set(['M1', 'M2', 'M3', 'M4', 'M5'].map((n) => s.cases[n])),
      );
    });

    it('filters by status (pending by default) with overdue against today', async () => {
      const pending = (await get('/v1/liaison/requests', tokens.liaisonMA!)).json().items;
      expect(pending).toEqual([
        expect.objectContaining({ caseId: s.cases.M4, status: 'pending', replyDueOn: '2026-11-17', overdue: true }),
      ]);
      const accepted = (await get('/v1/liaison/requests?status=accepted', tokens.liaisonPK!)).json().items;
      expect(accepted.map((i: { status: string }) => i.status).sort()).toEqual([
        'accepted',
        'accepted',
        'accepted',
        'accepted',
        'accepted',
        'deemed-accepted',
      ]);
      const rejected = (await get('/v1/liaison/requests?status=rejected', tokens.liaisonMA!)).json().items;
      expect(rejected.map((i: { caseId: string }) => i.caseId).sort()).toEqual([s.cases.M2, s.cases.M5].sort());
      expect((await get('/v1/liaison/requests?status=lost', tokens.liaisonMA!)).statusCode).toBe(400);
    });

    it('is for liaisons (403 not-permitted otherwise)', async () => {
      for (const token of [tokens.cwDE!, tokens.monitor!, tokens.analyst!]) {
        const res = await get('/v1/liaison/requests', token);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ rules: ['not-permitted'] });
      }
    });
  });

  describe('monitoring', () => {
    it('lists planned removals with their safeguard status, by departure date', async () => {
      const res = await get('/v1/monitoring/removals?from=2026-11-19&to=2026-11-30', tokens.monitor!);
      expect(res.statusCode).toBe(200);
      const items = res.json().items;
      expect(items.map((i: { caseId: string; removalId: string }) => [i.caseId, i.removalId])).toEqual([
        [s.cases.P2, 'r1'],
        [s.cases.P2, 'r2'],
      ]);
      expect(items[0]).toMatchObject({ status: 'aborted', abortReason: 'medical', mode: 'unescorted' });
      expect(items[1]).toMatchObject({
        status: 'returned',
        mode: 'escorted',
        transport: 'charter',
        safeguards: {
          monitorAssigned: true,
          useOfForceAssessed: true,
          fitToTravelCertified: true,
          children: 0,
          childrenAssessed: 0,
          openCriticalConcerns: 1,
          unansweredCriticalConcerns: 0,
        },
      });
      const family = (await get('/v1/monitoring/removals?from=2026-11-07&to=2026-11-07', tokens.monitor!)).json().items;
      expect(family).toEqual([
        expect.objectContaining({
          caseId: s.cases.F1,
          travellers: 2,
          safeguards: expect.objectContaining({ children: 1, childrenAssessed: 1 }),
        }),
      ]);
    });

    it('lists use-of-force reports (prohibited techniques flagged) and concerns, newest first', async () => {
      const res = await get('/v1/monitoring/incidents', tokens.monitor!);
      expect(res.statusCode).toBe(200);
      const items = res.json().items;
      expect(items.map((i: { kind: string; caseId: string }) => [i.kind, i.caseId])).toEqual([
        // The concern was raised at 09:00 when the 08:30 use of force was reported.
        ['concern', s.cases.P2],
        ['use-of-force', s.cases.P2],
        ['concern', s.cases.P3],
        ['concern', s.cases.P3],
      ]);
      expect(items[1]).toMatchObject({
        techniques: ['handcuffs', 'face-down-restraint'],
        prohibitedTechniques: ['face-down-restraint'],
        prohibited: true,
        reportedBy: 'monitor',
      });
      expect(items[0]).toMatchObject({ severity: 'critical', source: 'use-of-force-report', status: 'responded' });
      expect(res.body).not.toContain('Fictional');
      const page1 = (await get('/v1/monitoring/incidents?limit=3', tokens.monitor!)).json();
      const page2 = (await get(`/v1/monitoring/incidents?limit=3&cursor=${page1.nextCursor}`, tokens.monitor!)).json();
      expect([...page1.items, ...page2.items]).toEqual(items);
      expect(page2.nextCursor).toBeNull();
      const concerns = (await get('/v1/monitoring/incidents?kind=concern', tokens.monitor!)).json().items;
      expect(concerns).toHaveLength(3);
    });

    it('is for monitors (403 not-permitted otherwise)', async () => {
      for (const url of ['/v1/monitoring/removals', '/v1/monitoring/incidents']) {
        for (const token of [tokens.cwDE!, tokens.liaisonPK!, tokens.analyst!]) {
          const res = await get(url, token);
          expect(res.statusCode).toBe(403);
          expect(res.json()).toMatchObject({ rules: ['not-permitted'] });
        }
      }
    });
  });

  describe('minPosition (read-your-writes)', () => {
    it('answers after the read models applied the caller’s own write', async () => {
      const opened = await t.call('POST', '/v1/cases', tokens.cwDE, singleAdultCaseBody({ originState: 'MA' }));
      expect(opened.statusCode).toBe(201);
      const { caseId, position } = opened.json();
      const res = await get(`/v1/cases?originState=MA&limit=500&minPosition=${position}`, tokens.cwDE!);
      expect(res.statusCode).toBe(200);
      expect(res.json().items.map((i: { caseId: string }) => i.caseId)).toContain(caseId);
    });

    it('answers 503 with Retry-After when the read models do not get there within 5 s', async () => {
      const head = await t.services.store.headPosition();
      const started = Date.now();
      const res = await get(`/v1/liaison/requests?minPosition=${head + 1000}`, tokens.liaisonPK!);
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 503 });
    });
  });

  describe('health and metrics', () => {
    it('reports projection lag on /health/ready and as rrc_projection_lag_events', async () => {
      const ready = await t.call('GET', '/health/ready', undefined);
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ projections: { following: true, lag: 0, lastError: null } });
      const metrics = await t.call('GET', '/metrics', undefined);
      expect(metrics.body).toMatch(/rrc_projection_lag_events\{projection="cases"\} 0/);
    });
  });
});
