/** One case's life, from opening to its end: each stage draws what happens from the dice. */
import type { AbortReason, HouseholdMemberInput, OpenCaseBody, Person } from '../../contracts/index.ts';
import { addCalendarDays } from '../../domain/index.ts';
import { GIVEN, FAMILY, NOTE, REJECTIONS, PRE_REMOVAL_OBSTACLES, PLAIN_ABORTS } from './world.ts';
import { bump, Stop, ScriptSteps, daysUntil, localInstant } from './script-steps.ts';

export class CaseScript extends ScriptSteps {
  // --- the lifecycle ----------------------------------------------------------------------

  async run(): Promise<void> {
    try {
      await this.open();
      await this.intake();
      await this.fateAt(0);
      if (await this.voluntaryDeparture()) return;
      await this.fateAt(1);
      await this.readmission();
      await this.fateAt(2);
      await this.removal();
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
    }
  }

  person(adult: boolean): Person {
    const d = this.d;
    const year = adult ? d.int(1966, 2006) : d.int(2009, 2010);
    return {
      givenNames: d.pick(GIVEN),
      familyName: d.pick(FAMILY),
      aliases: d.chance(0.15) ? [`${d.pick(GIVEN)} ${d.pick(FAMILY)}`] : [],
      sex: d.weighted({ male: 60, female: 38, unknown: 2 }),
      dateOfBirth: `${year}-${String(d.int(1, 12)).padStart(2, '0')}-${String(d.int(1, 28)).padStart(2, '0')}`,
      placeOfBirth: d.pick(this.profile.places),
      nationality: this.origin,
      languages: [d.pick(this.profile.languages)],
    };
  }

  async open(): Promise<void> {
    const d = this.d;
    const shape = d.weighted({ single: 55, parentWithChildren: 25, couple: 10, family: 5, unaccompanied: 5 });
    const principal = this.person(shape !== 'unaccompanied');
    const household: HouseholdMemberInput[] = [];
    const year = Number(this.today.slice(0, 4));
    const child = (): HouseholdMemberInput => ({
      givenNames: d.pick(GIVEN),
      familyName: principal.familyName,
      dateOfBirth: `${d.int(year - 15, year - 1)}-${String(d.int(1, 12)).padStart(2, '0')}-${String(d.int(1, 28)).padStart(2, '0')}`,
      relationship: 'child',
    });
    if (shape === 'couple' || shape === 'family') {
      household.push({
        givenNames: d.pick(GIVEN),
        familyName: principal.familyName,
        dateOfBirth: this.person(true).dateOfBirth,
        relationship: 'spouse',
      });
    }
    if (shape === 'parentWithChildren' || shape === 'family')
      for (let k = d.int(1, 3); k > 0; k--) household.push(child());
    if (shape === 'unaccompanied') {
      // 15 to 17 on the day the case opens.
      principal.dateOfBirth = `${year - d.int(16, 17)}-${String(d.int(1, 12)).padStart(2, '0')}-${String(d.int(1, 28)).padStart(2, '0')}`;
    }
    const body: OpenCaseBody = {
      person: principal,
      household,
      originState: this.origin,
      returnDecision: {
        reference: `DEMO-${this.destination}-${this.seed}-${this.index}`,
        issuedOn: addCalendarDays(this.today, -d.int(10, 120)),
      },
    };
    this.stats.commands += 1;
    const answer = await this.target.commands.open(this.cw, body, {
      idempotencyKey: `demo-seed-${this.seed}-${this.index}`,
    });
    this.caseId = answer.caseId;
    this.children = household.flatMap((m, k) => (m.relationship === 'child' ? [`m${k + 1}`] : []));
    if (shape === 'unaccompanied') this.children.unshift('principal');
  }

