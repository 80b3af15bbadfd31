// The case page: what the caller's role may see of one case, its timeline, and a form for
// every action in `allowedActions` (blocked ones greyed, with their rules in plain words).
import { api, bodySchema, newIdempotencyKey, ruleTexts, session } from './api.js';
import { announce, describe, h, humanise, notice, table, text } from './dom.js';
import { problemView, schemaForm } from './forms.js';
import { documentsSection, requestAttachment } from './documents.js';
import { messagesSection } from './messages.js';

const enc = encodeURIComponent;

/** The case page; reloads itself after each successful action. */
export async function casePage(caseId) {
  const page = h('div', { class: 'case-page' });
  // `asOf` (a date): the case as it stood at the end of that day, read-only; null: today.
  let asOf = null;
  const load = async (message) => {
    const view = await loadCase(caseId, asOf);
    view.asOf = asOf;
    view.showAsOf = (date) => {
      asOf = date || null;
      return load(asOf ? `Showing the case as it stood on ${asOf}.` : 'Showing the case as it is today.');
    };
    page.replaceChildren(...(await render(view, load, message)));
    return view;
  };
  await load();
  session.rememberCase(caseId);
  return page;
}

async function loadCase(caseId, asOf) {
  const at = asOf ? `asOf=${enc(asOf)}` : '';
  const { data, etag } = await api(`/v1/cases/${enc(caseId)}${at ? `?${at}` : ''}`);
  const liaison = data.household === undefined;
  const [history, agreements] = await Promise.all([
    liaison
      ? null
      : api(`/v1/cases/${enc(caseId)}/history?limit=500${at ? `&${at}` : ''}`).then(
          (r) => r.data,
          (e) => e,
        ),
    data.allowedActions?.some((a) => a.action === 'submit-readmission-request' && a.blockedBy.length === 0)
      ? api('/v1/agreements?limit=500').then(
          (r) => r.data.items ?? [],
          () => null,
        )
      : null,
  ]);
  return { c: data, etag, liaison, history, agreements };
}

async function render(view, reload, message) {
  const { c, liaison } = view;
  const title = liaison
    ? `Readmission request ${c.readmissionRequest?.requestId ?? ''} (case ${c.caseId})`
    : `Case ${c.caseId}`;
  const status = liaison ? c.readmissionRequest?.status : c.status;
  return [
    h('h1', { tabindex: '-1' }, title),
    h(
      'p',
      { class: 'lead' },
      c.reference ? ['Reference: ', h('strong', {}, c.reference), ' · '] : null,
      'Status: ',
      h('span', { class: `badge badge-${status}` }, status ?? '—'),
      !liaison && c.outcome ? [' · Outcome: ', h('strong', {}, c.outcome)] : null,
      ' ',
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small',
          onclick: () =>
            reload().then(
              () => announce('Case reloaded.'),
              (e) => announce(`Could not reload: ${e.message}`),
            ),
        },
        'Reload',
      ),
    ),
    liaison ? null : asOfControl(view),
    onThisPage(
      liaison
        ? ['Request', 'Messages', 'Actions', 'Documents']
        : ['Overview', 'Messages', 'Actions', 'Documents', 'Timeline', 'Everything recorded'],
    ),
    h('div', { class: 'case-notice', 'aria-live': 'polite', tabindex: '-1' }, message ? notice('ok', message) : null),
    ...(liaison ? liaisonSections(c) : fullSections(c)),
    await messagesSection(c, { liaison }),
    view.asOf
      ? section('Actions', none('Actions are taken on the case as it is today, not on a past state.'))
      : await actionsSection(view, reload),
    await documentsSection(c, {
      canUpload:
        !view.asOf && !liaison && c.status !== 'closed' && (session.claims?.roles ?? []).includes('caseworker'),
      reload,
    }),
    liaison ? null : await timelineSection(view.history),
    liaison ? null : recordSection(c),
  ];
}

