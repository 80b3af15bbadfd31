// The case page: what the caller's role may see of one case, its timeline, and a form for
// every action in `allowedActions` (blocked ones greyed, with their rules in plain words).
import { api, bodySchema, newIdempotencyKey, ruleTexts, session } from './api.js';
import { announce, describe, h, notice, table, text } from './dom.js';
import { problemView, ruleItem, schemaForm } from './forms.js';
import { actionLabel, eventLabel, fieldLabel, formatList, ltr, statusLabel, t, valueLabel } from './i18n.js';
import { documentsSection, requestAttachment } from './documents.js';
import { messagesSection } from './messages.js';
import { fullSections, liaisonSections, none, onThisPage, section } from './case-sections.js';

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
      return load(asOf ? t('case.showingAsOf', { date: text(asOf) }) : t('case.showingToday'));
    };
    // replaceChildren would show a null as the text "null": only the sections this role has.
    page.replaceChildren(...(await render(view, load, message)).filter(Boolean));
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
    ? t('case.requestTitle', { requestId: ltr(c.readmissionRequest?.requestId ?? ''), caseId: ltr(c.caseId) })
    : t('case.title', { caseId: ltr(c.caseId) });
  const status = liaison ? c.readmissionRequest?.status : c.status;
  return [
    h('h1', { tabindex: '-1' }, title),
    h(
      'p',
      { class: 'lead' },
      c.reference ? [t('case.reference'), ' ', h('strong', { dir: 'ltr' }, c.reference), ' · '] : null,
      t('case.status'),
      ' ',
      h('span', { class: `badge badge-${status}` }, statusLabel(status)),
      !liaison && c.outcome ? [' · ', t('case.outcome'), ' ', h('strong', {}, statusLabel(c.outcome))] : null,
      ' ',
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small',
          onclick: () =>
            reload().then(
              () => announce(t('case.reloaded')),
              (e) => announce(t('case.couldNotReload', { message: e.message })),
            ),
        },
        t('case.reload'),
      ),
    ),
    liaison ? null : asOfControl(view),
    onThisPage(
      liaison
        ? ['request', 'messages', 'actions', 'documents']
        : ['overview', 'messages', 'actions', 'documents', 'timeline', 'record'],
    ),
    h('div', { class: 'case-notice', 'aria-live': 'polite', tabindex: '-1' }, message ? notice('ok', message) : null),
    ...(liaison ? liaisonSections(c) : fullSections(c)),
    await messagesSection(c, { liaison }),
    view.asOf ? section('actions', none(t('case.actionsToday'))) : await actionsSection(view, reload),
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
      'aria-label': t('case.asOfLabel'),
      onsubmit: (event) => {
        event.preventDefault();
        void view.showAsOf(input.value);
      },
    },
    h('label', { for: 'as-of-date' }, t('case.asOf')),
    ' ',
    input,
    ' ',
    h('button', { type: 'submit', class: 'secondary small' }, t('list.show')),
    view.asOf
      ? [
          ' ',
          h(
            'button',
            { type: 'button', class: 'secondary small', onclick: () => view.showAsOf(null) },
            t('case.backToToday'),
          ),
        ]
      : null,
  );
}

const personName = (p) => [p.givenNames, p.familyName].filter(Boolean).join(' ');