  async intake(): Promise<void> {
    const d = this.d;
    const risk = d.chance(0.02);
    await this.act(this.cw, 'verify-protection-status', {
      decisionFinalOn: addCalendarDays(this.today, -d.int(20, 90)),
      suspensiveRemedyPending: false,
      nonRefoulementAssessment: {
        outcome: risk ? 'risk' : 'no-risk',
        assessedOn: addCalendarDays(this.today, -d.int(1, 10)),
        reasons: NOTE,
      },
    });
    if (risk) {
      await this.later(d.int(5, 20));
      await this.close('permit-granted');
    }
    await this.later(1);
    this.healthNote = d.chance(0.15);
    await this.act(this.cw, 'record-vulnerability-screening', {
      screenedOn: this.today,
      findings: [
        ...(this.healthNote ? [{ memberId: 'principal', kind: 'health' as const, note: NOTE }] : []),
        ...(d.chance(0.02) ? [{ memberId: 'principal', kind: 'trafficking-indicators' as const, note: NOTE }] : []),
      ],
    });
    for (const memberId of this.children) {
      await this.later(d.int(1, 6));
      const positive = d.chance(0.94);
      await this.act(this.cw, 'record-best-interests-assessment', {
        memberId,
        assessedOn: this.today,
        assessingBody: 'Demo Child Welfare Board (synthetic)',
        independentOfEnforcement: true,
        conclusion: positive ? 'return-in-best-interests' : 'return-not-in-best-interests',
        reasons: NOTE,
      });
      if (!positive) {
        await this.later(d.int(5, 15));
        await this.close('permit-granted');
      }
    }
    if (this.children[0] === 'principal') {
      await this.later(d.int(1, 5));
      await this.act(this.cw, 'verify-reception-arrangement', {
        memberId: 'principal',
        kind: d.pick(['family', 'guardian', 'reception-facility'] as const),
        verifiedOn: this.today,
        details: NOTE,
      });
    }
  }

  /** True when the person left voluntarily (the case is closed). */
  async voluntaryDeparture(): Promise<boolean> {
    const d = this.d;
    if (this.children[0] === 'principal' || !d.chance(0.2)) return false;
    const days = d.int(7, 30);
    await this.act(this.cw, 'grant-voluntary-departure', { grantedOn: this.today, days, assisted: d.chance(0.6) });
    const endsOn = addCalendarDays(this.today, days);
    if (d.chance(0.55)) {
      await this.later(d.int(2, days - 1));
      await this.act(this.cw, 'record-voluntary-departure', {
        departedOn: this.today,
        verifiedBy: d.pick(['exit-check', 'consular-confirmation', 'other'] as const),
      });
      bump(this.stats.outcomes, 'departed-voluntarily');
      return true;
    }
    // The period ends by itself (the deadline service), then the return is enforced.
    await this.on(addCalendarDays(endsOn, 1));
    if (d.chance(0.3)) await this.act(this.cw, 'record-absconding-risk', { assessedOn: this.today, reasons: NOTE });
    return false;
  }

  async readmission(): Promise<void> {
    const d = this.d;
    for (let round = 1; ; round++) {
      await this.later(d.int(2, 12));
      const agreement = this.agreements[this.origin]!;
      const evidenceKind =
        round > 1
          ? 'interview'
          : d.weighted({ passport: 25, 'identity-card': 30, 'birth-certificate': 20, interview: 25 });
      this.hasPassport = evidenceKind === 'passport';
      const evidence =
        evidenceKind === 'interview'
          ? []
          : [
              {
                type: evidenceKind,
                reference: `DEMO-${evidenceKind.toUpperCase()}-${this.index}`,
                ...(evidenceKind === 'passport' ? { validUntil: addCalendarDays(this.today, d.int(500, 2000)) } : {}),
              },
            ];
      const accelerated = agreement.terms.acceleratedReplyDeadline !== null && d.chance(0.08);
      await this.act(this.cw, 'submit-readmission-request', {
        agreementId: agreement.agreementId,
        procedure: accelerated ? 'accelerated' : 'normal',
        evidence,
        requestInterview: evidenceKind === 'interview' || d.chance(0.1),
        ...(this.healthNote ? { careNeededInTransit: NOTE } : {}),
      });
      if (round > 1) await this.resolveOpenObstacles(); // the new request answers the old obstacles
      const answer = await this.originAnswers(evidenceKind === 'interview');
      if (answer === 'accepted') return;
      // Rejected: the obstacle, then a second attempt or the end.
      await this.later(d.int(1, 3));
      const { data } = await this.state();
      await this.obstacle('readmission-rejected');
      const reason = data.request?.rejection?.reason;
      if (reason === 'nationality-not-established' || reason === 'person-unknown')
        await this.obstacle('identification-failure');
      if (round === 1 && d.chance(0.4)) continue;
      await this.later(d.int(20, 60));
      await this.close('return-not-possible');
    }
  }