/** "As it stood on": a date picker that re-reads the case and its timeline up to the end of that day. */
function asOfControl(view) {
  const input = h('input', { type: 'date', id: 'as-of-date', name: 'asOf', value: view.asOf ?? '' });
  return h(
    'form',
    {
      class: 'as-of',
      'aria-label': 'View the case as it stood on a past day',
      onsubmit: (event) => {
        event.preventDefault();
        void view.showAsOf(input.value);
      },
    },
    h('label', { for: 'as-of-date' }, 'As it stood on '),
    input,
    ' ',
    h('button', { type: 'submit', class: 'secondary small' }, 'Show'),
    view.asOf
      ? [
          ' ',
          h(
            'button',
            { type: 'button', class: 'secondary small', onclick: () => view.showAsOf(null) },
            'Back to today',
          ),
        ]
      : null,
  );
}

const slug = (heading) => `sec-${heading.toLowerCase().replace(/[^a-z]+/g, '-')}`;
const section = (heading, ...body) =>
  h(
    'section',
    { class: 'panel', 'aria-labelledby': slug(heading) },
    h('h2', { id: slug(heading), tabindex: '-1' }, heading),
    ...body,
  );

/** In-page links (the URL hash is the router's): move focus to the section's heading. */
function onThisPage(headings) {
  const jump = (event) => {
    const target = document.getElementById(event.currentTarget.dataset.target);
    if (!target) return;
    event.preventDefault();
    target.scrollIntoView();
    target.focus();
  };
  return h(
    'nav',
    { class: 'on-page', 'aria-label': 'On this page' },
    h(
      'ul',
      {},
      headings.map((heading) =>
        h('li', {}, h('a', { href: `#${slug(heading)}`, 'data-target': slug(heading), onclick: jump }, heading)),
      ),
    ),
  );
}
const none = (what) => h('p', { class: 'empty' }, what);

function fullSections(c) {
  const people = [
    c.person ? { memberId: 'principal', ...c.person, relationship: 'principal' } : null,
    ...(c.household ?? []),
  ].filter(Boolean);
  const holds = [
    ...(c.holds?.protectionClaims ?? []).map(
      (p) => `Protection claim ${p.claimId}: ${humanise(p.kind)} lodged ${p.lodgedOn}`,
    ),
    c.holds?.postponement
      ? `Removal postponed (${text(c.holds.postponement.reason)}) until ${text(c.holds.postponement.until)}`
      : null,
    c.holds?.absconded ? `Absconded since ${text(c.holds.absconded.since)}` : null,
  ].filter(Boolean);
  return [
    section(
      'Overview',
      h(
        'dl',
        { class: 'record summary' },
        [
          ['Destination State', c.destinationState],
          ['Origin State', c.originState],
          ['Opened on', c.openedOn],
          ['Closed on', c.closedOn],
          [
            'Return decision',
            c.returnDecision ? `${c.returnDecision.reference}, issued ${c.returnDecision.issuedOn}` : null,
          ],
          [
            'Readmission request',
            c.readmissionRequest
              ? `${c.readmissionRequest.status}, reply due ${c.readmissionRequest.replyDueOn}`
              : null,
          ],
          [
            'Travel document',
            c.travelDocument ? `${c.travelDocument.documentNumber}, valid until ${c.travelDocument.validUntil}` : null,
          ],
          ['Removal', c.removal ? `${humanise(c.removal.mode)}, departure ${text(c.removal.departureAt)}` : null],
          ['Monitor', c.monitor ? `${c.monitor.monitorId} (${c.monitor.organisation})` : null],
          ['Revision', c.revision],
        ].map(([k, v]) => [h('dt', {}, k), h('dd', {}, text(v))]),
      ),
    ),
    section(
      'People',
      c.personalDataErased ? none('Personal data erased.') : null,
      people.length
        ? table(people, [
            ['memberId', 'Member id'],
            ['givenNames', 'Given names'],
            ['familyName', 'Family name'],
            ['dateOfBirth', 'Date of birth'],
            ['relationship', 'Relationship'],
          ])
        : null,
    ),
    h(
      'div',
      { class: 'panels' },
      section(
        'Holds',
        holds.length
          ? h(
              'ul',
              {},
              holds.map((t) => h('li', {}, t)),
            )
          : none('No holds.'),
      ),
      section(
        'Deadlines',
        c.deadlines?.length
          ? table(c.deadlines, [
              ['kind', 'Deadline', (v) => humanise(v)],
              ['dueOn', 'Due on'],
              ['overdue', 'Overdue', (v) => (v ? h('strong', { class: 'warn' }, 'Overdue') : 'No')],
            ])
          : none('No running deadlines.'),
      ),
      section(
        'Open obstacles',
        c.openObstacles?.length
          ? table(c.openObstacles, [
              ['obstacleId', 'Id'],
              ['type', 'Type', (v) => humanise(v)],
              ['openedOn', 'Opened on'],
              ['note', 'Note'],
              ['automatic', 'Opened by the deadline service'],
            ])
          : none('No open obstacles.'),
      ),
      section(
        'Open safeguard concerns',
        c.openConcerns?.length
          ? table(c.openConcerns, [
              ['concernId', 'Id'],
              ['severity', 'Severity'],
              ['raisedAt', 'Raised'],
              ['source', 'Source'],
              ['text', 'Concern'],
              ['response', 'Response', (v) => text(v?.response)],
            ])
          : none('No open concerns.'),
      ),
    ),
  ];
}

