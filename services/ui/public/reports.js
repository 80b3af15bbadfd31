// The analyst's reports: counts, rates and durations only, as charts and tables, and the
// obstacles report as CSV.
import { api, ApiError, query, session } from './api.js';
import { barChart } from './charts.js';
import { announce, h, humanise, navigate, notice, text } from './dom.js';
import { problemView } from './forms.js';

const rowsOf = (data) => (Array.isArray(data) ? data : (data?.items ?? data?.rows ?? []));
const percent = (v) => (typeof v === 'number' ? `${Math.round((v <= 1 ? v * 100 : v) * 10) / 10}%` : '—');

/** Reads a report; a 404 means this server does not serve it yet. */
async function fetchReport(path) {
  try {
    return { data: (await api(path)).data };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { missing: true };
    return { error: e };
  }
}

const unavailable = (what) => notice('info', h('p', {}, `The ${what} is not available on this server yet.`));

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
    h('h1', { tabindex: '-1' }, 'Reports'),
    h('p', { class: 'lead' }, 'Counts, rates and durations only: no names, dates of birth or free text.'),
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
    field('originState', 'Origin State', 'text', { maxlength: 2, class: 'short', autocomplete: 'off' }),
    field('from', 'From', 'date'),
    field('to', 'To', 'date'),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Show')),
  );
}

async function obstaclesSection(result, filters) {
  const heading = h('h2', {}, 'Readmission obstacles');
  if (result.missing) return h('section', { class: 'panel' }, heading, unavailable('readmission-obstacles report'));
  if (result.error) return h('section', { class: 'panel' }, heading, await problemView(result.error));
  const rows = rowsOf(result.data);
  const label = (r) => `${r.originState} · ${r.agreementTitle ?? r.agreementId ?? 'no request yet'}`;
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
  const csvButton = h('button', { type: 'button', class: 'secondary' }, 'Download CSV');
  csvButton.addEventListener('click', () => downloadCsv(filters, csvStatus));

  return h(
    'section',
    { class: 'panel' },
    heading,
    h('div', { class: 'buttons' }, csvButton),
    csvStatus,
    rows.length === 0
      ? h('p', { class: 'empty' }, 'No readmission requests, obstacles or removals in this period.')
      : [
          h('h3', {}, 'Reply times per origin State'),
          withRequests.length
            ? barChart({
                title: 'Reply days per origin State and agreement: median and 90th percentile',
                labels: withRequests.map(label),
                series: [
                  { name: 'Median', values: withRequests.map((r) => r.replies?.medianDays ?? null) },
                  { name: '90th percentile', values: withRequests.map((r) => r.replies?.p90Days ?? null) },
                ],
                unit: 'd',
              })
            : h('p', { class: 'empty' }, 'No requests in this period.'),
          h('h3', {}, 'Obstacles by type'),
          obstacleTypes.length
            ? barChart({
                title: 'Obstacles by type (count)',
                labels: obstacleTypes.map(([t]) => humanise(t)),
                series: [{ name: 'Count', values: obstacleTypes.map(([, n]) => n) }],
              })
            : h('p', { class: 'empty' }, 'No obstacles in this period.'),
          h('h3', {}, 'Figures'),
          figuresTable(rows, label),
        ],
  );
}

const nonZero = (counts) =>
  Object.entries(counts ?? {})
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${humanise(k)}: ${n}`)
    .join(', ');

/** One column per origin State and agreement, one row per figure. */
function figuresTable(rows, label) {
  const withReasons = (n, counts) => (nonZero(counts) ? `${text(n)} (${nonZero(counts)})` : text(n));
  const obstacleTypes = [...new Set(rows.flatMap((r) => Object.keys(r.obstacles ?? {})))].filter((t) =>
    rows.some((r) => (r.obstacles?.[t]?.count ?? 0) > 0),
  );
  const figures = [
    ['Requests submitted', (r) => text(r.requests?.submitted)],
    ['Accepted', (r) => text(r.requests?.accepted)],
    ['Deemed accepted (silence)', (r) => text(r.requests?.deemedAccepted)],
    ['Rejected', (r) => withReasons(r.requests?.rejected, r.requests?.rejectedByReason)],
    ['Pending', (r) => text(r.requests?.pending)],
    ['Overdue', (r) => text(r.requests?.overdue)],
    ['Extensions', (r) => text(r.requests?.extensions)],
    ['Reply days, median / 90th percentile', (r) => `${text(r.replies?.medianDays)} / ${text(r.replies?.p90Days)}`],
    ['Answered on time', (r) => percent(r.replies?.shareOnTime)],
    ['Travel documents issued', (r) => text(r.travelDocuments?.issued)],
    ['Travel documents on time', (r) => percent(r.travelDocuments?.shareOnTime)],
    ...obstacleTypes.map((t) => [
      `Obstacles: ${humanise(t)} (count, median days open)`,
      (r) => `${text(r.obstacles?.[t]?.count)}, ${text(r.obstacles?.[t]?.medianDaysOpen)}`,
    ]),
    ['Removals planned', (r) => text(r.removals?.planned)],
    ['Departed', (r) => text(r.removals?.departed)],
    ['Returned', (r) => text(r.removals?.returned)],
    ['Aborted', (r) => withReasons(r.removals?.aborted, r.removals?.abortedByReason)],
  ];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', {}, 'Per origin State and agreement'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Figure'),
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
  status.textContent = 'Preparing the CSV…';
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
    status.textContent = `Downloaded ${name}.`;
    announce(status.textContent);
  } catch (e) {
    status.replaceChildren(await problemView(e));
  }
}

async function safeguardsSection(result) {
  const heading = h('h2', {}, 'Safeguards');
  if (result.missing) return h('section', { class: 'panel' }, heading, unavailable('safeguards report'));
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
        'Children removed with an assessment before removal',
        `${text(r.children?.assessedBeforeRemoval)} of ${text(r.children?.removed)} (${percent(r.children?.share)})`,
      ),
      figure(
        'Escorted removals with a monitor',
        `${text(r.escortedRemovals?.withMonitor)} of ${text(r.escortedRemovals?.departed)} (${percent(r.escortedRemovals?.share)})`,
      ),
      figure('Use-of-force reports', text(r.useOfForce?.reports)),
      figure('Reports naming a prohibited technique', text(r.useOfForce?.withProhibitedTechniques)),
      figure('Critical concerns raised', text(r.criticalConcerns?.raised)),
      figure('Critical concerns unanswered', text(r.criticalConcerns?.unanswered)),
      figure(
        'Hours to a response (median / 90th percentile)',
        `${text(r.criticalConcerns?.hoursToResponse?.median)} / ${text(r.criticalConcerns?.hoursToResponse?.p90)}`,
      ),
      figure('Aborted removals', text(r.aborts?.total)),
    ),
    prohibited.length
      ? barChart({
          title: 'Prohibited techniques reported',
          labels: prohibited.map(([t]) => humanise(t)),
          series: [{ name: 'Reports', values: prohibited.map(([, n]) => n) }],
        })
      : null,
    aborts.length
      ? barChart({
          title: 'Aborted removals by reason',
          labels: aborts.map(([t]) => humanise(t)),
          series: [{ name: 'Aborts', values: aborts.map(([, n]) => n) }],
        })
      : h('p', { class: 'empty' }, 'No aborted removals in this period.'),
  );
}