  /** The origin State's side: returns once the request is accepted (or deemed) or rejected. */
  async originAnswers(interview: boolean): Promise<'accepted' | 'rejected'> {
    const d = this.d;
    const p = this.profile;
    const request = async () => (await this.state()).data.request!;
    let r = await request();
    const consent = r.terms.silenceMeansConsent;
    let plan = d.weighted(p.answer);
    if (d.chance(p.acknowledges) && daysUntil(this.today, r.replyDueOn) >= 1) {
      await this.later(d.int(1, Math.min(3, daysUntil(this.today, r.replyDueOn))));
      if ((await request()).status === 'pending') {
        await this.act(this.liaison, 'acknowledge-readmission-request', { receivedOn: this.today });
      }
    }
    if (interview && plan !== 'silent') {
      await this.later(1);
      if ((await request()).status !== 'pending') return 'accepted'; // deemed while it waited
      const room = Math.max(1, daysUntil(this.today, r.replyDueOn) - 1);
      const proposedOn = addCalendarDays(this.today, d.int(1, Math.min(6, room)));
      await this.act(this.liaison, 'request-identification-interview', { proposedOn });
      await this.on(proposedOn);
      if ((await request()).status !== 'pending') return 'accepted';
      const outcome = d.weighted({ national: 70, inconclusive: 20, 'not-national': 10 });
      await this.act(this.liaison, 'record-identification-interview', { heldOn: this.today, outcome });
      if (outcome === 'not-national') plan = 'reject';
      if (outcome === 'inconclusive' && d.chance(0.7)) plan = 'reject';
    }
    r = await request();
    if (
      plan !== 'silent' &&
      r.terms.maxExtension !== null &&
      r.extension === undefined &&
      d.chance(0.12) &&
      this.today < r.replyDueOn
    ) {
      const max = r.terms.maxExtension;
      await this.act(this.liaison, 'request-reply-extension', {
        days: Math.min(max.days, d.int(7, 30)),
        reasons: NOTE,
      });
      r = await request();
    }
    const due = r.replyDueOn;
    if (plan === 'silent') {
      await this.on(addCalendarDays(due, 1), 9, 12);
      if (consent) return 'accepted'; // deemed accepted by the deadline service
      // No reply: the deadline service opened a `no-reply` obstacle. A late answer, or the end.
      if (!d.chance(0.5)) {
        await this.later(d.int(60, 90));
        await this.close('return-not-possible');
      }
      await this.later(d.int(10, 60));
      plan = d.chance(0.6) ? 'accept' : 'reject';
    } else {
      const late = !consent && d.chance(p.lateReply);
      const answerOn = late
        ? addCalendarDays(due, d.int(2, 30))
        : addCalendarDays(this.today, d.int(0, Math.max(0, daysUntil(this.today, due))));
      await this.on(answerOn > this.today ? answerOn : this.today);
      if ((await request()).status !== 'pending') return 'accepted';
    }
    if (plan === 'accept') {
      await this.act(this.liaison, 'accept-readmission', { acceptedOn: this.today });
      return 'accepted';
    }
    const reason = interview
      ? d.pick(['nationality-not-established', 'not-a-national'] as const)
      : d.weighted(REJECTIONS);
    await this.act(this.liaison, 'reject-readmission', { rejectedOn: this.today, reason, reasons: NOTE });
    return 'rejected';
  }

  async removal(): Promise<void> {
    const d = this.d;
    await this.travelDocument();
    // Sometimes something else stands in the way first.
    if (d.chance(0.25)) await this.preRemovalObstacle();
    await this.fateAt(3);
    const mode =
      this.children[0] === 'principal'
        ? 'unescorted'
        : d.weighted({ 'voluntary-assisted': 20, unescorted: 50, escorted: 30 } as const);
    for (;;) {
      this.attempts += 1;
      if (this.attempts > 3) {
        await this.later(d.int(10, 30));
        await this.close('return-not-possible');
      }
      const outcome = await this.attempt(mode);
      if (outcome === 'returned') return;
      await this.later(d.int(5, 20));
    }
  }

  async travelDocument(): Promise<void> {
    const d = this.d;
    if (this.hasPassport) return;
    const { data } = await this.state();
    const due = data.request!.travelDocumentDueOn!;
    const behaviour = d.weighted({
      onTime: this.profile.documents.onTime,
      late: this.profile.documents.late,
      refused: this.profile.documents.refused,
    });
    if (behaviour === 'refused') {
      await this.on(addCalendarDays(due, d.int(5, 15)));
      await this.obstacle('travel-document-refused');
      await this.later(d.int(20, 40));
      await this.close('return-not-possible');
    }
    const issueOn =
      behaviour === 'onTime'
        ? addCalendarDays(this.today, d.int(0, Math.max(0, daysUntil(this.today, due))))
        : addCalendarDays(due, d.int(2, 25));
    await this.on(issueOn > this.today ? issueOn : this.today);
    await this.act(this.liaison, 'issue-travel-document', {
      documentNumber: `DEMO-TD-${this.origin}-${this.index}`,
      issuedOn: this.today,
      validUntil: addCalendarDays(this.today, data.request!.terms.travelDocument.minValidityDays + d.int(30, 180)),
    });
  }