/** The origin State's view: only what the server's allow-list sends. */
function liaisonSections(c) {
  const r = c.readmissionRequest ?? {};
  return [
    section('Request', describe(r)),
    section('Person', describe(c.person)),
    section(
      'Accompanying members',
      c.accompanyingMembers?.length ? table(c.accompanyingMembers) : none('No accompanying members are planned.'),
    ),
    section(
      'Identity documents',
      c.identityDocuments?.length ? table(c.identityDocuments) : none('No identity documents.'),
    ),
    section('Travel document', c.travelDocument ? describe(c.travelDocument) : none('Not issued yet.')),
    section(
      'Travel arrangements',
      c.travelArrangements ? describe(c.travelArrangements) : none('No removal planned yet.'),
    ),
    section('Care needed in transit', h('p', {}, text(c.careNeededInTransit))),
  ];
}

/** What the pickers offer: this case's members, open concerns, obstacles, claims, agreements. */
function pickerContext({ c, agreements }) {
  const members = [
    {
      value: 'principal',
      label: c.person ? `principal: ${c.person.givenNames ?? ''} ${c.person.familyName}` : 'principal',
    },
    ...(c.household ?? []).map((m) => ({
      value: m.memberId,
      label: `${m.memberId}: ${m.givenNames ?? ''} ${m.familyName ?? ''} (${m.relationship ?? ''})`,
    })),
  ];
  return {
    members: c.household ? members : [],
    concerns: (c.openConcerns ?? []).map((k) => ({
      value: k.concernId,
      label: `${k.concernId}: ${k.severity}, raised ${text(k.raisedAt)}`,
    })),
    obstacles: (c.openObstacles ?? []).map((o) => ({
      value: o.obstacleId,
      label: `${o.obstacleId}: ${humanise(o.type)}`,
    })),
    claims: (c.holds?.protectionClaims ?? []).map((p) => ({
      value: p.claimId,
      label: `${p.claimId}: ${humanise(p.kind)}`,
    })),
    agreements: (agreements ?? [])
      .filter(
        (a) =>
          !a.terms || (a.terms.originState === c.originState && a.terms.destinationStates.includes(c.destinationState)),
      )
      .map((a) => ({ value: a.agreementId, label: `${a.terms?.title ?? a.agreementId} (${a.agreementId})` })),
  };
}

