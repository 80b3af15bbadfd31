// The case page's sections: the frame every section shares (ids that stay the same in every
// language, in-page links), and what the case shows: the full record for caseworkers and
// monitors, the allow-listed request view for the origin State's liaison.
import { describe, h, table, text } from './dom.js';
import { fieldLabel, ltr, statusLabel, t, valueLabel } from './i18n.js';

/**
 * Sections are named by a key (`overview`, `actions`…): their ids stay the same in every
 * language (`sec-actions`), their headings come from the catalogue (`section.<key>`).
 */
const SLUGS = {
  record: 'everything-recorded',
  careInTransit: 'care-needed-in-transit',
  openConcerns: 'open-safeguard-concerns',
};
const slug = (key) => `sec-${SLUGS[key] ?? key.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`;
export const section = (key, ...body) =>
  h(
    'section',
    { class: 'panel', 'aria-labelledby': slug(key) },
    h('h2', { id: slug(key), tabindex: '-1' }, t(`section.${key}`)),
    ...body,
  );

/** In-page links (the URL hash is the router's): move focus to the section's heading. */
export function onThisPage(headings) {
  const jump = (event) => {
    const target = document.getElementById(event.currentTarget.dataset.target);
    if (!target) return;
    event.preventDefault();
    target.scrollIntoView();
    target.focus();
  };
  return h(
    'nav',
    { class: 'on-page', 'aria-label': t('case.onThisPage') },
    h(
      'ul',
      {},
      headings.map((heading) =>
        h(
          'li',
          {},
          h('a', { href: `#${slug(heading)}`, 'data-target': slug(heading), onclick: jump }, t(`section.${heading}`)),
        ),
      ),
    ),
  );
}
export const none = (what) => h('p', { class: 'empty' }, what);

export function fullSections(c) {
  const people = [
    c.person ? { memberId: 'principal', ...c.person, relationship: 'principal' } : null,
    ...(c.household ?? []),
  ].filter(Boolean);
  const holds = [
    ...(c.holds?.protectionClaims ?? []).map((p) =>
      t('case.holdClaim', { claimId: p.claimId, kind: valueLabel(p.kind), lodgedOn: text(p.lodgedOn) }),
    ),
    c.holds?.postponement
      ? t('case.holdPostponed', {
          reason: valueLabel(c.holds.postponement.reason),
          until: text(c.holds.postponement.until),
        })
      : null,
    c.holds?.absconded ? t('case.holdAbsconded', { since: text(c.holds.absconded.since) }) : null,
  ].filter(Boolean);
  return [
    section(
      'overview',
      h(
        'dl',
        { class: 'record summary' },
        [
          ['destinationState', c.destinationState],
          ['originState', c.originState],
          ['openedOn', c.openedOn],
          ['closedOn', c.closedOn],
          [
            'returnDecision',
            c.returnDecision
              ? t('case.decisionIssued', {
                  reference: c.returnDecision.reference,
                  issuedOn: text(c.returnDecision.issuedOn),
                })
              : null,
          ],
          [
            'readmissionRequest',
            c.readmissionRequest
              ? t('case.requestReplyDue', {
                  status: statusLabel(c.readmissionRequest.status),
                  replyDueOn: text(c.readmissionRequest.replyDueOn),
                })
              : null,
          ],
          [
            'travelDocument',
            c.travelDocument
              ? t('case.documentValidUntil', {
                  documentNumber: ltr(c.travelDocument.documentNumber),
                  validUntil: text(c.travelDocument.validUntil),
                })
              : null,
          ],
          [
            'removal',
            c.removal
              ? t('case.removalDeparture', {
                  mode: valueLabel(c.removal.mode),
                  departureAt: text(c.removal.departureAt),
                })
              : null,
          ],
          [
            'monitor',
            c.monitor
              ? t('case.monitorOf', { monitorId: c.monitor.monitorId, organisation: c.monitor.organisation })
              : null,
          ],
          ['revision', c.revision],
        ].map(([k, v]) => [h('dt', {}, fieldLabel(k)), h('dd', {}, text(v))]),
      ),
    ),
    section(
      'people',
      c.personalDataErased ? none(t('case.erased')) : null,
      people.length
        ? table(people, [
            // The principal's member id is a word: shown in the page's language.
            ['memberId', fieldLabel('memberId'), (v) => (v === 'principal' ? valueLabel(v) : v)],
            ['givenNames', fieldLabel('givenNames')],
            ['familyName', fieldLabel('familyName')],
            ['dateOfBirth', fieldLabel('dateOfBirth')],
            ['relationship', fieldLabel('relationship'), valueLabel],
          ])
        : null,
    ),
    h(
      'div',
      { class: 'panels' },
      section(
        'holds',
        holds.length
          ? h(
              'ul',
              {},
              holds.map((hold) => h('li', {}, hold)),
            )
          : none(t('case.noHolds')),
      ),
      section(
        'deadlines',
        c.deadlines?.length
          ? table(c.deadlines, [
              ['kind', t('case.deadline'), valueLabel],
              ['dueOn', fieldLabel('dueOn')],
              [
                'overdue',
                t('list.overdue'),
                (v) => (v ? h('strong', { class: 'warn' }, t('list.overdue')) : t('common.no')),
              ],
            ])
          : none(t('case.noDeadlines')),
      ),
      section(
        'openObstacles',
        c.openObstacles?.length
          ? table(c.openObstacles, [
              ['obstacleId', t('case.id')],
              ['type', fieldLabel('type'), valueLabel],
              ['openedOn', fieldLabel('openedOn')],
              ['note', fieldLabel('note')],
              ['automatic', t('case.automatic')],
            ])
          : none(t('case.noObstacles')),
      ),
      section(
        'openConcerns',
        c.openConcerns?.length
          ? table(c.openConcerns, [
              ['concernId', t('case.id')],
              ['severity', fieldLabel('severity'), valueLabel],
              ['raisedAt', t('case.raised')],
              ['source', fieldLabel('source'), valueLabel],
              ['text', t('case.concern')],
              ['response', fieldLabel('response'), (v) => text(v?.response)],
            ])
          : none(t('case.noConcerns')),
      ),
    ),
  ];
}

/** The origin State's view: only what the server's allow-list sends. */
export function liaisonSections(c) {
  const r = c.readmissionRequest ?? {};
  return [
    section('request', describe(r)),
    section('person', describe(c.person)),
    section(
      'accompanyingMembers',
      c.accompanyingMembers?.length ? table(c.accompanyingMembers) : none(t('case.noAccompanying')),
    ),
    section(
      'identityDocuments',
      c.identityDocuments?.length ? table(c.identityDocuments) : none(t('case.noIdentityDocuments')),
    ),
    section('travelDocument', c.travelDocument ? describe(c.travelDocument) : none(t('case.notIssued'))),
    section('travelArrangements', c.travelArrangements ? describe(c.travelArrangements) : none(t('case.noRemoval'))),
    section('careInTransit', h('p', {}, text(c.careNeededInTransit))),
  ];
}