  async preRemovalObstacle(): Promise<void> {
    const d = this.d;
    await this.later(d.int(1, 5));
    const type = d.weighted(PRE_REMOVAL_OBSTACLES);
    const obstacleId = await this.obstacle(type);
    if (type === 'medical-unfitness') {
      await this.act(this.cw, 'postpone-removal', { reason: 'health', reasons: NOTE });
    }
    let claim = false;
    if (type === 'legal-suspension') {
      await this.act(this.cw, 'lodge-protection-claim', {
        lodgedOn: this.today,
        kind: d.pick(['interim-measure', 'suspensive-appeal'] as const),
      });
      claim = true;
    }
    await this.later(d.int(3, 20));
    if (type === 'medical-unfitness') await this.act(this.cw, 'lift-postponement', { liftedOn: this.today });
    if (claim) await this.act(this.cw, 'decide-protection-claim', { decidedOn: this.today, outcome: 'rejected' });
    await this.act(this.cw, 'resolve-obstacle', { obstacleId, resolvedOn: this.today, note: NOTE });
  }

  /** One removal attempt; 'again' when it must be planned anew. */
  async attempt(mode: 'voluntary-assisted' | 'unescorted' | 'escorted'): Promise<'returned' | 'again'> {
    const d = this.d;
    let { data } = await this.state();
    const terms = data.request!.terms;
    const noticeDays = Math.ceil(terms.arrivalNoticeHours / 24) + 1;
    const departureDate = addCalendarDays(this.today, d.int(noticeDays, noticeDays + 10));
    if (departureDate > data.request!.transferBy!) {
      await this.obstacle('other'); // the transfer window closed: a new request would be needed
      await this.later(d.int(10, 30));
      await this.close('return-not-possible');
    }
    if (mode === 'escorted') {
      const cert = data.fitness.principal;
      if (cert === undefined || !cert.fit || cert.validUntil < addCalendarDays(departureDate, 1)) {
        await this.act(this.cw, 'certify-fitness-to-travel', {
          memberId: 'principal',
          examinedOn: this.today,
          validUntil: addCalendarDays(this.today, 45),
          fit: true,
          practitioner: 'Dr. Demo Practitioner (synthetic)',
        });
      }
      if (data.useOfForceAssessment === undefined) {
        const riskLevel = d.weighted({ low: 60, medium: 30, high: 10 } as const);
        await this.act(this.cw, 'assess-use-of-force-risk', {
          assessedOn: this.today,
          riskLevel,
          authorisedMeasures:
            riskLevel === 'low'
              ? ['escort']
              : riskLevel === 'medium'
                ? ['escort', 'handcuffs']
                : ['escort', 'handcuffs', 'leg-restraints'],
          reasons: NOTE,
        });
      }
      if (data.monitor === undefined) {
        await this.act(d.chance(0.5) ? this.monitor : this.cw, 'assign-monitor', {
          monitorId: `demo-monitor-${d.int(1, 9)}`,
          organisation: 'Demo Independent Monitoring Office (synthetic)',
        });
      }
    }
    const hour = d.int(6, 10);
    const departureAt = `${departureDate}T${String(hour).padStart(2, '0')}:${String(d.int(0, 3) * 15).padStart(2, '0')}:00Z`;
    const transport =
      mode === 'escorted' && d.chance(0.4)
        ? 'charter'
        : d.weighted({ 'scheduled-flight': 80, land: 12, sea: 8 } as const);
    await this.act(this.cw, 'plan-removal', { departureAt, mode, transport: { kind: transport } });
    const escorted = mode === 'escorted';
    // A critical concern raised by the monitor before departure, answered by the caseworker.
    if (escorted && d.chance(0.08)) {
      await this.on(addCalendarDays(departureDate, -1), 8, 12);
      const { concernId } = await this.act(this.monitor, 'raise-safeguard-concern', {
        severity: d.weighted({ critical: 50, major: 35, minor: 15 }),
        text: NOTE,
      });
      await this.minutes(d.int(60, 8 * 60));
      await this.act(this.cw, 'respond-to-concern', { concernId: concernId!, response: NOTE });
    }
    const disruption = d.weighted({ none: 82, abscond: 4, claim: 4, abort: 10 });
    if (disruption === 'abscond') {
      await this.on(addCalendarDays(departureDate, -1));
      await this.act(this.cw, 'record-absconding', { since: this.today });
      const obstacleId = await this.obstacle('absconded');
      await this.sim.sleepUntil(Date.parse(departureAt) + 30 * 60_000);
      await this.abort('no-show');
      if (!d.chance(0.4)) {
        await this.later(d.int(30, 60));
        await this.close('absconded');
      }
      await this.later(d.int(15, 60));
      await this.act(this.cw, 'record-whereabouts-known', { on: this.today });
      await this.act(this.cw, 'resolve-obstacle', { obstacleId, resolvedOn: this.today, note: NOTE });
      return 'again';
    }
    if (disruption === 'claim') {
      // A protection claim lodged during the removal aborts it by itself.
      await this.on(addCalendarDays(departureDate, -1));
      await this.act(this.cw, 'lodge-protection-claim', { lodgedOn: this.today, kind: 'subsequent-application' });
      bump(this.stats.aborts, 'protection-claim');
      await this.later(d.int(15, 45));
      const granted = d.chance(0.3);
      await this.act(this.cw, 'decide-protection-claim', {
        decidedOn: this.today,
        outcome: granted ? 'granted' : 'rejected',
      });
      if (granted) {
        bump(this.stats.outcomes, 'protection-granted');
        throw new Stop('closed');
      }
      return 'again';
    }
    if (escorted) {
      await this.sim.sleepUntil(Date.parse(departureAt) - 90 * 60_000);
      await this.act(this.monitor, 'record-monitoring-observation', {
        phase: 'pre-departure',
        observedAt: this.nowIso,
        text: NOTE,
      });
    }
    await this.sim.sleepUntil(Date.parse(departureAt) + d.int(0, 40) * 60_000);
    if (disruption === 'abort') {
      await this.abort(d.weighted(PLAIN_ABORTS));
      return 'again';
    }
    ({ data } = await this.state());
    await this.act(this.cw, 'record-departure', { departedAt: this.nowIso });
    await this.minutes(d.int(20, 60));
    const forced = mode !== 'voluntary-assisted';
    if (forced && d.chance(escorted ? 0.15 : 0.02)) {
      const prohibited = d.chance(0.08);
      const techniques = prohibited
        ? [
            d.pick(['face-down-restraint', 'sedation', 'airway-obstruction', 'gag', 'punitive-force'] as const),
            'handcuffs' as const,
          ]
        : d
            .pick([['handcuffs'], ['escort', 'handcuffs'], ['body-cuff'], ['leg-restraints', 'handcuffs']] as const)
            .slice();
      const created = await this.act(escorted && d.chance(0.5) ? this.monitor : this.cw, 'report-use-of-force', {
        occurredAt: this.nowIso,
        techniques,
        durationMinutes: d.int(2, 45),
        justification: NOTE,
        ...(d.chance(0.1) ? { injuries: NOTE } : {}),
      });
      if (prohibited && created.concernId) {
        await this.minutes(d.int(30, 10 * 60));
        await this.act(this.cw, 'respond-to-concern', { concernId: created.concernId, response: NOTE });
      }
    }
    if (escorted)
      await this.act(this.monitor, 'record-monitoring-observation', {
        phase: 'in-flight',
        observedAt: this.nowIso,
        text: NOTE,
      });
    await this.minutes(d.int(3 * 60, 8 * 60));
    if (d.chance(0.02)) {
      // The handover was refused at arrival: back to readmission, planned again later.
      await this.abort('origin-state-refusal');
      return 'again';
    }
    const arrivedAt = localInstant(this.sim.now, this.profile.offset);
    if (escorted)
      await this.act(this.monitor, 'record-monitoring-observation', {
        phase: 'handover',
        observedAt: this.nowIso,
        text: NOTE,
      });
    await this.act(this.liaison, 'confirm-arrival', { arrivedAt, handedOverTo: 'Demo border police (synthetic)' });
    bump(this.stats.outcomes, 'returned');
    // Concerns still open are closed by the monitor after the return.
    ({ data } = await this.state());
    const open = data.concerns.filter((k) => !k.closed);
    if (open.length > 0) {
      await this.later(d.int(1, 10));
      for (const k of open)
        await this.act(this.monitor, 'close-safeguard-concern', { concernId: k.concernId, note: NOTE });
    }
    return 'returned';
  }

  async abort(reason: AbortReason): Promise<void> {
    bump(this.stats.aborts, reason);
    await this.act(this.cw, 'abort-removal', { abortedAt: this.nowIso, reason, details: NOTE });
  }
}
