// The monitor's pages: upcoming removals with their safeguards, and incidents and concerns.
import { query, session } from './api.js';
import { h, table, text } from './dom.js';
import { formatNumber, statusLabel, t, valueLabel } from './i18n.js';
import { caseLink, filterForm, goToCase, listOrNotice, nextPage } from './list-parts.js';

const yesNo = (ok, good = t('common.yes'), bad = t('common.no')) =>
  h('span', { class: ok ? 'ok' : 'warn' }, ok ? good : bad);

/** The safeguard status of a removal; monitor, assessment and fitness are needed for escorted ones. */
function safeguardCell(s, item) {
  if (!s || typeof s !== 'object') return text(s);
  const escorted = item.mode === 'escorted';
  const needed = (ok) => (escorted ? yesNo(ok) : h('span', {}, ok ? t('common.yes') : t('removals.notNeeded')));
  const line = (key, value) => h('li', {}, t(key), ' ', value);
  return h(
    'ul',
    { class: 'compact' },
    line('removals.monitor', needed(s.monitorAssigned)),
    line('removals.useOfForce', needed(s.useOfForceAssessed)),
    line('removals.fitToTravel', needed(s.fitToTravelCertified)),
    s.children
      ? h('li', {}, t('removals.childrenAssessed', { assessed: s.childrenAssessed, children: s.children }))
      : null,
    line(
      'removals.unansweredConcerns',
      yesNo(!s.unansweredCriticalConcerns, formatNumber(0), formatNumber(s.unansweredCriticalConcerns)),
    ),
  );
}

export async function removalsPage(params) {
  const from = params.get('from') ?? new Date().toISOString().slice(0, 10);
  const to = params.get('to') ?? '';
  const list = await listOrNotice(
    `/v1/monitoring/removals${query({ from, to, cursor: params.get('cursor'), minPosition: session.position })}`,
    'removals.what',
  );
  return h(
    'div',
    {},
    h('h1', { tabindex: '-1' }, t('removals.title')),
    filterForm('#/removals', [
      ['from', t('filter.from'), 'date', from],
      ['to', t('filter.to'), 'date', to],
    ]),
    h(
      'section',
      { class: 'panel', 'aria-live': 'polite' },
      h('h2', {}, t('removals.heading')),
      list.notice ??
        (list.items.length
          ? table(list.items, [
              ['caseId', t('list.case'), caseLink],
              ['departureAt', t('removals.departure')],
              ['mode', t('field.mode'), valueLabel],
              ['originState', t('removals.to')],
              ['travellers', t('removals.travellers')],
              ['status', t('worklist.status'), statusLabel],
              ['safeguards', t('removals.safeguards'), safeguardCell],
            ])
          : h('p', { class: 'empty' }, t('removals.none'))),
      nextPage('#/removals', params, list.nextCursor),
    ),
    goToCase(),
  );
}

export async function incidentsPage(params) {
  const kind = params.get('kind') ?? '';
  const list = await listOrNotice(
    `/v1/monitoring/incidents${query({ kind, cursor: params.get('cursor'), minPosition: session.position })}`,
    'incidents.what',
  );
  return h(
    'div',
    {},
    h('h1', { tabindex: '-1' }, t('incidents.title')),
    filterForm('#/incidents', [
      [
        'kind',
        t('inbox.show'),
        'select',
        kind,
        [
          ['', t('incidents.everything')],
          ['use-of-force', t('incidents.useOfForce')],
          ['concern', t('incidents.concerns')],
        ],
      ],
    ]),
    h(
      'section',
      { class: 'panel', 'aria-live': 'polite' },
      h('h2', {}, t('incidents.heading')),
      list.notice ??
        (list.items.length
          ? table(list.items, [
              ['at', t('incidents.when')],
              ['kind', t('incidents.kind'), valueLabel],
              ['caseId', t('list.case'), caseLink],
              [
                'severity',
                t('incidents.severity'),
                (v, i) =>
                  i.kind === 'use-of-force'
                    ? (i.techniques ?? []).map(valueLabel).join(t('common.listSeparator')) || '—'
                    : valueLabel(v),
              ],
              [
                'prohibited',
                t('incidents.prohibited'),
                (v, i) => (i.kind === 'use-of-force' ? yesNo(!v, t('common.no'), t('common.yes')) : '—'),
              ],
              [
                'status',
                t('worklist.status'),
                (v, i) =>
                  i.kind === 'use-of-force' ? t('incidents.reportedBy', { who: text(i.reportedBy) }) : statusLabel(v),
              ],
            ])
          : h('p', { class: 'empty' }, t('incidents.none'))),
      nextPage('#/incidents', params, list.nextCursor),
    ),
    goToCase(),
  );
}
