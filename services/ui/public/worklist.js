// The caseworker's pages: the worklist and "Open a case"; and the liaison's inbox.
import { api, bodySchema, newIdempotencyKey, query, session } from './api.js';
import { announce, h, table, text } from './dom.js';
import { schemaForm } from './forms.js';
import { statusLabel, t, valueLabel } from './i18n.js';
import { caseLink, filterForm, goToCase, listOrNotice, ltrCell, nextPage, overdueCell } from './list-parts.js';
import { unreadBadge } from './messages.js';

const enc = encodeURIComponent;
const STATUSES = ['intake', 'voluntary-departure', 'readmission', 'removal-planned', 'departed', 'closed'];

const statusBadge = (v) => h('span', { class: `badge badge-${v}` }, statusLabel(v));
const labels = (v) => (Array.isArray(v) ? v.map(valueLabel).join(t('common.listSeparator')) || '—' : text(v));

export async function worklistPage(params) {
  const status = params.get('status') ?? '';
  const overdue = params.get('overdue') ?? '';
  const originState = params.get('originState') ?? '';
  const list = await listOrNotice(
    `/v1/cases${query({ status, overdue, originState, cursor: params.get('cursor'), minPosition: session.position })}`,
    'worklist.what',
  );
  return h(
    'div',
    {},
    h('h1', { tabindex: '-1' }, t('worklist.title')),
    h(
      'p',
      { class: 'lead' },
      session.claims?.state ? t('worklist.lead', { state: session.claims.state }) : t('worklist.leadNoState'),
    ),
    filterForm('#/worklist', [
      [
        'status',
        t('worklist.status'),
        'select',
        status,
        [['', t('worklist.openCases')], ['all', t('worklist.allCases')], ...STATUSES.map((s) => [s, valueLabel(s)])],
      ],
      ['originState', t('field.originState'), 'text', originState],
      ['overdue', t('worklist.overdueOnly'), 'checkbox', overdue],
    ]),
    h(
      'section',
      { class: 'panel', 'aria-live': 'polite' },
      h('h2', {}, t('worklist.cases')),
      list.notice ??
        (list.items.length
          ? table(list.items, [
              ['caseId', t('list.case'), caseLink],
              ['reference', t('field.reference'), ltrCell],
              ['status', t('worklist.status'), statusBadge],
              ['originState', t('worklist.origin')],
              ['openedOn', t('field.openedOn')],
              [
                'nextDeadline',
                t('worklist.nextDeadline'),
                (v) =>
                  v && typeof v === 'object'
                    ? t('common.labelled', { label: valueLabel(v.kind), value: text(v.dueOn) })
                    : text(v),
              ],
              ['overdue', t('list.overdue'), overdueCell],
              ['openObstacles', t('worklist.openObstacles'), labels],
              ['holds', t('worklist.holds'), labels],
              ['unreadMessages', t('list.messages'), unreadBadge],
            ])
          : h('p', { class: 'empty' }, t('worklist.none'))),
      list.nextCursor ? nextPage('#/worklist', params, list.nextCursor) : null,
    ),
    goToCase(),
  );
}

export async function openCasePage() {
  const schema = await bodySchema('/v1/cases');
  const form = schemaForm(
    schema,
    { members: [] },
    {
      submitLabel: t('openCase.submit'),
      onSubmit: async (body) => {
        const { data } = await api('/v1/cases', {
          method: 'POST',
          body,
          headers: { 'Idempotency-Key': newIdempotencyKey() },
        });
        session.position = data.position;
        session.rememberCase(data.caseId);
        announce(t('openCase.opened', { caseId: data.caseId }));
        location.hash = `#/cases/${enc(data.caseId)}`;
        return t('openCase.opened', { caseId: data.caseId });
      },
    },
  );
  return h(
    'div',
    {},
    h('h1', { tabindex: '-1' }, t('openCase.title')),
    h('p', { class: 'lead' }, t('openCase.lead', { state: session.claims?.state ?? '—' })),
    h('section', { class: 'panel' }, form),
  );
}

export async function inboxPage(params) {
  const status = params.get('status') ?? 'pending';
  const list = await listOrNotice(
    `/v1/liaison/requests${query({ status, cursor: params.get('cursor'), minPosition: session.position })}`,
    'inbox.what',
  );
  return h(
    'div',
    {},
    h('h1', { tabindex: '-1' }, t('inbox.title')),
    h(
      'p',
      { class: 'lead' },
      session.claims?.state ? t('inbox.lead', { state: session.claims.state }) : t('inbox.leadNoState'),
    ),
    filterForm('#/inbox', [
      [
        'status',
        t('inbox.show'),
        'select',
        status,
        [
          ['pending', t('inbox.pending')],
          ['accepted', t('inbox.accepted')],
          ['rejected', t('inbox.rejected')],
          ['all', t('inbox.all')],
        ],
      ],
    ]),
    h(
      'section',
      { class: 'panel', 'aria-live': 'polite' },
      h('h2', {}, t('inbox.requests')),
      list.notice ??
        (list.items.length
          ? table(list.items, [
              ['caseId', t('list.case'), caseLink],
              ['reference', t('field.reference'), ltrCell],
              ['status', t('worklist.status'), statusLabel],
              ['procedure', t('field.procedure'), valueLabel],
              ['destinationState', t('inbox.from')],
              ['submittedOn', t('field.submittedOn')],
              ['replyDueOn', t('field.replyDueOn')],
              ['overdue', t('list.overdue'), overdueCell],
              ['travelDocumentDueOn', t('inbox.travelDocumentDue')],
              ['unreadMessages', t('list.messages'), unreadBadge],
            ])
          : h('p', { class: 'empty' }, t('inbox.none'))),
      nextPage('#/inbox', params, list.nextCursor),
    ),
    goToCase(),
  );
}
