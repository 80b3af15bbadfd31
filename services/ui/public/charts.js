// Small SVG bar charts drawn here (no library, nothing fetched). Each chart has a title and
// a text description of its numbers for screen readers; the page shows the table as well.
// Right-to-left languages get the chart mirrored: labels and bars start at the right edge.
import { h, s, uid } from './dom.js';
import { formatDuration, formatNumber, isRtl, t } from './i18n.js';

const WIDTH = 640;
const LEFT = 8;
const VALUE_ROOM = 70;
const BAR = 18;
const LABEL = 20;

const truncate = (text, max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Horizontal bars, one group per label (the label on its own line above its bars, so long
 * labels fit), one bar per series:
 * `barChart({ title, labels: ['PK'], series: [{ name: 'Median', values: [3] }], unit: 'day' })`
 * (`unit`: an Intl unit, formatted in the page's language).
 * A `null` value is drawn as "no data", never as zero.
 */
export function barChart({ title, labels, series, unit = '' }) {
  const legend = series.length > 1 ? 28 : 0;
  const group = LABEL + series.length * BAR + (series.length - 1) * 3;
  const gap = 14;
  const height = legend + labels.length * (group + gap) + 4;
  const max = Math.max(1, ...series.flatMap((se) => se.values.filter((v) => typeof v === 'number')));
  const plot = WIDTH - LEFT - VALUE_ROOM;
  const fmt = (v) =>
    typeof v !== 'number'
      ? t('chart.noData')
      : unit
        ? formatDuration(v, unit, 'short')
        : formatNumber(v, { maximumFractionDigits: 2 });
  const rtl = isRtl();
  // A point `x` from the start edge, and a box of width `w` starting there: mirrored in RTL.
  const X = (x) => (rtl ? WIDTH - x : x);
  const boxX = (x, w) => (rtl ? WIDTH - x - w : x);

  const titleId = uid('chart-title');
  const descId = uid('chart-desc');
  const description = labels
    .map((label, i) =>
      t('common.labelled', {
        label,
        value: series.map((se) => `${se.name} ${fmt(se.values[i])}`).join(t('common.listSeparator')),
      }),
    )
    .join(t('chart.itemSeparator'));

  const svg = s(
    'svg',
    {
      viewBox: `0 0 ${WIDTH} ${height}`,
      role: 'img',
      'aria-labelledby': `${titleId} ${descId}`,
      class: 'chart',
      direction: rtl ? 'rtl' : 'ltr',
      preserveAspectRatio: rtl ? 'xMaxYMin meet' : 'xMinYMin meet',
    },
    s('title', { id: titleId }, title),
    s('desc', { id: descId }, description),
    series.length > 1
      ? series.map((se, j) =>
          s(
            'g',
            { transform: `translate(${boxX(LEFT + j * 170, 14)}, 8)` },
            s('rect', { width: 14, height: 14, class: `bar bar-${j}` }),
            s('text', { x: rtl ? -6 : 20, y: 12, class: 'chart-text' }, se.name),
          ),
        )
      : null,
    labels.map((label, i) => {
      const y0 = legend + i * (group + gap);
      return s(
        'g',
        {},
        s('text', { x: X(LEFT), y: y0 + 14, class: 'chart-label' }, truncate(label, 80)),
        s('line', { x1: X(LEFT), x2: X(LEFT), y1: y0 + LABEL - 2, y2: y0 + group + 2, class: 'axis' }),
        series.map((se, j) => {
          const v = se.values[i];
          const y = y0 + LABEL + j * (BAR + 3);
          const w = typeof v === 'number' ? Math.max(v > 0 ? 2 : 0, (v / max) * plot) : 0;
          return s(
            'g',
            {},
            s('rect', { x: boxX(LEFT + 1, w), y, width: w, height: BAR, class: `bar bar-${j}` }),
            s('text', { x: X(LEFT + w + 6), y: y + BAR - 4, class: 'chart-value' }, fmt(v)),
          );
        }),
      );
    }),
  );
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), svg);
}
