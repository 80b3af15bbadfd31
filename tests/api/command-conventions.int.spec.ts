import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, body, expectProblem } from '../support/api-flow.ts';
import { familyCaseBody } from '../support/http-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** api.md, Conventions: what every command answers, and every way it can be refused. */
describe('command conventions', () => {
  let t: TestApp;
  let api: Api;
  let agreementId: string;
  const historyLength = async (caseId: string) =>
    (await t.call('GET', `/v1/cases/${caseId}/history`, api.tk.cw)).json().items.length as number;

  beforeAll(async () => {
    t = await startTestApp();
    api = await Api.start(t);
    agreementId = await api.agreement();
  });
  afterAll(() => t.close());

  describe('answers', () => {
    it('answers 200 {caseId, revision, position, status, events} with ETag "<revision>"', async () => {
      const caseId = await api.open();
      const res = await api.post(api.tk.cw, caseId, 'verify-protection-status');
      expect(res.statusCode, res.body).toBe(200);
      const answer = res.json();
      expect(answer).toEqual({
        caseId,
        revision: 1,
        position: expect.any(Number),
        status: 'intake',
        events: ['ProtectionStatusVerified'],
      });
      expect(res.headers.etag).toBe('"1"');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      // The position is global: a later command anywhere has a greater one.
      const other = await api.open();
      const later = await api.do(api.tk.cw, other, 'verify-protection-status');
      expect(later.position).toBeGreaterThan(answer.position);
    });

    it('answers 201 with Location and ETag for a creation', async () => {
      const res = await t.call('POST', '/v1/cases', api.tk.cw, familyCaseBody());
      expect(res.statusCode).toBe(201);
      const answer = res.json();
      expect(answer).toEqual({
        caseId: expect.any(String),
        revision: 0,
        position: expect.any(Number),
        status: 'intake',
        events: ['CaseOpened'],
      });
      expect(res.headers.location).toBe(`/v1/cases/${answer.caseId}`);
      expect(res.headers.etag).toBe('"0"');
      expect((await t.call('GET', res.headers.location as string, api.tk.cw)).statusCode).toBe(200);
    });

    it('names the ids a command creates: obstacleId for record-obstacle, concernId for raise-safeguard-concern', async () => {
      const caseId = await api.open();
      const obstacle = await api.do(api.tk.cw, caseId, 'record-obstacle');
      expect(obstacle).toMatchObject({ events: ['ObstacleRecorded'], obstacleId: 'o1' });
      const second = await api.do(api.tk.cw, caseId, 'record-obstacle', { type: 'non-cooperation' });
      expect(second.obstacleId).toBe('o2');
      const concern = await api.do(api.tk.monitor, caseId, 'raise-safeguard-concern');
      expect(concern).toMatchObject({ events: ['SafeguardConcernRaised'], concernId: 'k1' });
      // The ids are the ones the follow-up commands take.
      await api.do(api.tk.cw, caseId, 'resolve-obstacle', { obstacleId: second.obstacleId as string });
      await api.do(api.tk.monitor, caseId, 'close-safeguard-concern', { concernId: concern.concernId as string });
      const view = await api.view(caseId);
      expect(view.openObstacles.map((o: { obstacleId: string }) => o.obstacleId)).toEqual(['o1']);
      expect(view.openConcerns).toEqual([]);
    });

    it('answers the GET of a case with the same ETag as the last command', async () => {
      const caseId = await api.open();
      const answer = await api.do(api.tk.cw, caseId, 'record-obstacle');
      const res = await t.call('GET', `/v1/cases/${caseId}`, api.tk.cw);
      expect(res.headers.etag).toBe(`"${answer.revision}"`);
    });
  });

  describe('If-Match', () => {
    it('succeeds when the revision is current, and is a 412 Problem once the case moved on', async () => {
      const caseId = await api.open();
      const current = await api.post(api.tk.cw, caseId, 'record-obstacle', body('record-obstacle'), {
        'if-match': '"0"',
      });
      expect(current.statusCode, current.body).toBe(200);
      expect(current.headers.etag).toBe('"1"');

      const stale = await api.post(api.tk.cw, caseId, 'record-obstacle', body('record-obstacle'), {
        'if-match': '"0"',
      });
      expectProblem(stale, 412);
      expect(await historyLength(caseId)).toBe(2);
    });

    it('is a 400 when it is not a revision', async () => {
      const caseId = await api.open();
      expectProblem(
        await api.post(api.tk.cw, caseId, 'record-obstacle', body('record-obstacle'), { 'if-match': '"abc"' }),
        400,
      );
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a repeat with the first answer and appends nothing', async () => {
      const caseId = await api.open();
      const headers = { 'idempotency-key': 'obstacle-1' };
      const first = await api.post(api.tk.cw, caseId, 'record-obstacle', body('record-obstacle'), headers);
      expect(first.statusCode).toBe(200);
      await api.do(api.tk.cw, caseId, 'verify-protection-status'); // the case moves on in between
      const again = await api.post(api.tk.cw, caseId, 'record-obstacle', body('record-obstacle'), headers);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(again.json()).toMatchObject({ revision: 1, status: 'intake', obstacleId: 'o1' });
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(await historyLength(caseId)).toBe(3);
      expect((await api.view(caseId)).openObstacles).toHaveLength(1);
    });

    it('replays a command that appended several events as one answer', async () => {
      const caseId = await api.planned(agreementId);
      const headers = { 'idempotency-key': 'claim-1' };
      const first = await api.post(
        api.tk.cw,
        caseId,
        'lodge-protection-claim',
        body('lodge-protection-claim'),
        headers,
      );
      expect(first.json()).toMatchObject({
        events: ['ProtectionClaimLodged', 'RemovalAborted'],
        status: 'readmission',
      });
      const before = await historyLength(caseId);
      const again = await api.post(
        api.tk.cw,
        caseId,
        'lodge-protection-claim',
        body('lodge-protection-claim'),
        headers,
      );
      expect(again.json()).toEqual(first.json());
      expect(await historyLength(caseId)).toBe(before);
    });

    it('keeps each caller’s keys apart: the same key from two callers is two commands, each replayed as its own', async () => {
      const caseId = await api.open();
      const colleague = await t.token('caseworker', { state: 'DE', sub: 'dora-cw-de' });
      const headers = { 'idempotency-key': 'shared-key' };
      const mine = await api.post(api.tk.cw, caseId, 'record-obstacle', body('record-obstacle'), headers);
      const theirs = await api.post(colleague, caseId, 'record-obstacle', body('record-obstacle'), headers);
      expect(mine.json()).toMatchObject({ revision: 1, events: ['ObstacleRecorded'], obstacleId: 'o1' });
      expect(theirs.json()).toMatchObject({ revision: 2, events: ['ObstacleRecorded'], obstacleId: 'o2' });
      const mineAgain = await api.post(api.tk.cw, caseId, 'record-obstacle', body('record-obstacle'), headers);
      const theirsAgain = await api.post(colleague, caseId, 'record-obstacle', body('record-obstacle'), headers);
      expect(mineAgain.json()).toEqual(mine.json());
      expect(theirsAgain.json()).toEqual(theirs.json());
      expect(await historyLength(caseId)).toBe(3);
    });

    it('is a 422 Problem for the same key with another body, and appends nothing', async () => {
      const caseId = await api.open();
      const headers = { 'idempotency-key': 'obstacle-2' };
      await api.post(api.tk.cw, caseId, 'record-obstacle', body('record-obstacle'), headers);
      const other = await api.post(
        api.tk.cw,
        caseId,
        'record-obstacle',
        body('record-obstacle', { note: 'Another note.' }),
        headers,
      );
      expectProblem(other, 422);
      expect(await historyLength(caseId)).toBe(2);
    });
  });

  describe('refusals (409) list every failing rule', () => {
    it('a departure after a protection claim aborted the plan fails wrong-stage and protection-hold-active', async () => {
      const caseId = await api.planned(agreementId);
      const lodged = await api.do(api.tk.cw, caseId, 'lodge-protection-claim');
      expect(lodged).toMatchObject({ events: ['ProtectionClaimLodged', 'RemovalAborted'], status: 'readmission' });
      const before = await historyLength(caseId);
      const res = await api.post(api.tk.cw, caseId, 'record-departure');
      const p = expectProblem(res, 409, ['wrong-stage', 'protection-hold-active']);
      expect(p.detail.length).toBeGreaterThan(0);
      expect(await historyLength(caseId)).toBe(before);
    });

    it('planning a removal for a child with no assessment, no acceptance and no travel document lists each rule', async () => {
      const caseId = await api.cleared();
      expectProblem(await api.post(api.tk.cw, caseId, 'plan-removal'), 409, [
        'best-interests-assessment-required',
        'readmission-acceptance-required',
        'travel-document-required',
      ]);
    });

    it('blank or white-space reasons and details are 409 reasons-required', async () => {
      const caseId = await api.planned(agreementId);
      for (const reasons of ['', '   ', '\n\t ']) {
        expectProblem(
          await api.post(api.tk.cw, caseId, 'record-absconding-risk', body('record-absconding-risk', { reasons })),
          409,
          ['reasons-required'],
        );
        expectProblem(
          await api.post(api.tk.cw, caseId, 'postpone-removal', body('postpone-removal', { reasons })),
          409,
          ['reasons-required'],
        );
        expectProblem(await api.post(api.tk.cw, caseId, 'close-case', body('close-case', { reasons })), 409, [
          'reasons-required',
        ]);
        expectProblem(
          await api.post(api.tk.cw, caseId, 'abort-removal', body('abort-removal', { details: reasons })),
          409,
          ['reasons-required'],
        );
      }
      expect((await api.view(caseId)).status).toBe('removal-planned');
    });

    it('a rejection without reasons is refused with reasons-required', async () => {
      const caseId = await api.requested(agreementId);
      expectProblem(
        await api.post(api.tk.liaison, caseId, 'reject-readmission', body('reject-readmission', { reasons: ' ' })),
        409,
        ['reasons-required'],
      );
    });
  });

  describe('bad input (400 with errors)', () => {
    it('refuses an unknown field, at the top and nested', async () => {
      const caseId = await api.open();
      const top = expectProblem(
        await api.post(api.tk.cw, caseId, 'record-obstacle', { ...body('record-obstacle'), priority: 1 }),
        400,
      );
      expect(top.errors).toContainEqual({ path: 'priority', message: expect.any(String) });
      const nested = expectProblem(
        await api.post(api.tk.cw, caseId, 'verify-protection-status', {
          ...body('verify-protection-status'),
          nonRefoulementAssessment: { ...body('verify-protection-status').nonRefoulementAssessment, score: 3 },
        }),
        400,
      );
      expect(nested.errors).toContainEqual({ path: 'nonRefoulementAssessment.score', message: expect.any(String) });
    });

    it('refuses a missing required field, naming it', async () => {
      const caseId = await api.open();
      const { openedOn: _missing, ...rest } = body('record-obstacle');
      const p = expectProblem(await api.post(api.tk.cw, caseId, 'record-obstacle', rest), 400);
      expect(JSON.stringify(p.errors)).toContain('openedOn');
    });

    it('refuses an impossible date (2026-02-30) and a malformed instant', async () => {
      const caseId = await api.open();
      const p = expectProblem(
        await api.post(api.tk.cw, caseId, 'record-obstacle', body('record-obstacle', { openedOn: '2026-02-30' })),
        400,
      );
      expect(JSON.stringify(p.errors)).toContain('openedOn');
      expectProblem(await api.post(api.tk.cw, caseId, 'record-absconding', { since: '2026-13-01' }), 400);
      const opened = expectProblem(
        await t.call(
          'POST',
          '/v1/cases',
          api.tk.cw,
          familyCaseBody({ returnDecision: { reference: 'RD-1', issuedOn: '2026-02-30' } }),
        ),
        400,
      );
      expect(opened.errors?.length).toBeGreaterThan(0);
      const planned = await api.planned(agreementId);
      expectProblem(await api.post(api.tk.cw, planned, 'record-departure', { departedAt: '2026-11-05 07:45' }), 400);
      expectProblem(await api.post(api.tk.cw, planned, 'record-departure', { departedAt: '2026-11-05T07:45:00' }), 400); // no offset
    });

    it('refuses a member the case does not have with 400', async () => {
      const caseId = await api.open();
      const p = expectProblem(
        await api.post(
          api.tk.cw,
          caseId,
          'record-best-interests-assessment',
          body('record-best-interests-assessment', { memberId: 'm7' }),
        ),
        400,
      );
      expect(p.errors?.[0]?.path).toBe('memberId');
    });

    it('refuses a body that is not JSON', async () => {
      const caseId = await api.open();
      const res = await t.app.inject({
        method: 'POST',
        url: `/v1/cases/${caseId}/record-obstacle`,
        headers: { authorization: `Bearer ${api.tk.cw}`, 'content-type': 'application/json' },
        payload: '{"type": "no-transport",',
      });
      expectProblem(res, 400);
    });

    it('refuses a body over 1 MiB with 413', async () => {
      const caseId = await api.open();
      const big = body('record-obstacle', { note: 'x'.repeat(1024 * 1024 + 10) });
      const before = await historyLength(caseId);
      expectProblem(await api.post(api.tk.cw, caseId, 'record-obstacle', big), 413);
      expectProblem(
        await t.call('POST', '/v1/cases', api.tk.cw, { ...familyCaseBody(), padding: 'x'.repeat(1024 * 1024) }),
        413,
      );
      expect(await historyLength(caseId)).toBe(before);
    });
  });

  describe('who may act', () => {
    it('401 with no token, a malformed token, a token signed with another secret, or an expired token', async () => {
      const caseId = await api.open();
      expectProblem(await api.post('', caseId, 'record-obstacle'), 401);
      expectProblem(
        await t.call('POST', `/v1/cases/${caseId}/record-obstacle`, undefined, body('record-obstacle'), {
          authorization: 'Basic abc',
        }),
        401,
      );
      const [h, p] = api.tk.cw.split('.');
      expectProblem(await api.post(`${h}.${p}.c2lnbmF0dXJl`, caseId, 'record-obstacle'), 401);
      const expired = await t.token('caseworker', { state: 'DE', ttlSeconds: -60 });
      expectProblem(await api.post(expired, caseId, 'record-obstacle'), 401);
      expectProblem(await t.call('POST', '/v1/cases', undefined, familyCaseBody()), 401);
    });

    it('403 not-permitted for a role the action does not allow, on a case the caller can see', async () => {
      const caseId = await api.accepted(agreementId);
      expectProblem(await api.post(api.tk.liaison, caseId, 'plan-removal'), 403, ['not-permitted']);
      expectProblem(await api.post(api.tk.monitor, caseId, 'plan-removal'), 403, ['not-permitted']);
      expectProblem(await api.post(api.tk.cw, caseId, 'issue-travel-document'), 403, ['not-permitted']);
      expectProblem(await api.post(api.tk.cw, caseId, 'raise-safeguard-concern'), 403, ['not-permitted']);
      expectProblem(await api.post(api.tk.cw, caseId, 'erase-personal-data'), 403, ['not-permitted']);
      expectProblem(await t.call('POST', '/v1/cases', api.tk.liaison, familyCaseBody()), 403, ['not-permitted']);
      expectProblem(await t.call('POST', '/v1/cases', api.tk.monitor, familyCaseBody()), 403, ['not-permitted']);
    });

    it('404 for another State’s case, and for a liaison with no request addressed to it', async () => {
      const caseId = await api.open();
      expectProblem(await api.post(api.tk.cwFR, caseId, 'record-obstacle'), 404);
      expectProblem(await api.post(api.tk.cwFR, caseId, 'verify-protection-status'), 404);
      expectProblem(await api.post(api.tk.liaison, caseId, 'acknowledge-readmission-request'), 404); // no request yet
      await api.do(api.tk.cw, caseId, 'verify-protection-status');
      await api.do(api.tk.cw, caseId, 'submit-readmission-request', { agreementId });
      expectProblem(await api.post(api.tk.liaisonMA, caseId, 'accept-readmission'), 404);
      expectProblem(await api.post(api.tk.cw, 'no-such-case', 'record-obstacle'), 404);
      expect(await historyLength(caseId)).toBe(3);
    });

    it('a caseworker opens cases for its own State only: the destination is the token’s state', async () => {
      const res = await t.call('POST', '/v1/cases', api.tk.cwFR, familyCaseBody());
      expect(res.statusCode).toBe(201);
      const caseId = res.json().caseId;
      expect((await api.view(caseId, api.tk.cwFR)).destinationState).toBe('FR');
      expectProblem(await t.call('GET', `/v1/cases/${caseId}`, api.tk.cw), 404);
    });
  });

  it('an unknown action path is a 404 Problem', async () => {
    const caseId = await api.open();
    expectProblem(await t.call('POST', `/v1/cases/${caseId}/deport-now`, api.tk.cw, {}), 404);
  });
});