async function actionsSection(view, reload) {
  const { c, etag } = view;
  const actions = c.allowedActions ?? [];
  const texts = await ruleTexts();
  const ctx = pickerContext(view);
  const available = actions.filter((a) => a.blockedBy.length === 0);
  const blocked = actions.filter((a) => a.blockedBy.length > 0);

  const submit = (action, attachment) => async (body) => {
    attachment?.check();
    const { data } = await api(`/v1/cases/${enc(c.caseId)}/${action}`, {
      method: 'POST',
      body,
      headers: { 'If-Match': etag ?? `"${c.revision}"`, 'Idempotency-Key': newIdempotencyKey() },
    });
    session.position = data.position;
    const known = new Set(['caseId', 'revision', 'position', 'status', 'events']);
    const created = Object.entries(data).filter(([k]) => !known.has(k));
    const message = [
      `${humanise(action)}: done. Status: ${data.status}. Recorded: ${(data.events ?? []).map(humanise).join(', ')}.`,
      ...created.map(([k, v]) => ` ${humanise(k)}: ${text(v)}.`),
      attachment ? await attachment.upload(c.caseId, data.requestId) : '',
    ].join('');
    announce(message);
    await reload(message);
    document.querySelector('.case-notice')?.focus();
    return null;
  };

  const formFor = async (action, disabled) => {
    const schema = await bodySchema(`/v1/cases/{caseId}/${action}`);
    if (!schema) return none('This server does not describe this action.');
    // The readmission request takes a document along (documents.js): uploaded once the request is recorded.
    const attachment = action === 'submit-readmission-request' && !disabled ? requestAttachment() : undefined;
    return schemaForm(schema, ctx, {
      submitLabel: humanise(action),
      disabled,
      onSubmit: submit(action, attachment),
      extra: attachment?.el,
    });
  };

  const availableItems = await Promise.all(
    available.map(async ({ action }) =>
      h(
        'li',
        { class: 'action', 'data-action': action },
        h('details', {}, h('summary', {}, humanise(action)), await formFor(action, false)),
      ),
    ),
  );
  const blockedItems = await Promise.all(
    blocked.map(async ({ action, blockedBy }) =>
      h(
        'li',
        { class: 'action blocked', 'data-action': action },
        h('p', { class: 'action-name' }, humanise(action), ' ', h('span', { class: 'tag' }, 'blocked')),
        h(
          'ul',
          { class: 'rules' },
          blockedBy.map((r) => h('li', {}, texts[r] ?? humanise(r), ' ', h('code', {}, r))),
        ),
        h('details', {}, h('summary', {}, `Show the form (disabled)`), await formFor(action, true)),
      ),
    ),
  );
  return section(
    'Actions',
    actions.length === 0
      ? none('Your role has no actions on this case.')
      : h('p', {}, `${available.length} available now, ${blocked.length} blocked.`),
    available.length ? [h('h3', {}, 'Available now'), h('ul', { class: 'actions' }, availableItems)] : null,
    blocked.length ? [h('h3', {}, 'Blocked'), h('ul', { class: 'actions' }, blockedItems)] : null,
  );
}

async function timelineSection(history) {
  if (history === null || history === undefined) return null;
  if (history instanceof Error) return section('Timeline', await problemView(history));
  const items = history.items ?? [];
  return section(
    'Timeline',
    items.length
      ? table(
          items,
          [
            ['revision', '#'],
            ['type', 'Event', (v) => humanise(v)],
            ['occurredAt', 'Occurred'],
            ['recordedAt', 'Recorded'],
            ['actor', 'By', (v) => (v ? `${v.sub} (${v.role})` : '—')],
          ],
          { caption: 'Every recorded event, oldest first' },
        )
      : none('No events.'),
    history.nextCursor ? h('p', { class: 'hint' }, 'Showing the first 500 events.') : null,
  );
}

function recordSection(c) {
  const rest = { ...c };
  for (const key of ['allowedActions', 'deadlines', 'openObstacles', 'openConcerns', 'holds', 'household', 'person'])
    delete rest[key];
  return section(
    'Everything recorded',
    h('details', {}, h('summary', {}, 'Show every recorded detail'), describe(rest)),
  );
}