/** What the pickers offer: this case's members, open concerns, obstacles, claims, agreements. */
function pickerContext({ c, agreements }) {
  const members = [
    {
      value: 'principal',
      label: c.person
        ? t('case.memberOption', {
            memberId: 'principal',
            name: personName(c.person),
            relationship: valueLabel('principal'),
          })
        : valueLabel('principal'),
    },
    ...(c.household ?? []).map((m) => ({
      value: m.memberId,
      label: t('case.memberOption', {
        memberId: m.memberId,
        name: personName(m),
        relationship: valueLabel(m.relationship),
      }),
    })),
  ];
  return {
    members: c.household ? members : [],
    concerns: (c.openConcerns ?? []).map((k) => ({
      value: k.concernId,
      label: t('case.concernOption', {
        concernId: k.concernId,
        severity: valueLabel(k.severity),
        raisedAt: text(k.raisedAt),
      }),
    })),
    obstacles: (c.openObstacles ?? []).map((o) => ({
      value: o.obstacleId,
      label: t('common.labelled', { label: o.obstacleId, value: valueLabel(o.type) }),
    })),
    claims: (c.holds?.protectionClaims ?? []).map((p) => ({
      value: p.claimId,
      label: t('common.labelled', { label: p.claimId, value: valueLabel(p.kind) }),
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
      t('case.actionDone', {
        action: actionLabel(action),
        status: statusLabel(data.status),
        events: formatList((data.events ?? []).map(eventLabel)),
      }),
      ...created.map(([k, v]) => ` ${t('common.labelled', { label: fieldLabel(k), value: text(v) })}.`),
      attachment ? await attachment.upload(c.caseId, data.requestId) : '',
    ].join('');
    announce(message);
    await reload(message);
    document.querySelector('.case-notice')?.focus();
    return null;
  };

  const formFor = async (action, disabled) => {
    const schema = await bodySchema(`/v1/cases/{caseId}/${action}`);
    if (!schema) return none(t('case.noSchema'));
    // The readmission request takes a document along (documents.js): uploaded once the request is recorded.
    const attachment = action === 'submit-readmission-request' && !disabled ? requestAttachment() : undefined;
    return schemaForm(schema, ctx, {
      submitLabel: actionLabel(action),
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
        h('details', {}, h('summary', {}, actionLabel(action)), await formFor(action, false)),
      ),
    ),
  );
  const blockedItems = await Promise.all(
    blocked.map(async ({ action, blockedBy }) =>
      h(
        'li',
        { class: 'action blocked', 'data-action': action },
        h('p', { class: 'action-name' }, actionLabel(action), ' ', h('span', { class: 'tag' }, t('case.blockedTag'))),
        h(
          'ul',
          { class: 'rules' },
          blockedBy.map((r) => ruleItem(r, texts)),
        ),
        h('details', {}, h('summary', {}, t('case.showDisabledForm')), await formFor(action, true)),
      ),
    ),
  );
  return section(
    'actions',
    actions.length === 0
      ? none(t('case.noActions'))
      : h('p', {}, t('case.actionCounts', { available: available.length, blocked: blocked.length })),
    available.length ? [h('h3', {}, t('case.availableNow')), h('ul', { class: 'actions' }, availableItems)] : null,
    blocked.length ? [h('h3', {}, t('case.blocked')), h('ul', { class: 'actions' }, blockedItems)] : null,
  );
}

async function timelineSection(history) {
  if (history === null || history === undefined) return null;
  if (history instanceof Error) return section('timeline', await problemView(history));
  const items = history.items ?? [];
  return section(
    'timeline',
    items.length
      ? table(
          items,
          [
            ['revision', '#'],
            ['type', t('case.event'), eventLabel],
            ['occurredAt', t('case.occurred')],
            ['recordedAt', t('case.recorded')],
            ['actor', t('case.by'), (v) => (v ? t('case.actor', { sub: v.sub, role: t(`role.${v.role}`) }) : '—')],
          ],
          { caption: t('case.timelineCaption') },
        )
      : none(t('case.noEvents')),
    history.nextCursor ? h('p', { class: 'hint' }, t('case.first500', { count: 500 })) : null,
  );
}

function recordSection(c) {
  const rest = { ...c };
  for (const key of ['allowedActions', 'deadlines', 'openObstacles', 'openConcerns', 'holds', 'household', 'person'])
    delete rest[key];
  return section('record', h('details', {}, h('summary', {}, t('case.showEverything')), describe(rest)));
}
