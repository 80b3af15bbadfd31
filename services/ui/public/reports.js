// The analyst's reports: counts, rates and durations only, as charts and tables, and the
// obstacles report as CSV.
import { api, ApiError, query, session } from './api.js';
import { barChart } from './charts.js';
import { announce, h, navigate, notice, text } from './dom.js';
import { problemView } from './forms.js';
import { formatDuration, formatPercent as percent, t, valueLabel } from './i18n.js';

const rowsOf = (data) => (Array.isArray(data) ? data : (data?.items ?? data?.rows ?? []));
const days = (v) => (typeof v === 'number' ? formatDuration(v, 'day', 'short') : text(v));
const hours = (v) => (typeof v === 'number' ? formatDuration(v, 'hour', 'short') : text(v));

/** Reads a report; a 404 means this server does not serve it yet. */
async function fetchReport(path) {
  try {
    return { data: (await api(path)).data };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { missing: true };
    return { error: e };
  }
}

const unavailable = (whatKey) => notice('info', h('p', {}, t('reports.notAvailable', { what: t(whatKey) })));

export async function reportsPage(params) {
  const filters = {
    originState: params.get('originState') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    minPosition: session.position,
  };
  const [obstacles, safeguards] = await Promise.all([
    fetchReport(`/v1/reports/readmission-obstacles${query(filters)}`),
    fetchReport(
      `/v1/reports/safeguards${query({ from: filters.from, to: filters.to, minPosition: filters.minPosition })}`,
    ),
  ]);
  return h(
    'div',
    {},
    h('h1', { tabindex: '-1' }, t('nav.reports')),
    h('p', { class: 'lead' }, t('reports.lead')),
    filterForm(filters),
    await obstaclesSection(obstacles, filters),
    await safeguardsSection(safeguards),
  );
}

function filterForm(filters) {
  const field = (name, label, type, attrs = {}) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `rf-${name}` }, label),
      h('input', { id: `rf-${name}`, name, type, value: filters[name], ...attrs }),
    );
  return h(
    'form',
    {
      class: 'filters',
      onsubmit: (event) => {
        event.preventDefault();
        const data = new FormData(event.target);
        navigate(
          `#/reports${query({ originState: String(data.get('originState')).toUpperCase(), from: data.get('from'), to: data.get('to') })}`,
        );
      },
    },
    field('originState', t('field.originState'), 'text', {
      maxlength: 2,
      class: 'short',
      autocomplete: 'off',
      dir: 'ltr',
    }),
    field('from', t('filter.from'), 'date'),
    field('to', t('filter.to'), 'date'),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('list.show'))),
  );
}

async function obstaclesSection(result, filters) {
  const heading = h('h2', {}, t('reports.obstacles'));
  if (result.missing) return h('section', { class: 'panel' }, heading, unavailable('reports.obstaclesWhat'));
  if (result.error) return h('section', { class: 'panel' }, heading, await problemView(result.error));
  const rows = rowsOf(result.data);
  const label = (r) => `${r.originState} · ${r.agreementTitle ?? r.agreementId ?? t('reports.noRequestYet')}`;
  const withRequests = rows.filter((r) => r.agreementId !== null);

  const obstacleTotals = new Map();
  for (const r of rows) {
    for (const [type, figures] of Object.entries(r.obstacles ?? {})) {
      const count = typeof figures === 'number' ? figures : (figures?.count ?? 0);
      obstacleTotals.set(type, (obstacleTotals.get(type) ?? 0) + count);
    }
  }
  const obstacleTypes = [...obstacleTotals].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);

  const csvStatus = h('p', { class: 'hint', 'aria-live': 'polite' });
  const csvButton = h('button', { type: 'button', class: 'secondary' }, t('reports.downloadCsv'));
  csvButton.addEventListener('click', () => downloadCsv(filters, csvStatus));

  return h(
    'section',
    { class: 'panel' },
    heading,
    h('div', { class: 'buttons' }, csvButton),
    csvStatus,
    rows.length === 0
      ? h('p', { class: 'empty' }, t('reports.nothing'))
      : [
          h('h3', {}, t('reports.replyTimes')),
          withRequests.length
            ? barChart({
                title: t('reports.replyChart'),
                labels: withRequests.map(label),
                series: [
                  { name: t('reports.median'), values: withRequests.map((r) => r.replies?.medianDays ?? null) },
                  { name: t('reports.p90'), values: withRequests.map((r) => r.replies?.p90Days ?? null) },
                ],
                unit: 'day',
              })
            : h('p', { class: 'empty' }, t('reports.noRequests')),
          h('h3', {}, t('reports.obstaclesByType')),
          obstacleTypes.length
            ? barChart({
                title: t('reports.obstaclesChart'),
                labels: obstacleTypes.map(([type]) => valueLabel(type)),
                series: [{ name: t('reports.count'), values: obstacleTypes.map(([, n]) => n) }],
              })
            : h('p', { class: 'empty' }, t('reports.noObstacles')),
          h('h3', {}, t('reports.figures')),
          figuresTable(rows, label),
        ],
  );
}

const nonZero = (counts) =>
  Object.entries(counts ?? {})
    .filter(([, n]) => n > 0)
    .map(([k, n]) => t('common.labelled', { label: valueLabel(k), value: text(n) }))
    .join(t('common.listSeparator'));

/** One column per origin State and agreement, one row per figure. */
function figuresTable(rows, label) {
  const withReasons = (n, counts) =>
    nonZero(counts) ? t('reports.withReasons', { count: text(n), reasons: nonZero(counts) }) : text(n);
  const obstacleTypes = [...new Set(rows.flatMap((r) => Object.keys(r.obstacles ?? {})))].filter((t) =>
    rows.some((r) => (r.obstacles?.[t]?.count ?? 0) > 0),
  );
  const figures = [
    [t('reports.submitted'), (r) => text(r.requests?.submitted)],
    [t('inbox.accepted'), (r) => text(r.requests?.accepted)],
    [t('reports.deemedAccepted'), (r) => text(r.requests?.deemedAccepted)],
    [t('inbox.rejected'), (r) => withReasons(r.requests?.rejected, r.requests?.rejectedByReason)],
    [t('inbox.pending'), (r) => text(r.requests?.pending)],
    [t('list.overdue'), (r) => text(r.requests?.overdue)],
    [t('reports.extensions'), (r) => text(r.requests?.extensions)],
    [
      t('reports.replyDays'),
      (r) => t('reports.pair', { first: days(r.replies?.medianDays), second: days(r.replies?.p90Days) }),
    ],
    [t('reports.onTime'), (r) => percent(r.replies?.shareOnTime)],
    [t('reports.documentsIssued'), (r) => text(r.travelDocuments?.issued)],
    [t('reports.documentsOnTime'), (r) => percent(r.travelDocuments?.shareOnTime)],
    ...obstacleTypes.map((type) => [
      t('reports.obstacleFigure', { type: valueLabel(type) }),
      (r) =>
        t('reports.countAndDays', {
          count: text(r.obstacles?.[type]?.count),
          days: days(r.obstacles?.[type]?.medianDaysOpen),
        }),
    ]),
    [t('reports.removalsPlanned'), (r) => text(r.removals?.planned)],
    [t('reports.departed'), (r) => text(r.removals?.departed)],
    [t('reports.returned'), (r) => text(r.removals?.returned)],
    [t('reports.aborted'), (r) => withReasons(r.removals?.aborted, r.removals?.abortedByReason)],
  ];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', {}, t('reports.perOrigin')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('reports.figure')),
          rows.map((r) => h('th', { scope: 'col' }, label(r))),
        ),
      ),
      h(
        'tbody',
        {},
        figures.map(([name, get]) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, name),
            rows.map((r) => h('td', {}, get(r))),
          ),
        ),
      ),
    ),
  );
}

async function downloadCsv(filters, status) {
  status.textContent = t('reports.preparing');
  try {
    const { data, headers } = await api(`/v1/reports/readmission-obstacles${query(filters)}`, { accept: 'text/csv' });
    const blob =
      data instanceof Blob
        ? data
        : new Blob([typeof data === 'string' ? data : JSON.stringify(data)], { type: 'text/csv' });
    const named = /filename="?([^";]+)"?/.exec(headers.get('Content-Disposition') ?? '')?.[1];
    const name = named ?? `readmission-obstacles-${new Date().toISOString().slice(0, 10)}.csv`;
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    status.textContent = t('reports.downloadedFile', { name });
    announce(status.textContent);
  } catch (e) {
    status.replaceChildren(await problemView(e));
  }
}

async function safeguardsSection(result) {
  const heading = h('h2', {}, t('removals.safeguards'));
  if (result.missing) return h('section', { class: 'panel' }, heading, unavailable('reports.safeguardsWhat'));
  if (result.error) return h('section', { class: 'panel' }, heading, await problemView(result.error));
  const r = result.data ?? {};
  const figure = (label, value) => h('div', { class: 'figure' }, h('dt', {}, label), h('dd', {}, value));
  const aborts = Object.entries(r.aborts?.byReason ?? {}).filter(([, n]) => n > 0);
  const prohibited = Object.entries(r.useOfForce?.prohibitedByTechnique ?? {}).filter(([, n]) => n > 0);
  return h(
    'section',
    { class: 'panel' },
    heading,
    h(
      'dl',
      { class: 'figures' },
      figure(
        t('reports.childrenAssessed'),
        t('reports.share', {
          part: text(r.children?.assessedBeforeRemoval),
          whole: text(r.children?.removed),
          percent: percent(r.children?.share),
        }),
      ),
      figure(
        t('reports.escortedWithMonitor'),
        t('reports.share', {
          part: text(r.escortedRemovals?.withMonitor),
          whole: text(r.escortedRemovals?.departed),
          percent: percent(r.escortedRemovals?.share),
        }),
      ),
      figure(t('reports.useOfForceReports'), text(r.useOfForce?.reports)),
      figure(t('reports.prohibitedReports'), text(r.useOfForce?.withProhibitedTechniques)),
      figure(t('reports.concernsRaised'), text(r.criticalConcerns?.raised)),
      figure(t('reports.concernsUnanswered'), text(r.criticalConcerns?.unanswered)),
      figure(
        t('reports.hoursToResponse'),
        t('reports.pair', {
          first: hours(r.criticalConcerns?.hoursToResponse?.median),
          second: hours(r.criticalConcerns?.hoursToResponse?.p90),
        }),
      ),
      figure(t('reports.abortedRemovals'), text(r.aborts?.total)),
    ),
    prohibited.length
      ? barChart({
          title: t('reports.prohibitedChart'),
          labels: prohibited.map(([technique]) => valueLabel(technique)),
          series: [{ name: t('reports.reports'), values: prohibited.map(([, n]) => n) }],
        })
      : null,
    aborts.length
      ? barChart({
          title: t('reports.abortsChart'),
          labels: aborts.map(([reason]) => valueLabel(reason)),
          series: [{ name: t('reports.aborts'), values: aborts.map(([, n]) => n) }],
        })
      : h('p', { class: 'empty' }, t('reports.noAborts')),
  );
}
