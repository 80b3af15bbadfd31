// What every list page has: its fetch, a filter form that writes the route's query string,
// "Next page", links to cases, and "Go to a case" with the cases seen in this tab.
import { api, ApiError, query, session } from './api.js';
import { h, navigate, notice } from './dom.js';
import { problemView } from './forms.js';
import { t } from './i18n.js';

const enc = encodeURIComponent;

/** Ids and references read left to right whatever the page's direction. */
export const caseLink = (id) => h('a', { href: `#/cases/${enc(id)}`, dir: 'ltr' }, id);
export const ltrCell = (v) => (v ? h('span', { dir: 'ltr' }, v) : '—');

/** "Overdue" in bold, or "No". */
export const overdueCell = (v) => (v ? h('strong', { class: 'warn' }, t('list.overdue')) : t('common.no'));

export function goToCase() {
  const input = h('input', { id: 'go-case', type: 'text', autocomplete: 'off', class: 'medium', dir: 'ltr' });
  const recent = session.recentCases;
  return h(
    'section',
    { class: 'panel' },
    h('h2', {}, t('goToCase.title')),
    h(
      'form',
      {
        class: 'inline',
        onsubmit: (event) => {
          event.preventDefault();
          const id = input.value.trim();
          if (id) location.hash = `#/cases/${enc(id)}`;
        },
      },
      h('div', { class: 'field' }, h('label', { for: 'go-case' }, t('goToCase.caseId')), input),
      h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('goToCase.open'))),
    ),
    recent.length
      ? [
          h('h3', {}, t('goToCase.seen')),
          h(
            'ul',
            {},
            recent.map((id) => h('li', {}, caseLink(id))),
          ),
        ]
      : null,
  );
}

/**
 * A list page's fetch: answers the items, or a notice when the server does not serve it yet.
 * `whatKey` names the list (a catalogue key) in that notice.
 */
export async function listOrNotice(path, whatKey) {
  try {
    const { data } = await api(path);
    return { items: data.items ?? (Array.isArray(data) ? data : []), nextCursor: data.nextCursor ?? null };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      return { notice: notice('info', h('p', {}, t('list.notAvailable', { what: t(whatKey) }))) };
    }
    return { notice: await problemView(e) };
  }
}

/** A filter form that writes its values into the route's query string: fields `[name, label, kind, value, options]`. */
export function filterForm(route, fields) {
  return h(
    'form',
    {
      class: 'filters',
      onsubmit: (event) => {
        event.preventDefault();
        const values = {};
        for (const [name, , kind] of fields) {
          const el = event.target.elements[name];
          values[name] = kind === 'checkbox' ? el.checked : el.value;
        }
        navigate(`${route}${query(values)}`);
      },
    },
    fields.map(([name, label, kind, value, options]) => {
      const id = `filter-${name}`;
      if (kind === 'checkbox') {
        return h(
          'div',
          { class: 'field field-check' },
          h('input', { type: 'checkbox', id, name, checked: value === 'true' }),
          h('label', { for: id }, label),
        );
      }
      if (kind === 'select') {
        return h(
          'div',
          { class: 'field' },
          h('label', { for: id }, label),
          h(
            'select',
            { id, name },
            options.map(([v, l]) => h('option', { value: v, selected: v === value }, l)),
          ),
        );
      }
      return h(
        'div',
        { class: 'field' },
        h('label', { for: id }, label),
        h('input', {
          id,
          name,
          type: kind,
          value,
          ...(name === 'originState' ? { maxlength: 2, class: 'short', dir: 'ltr' } : {}),
        }),
      );
    }),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('list.show'))),
  );
}

export const nextPage = (route, params, nextCursor) => {
  if (!nextCursor) return null;
  const q = new URLSearchParams(params);
  q.set('cursor', nextCursor);
  return h('p', {}, h('a', { href: `${route}?${q}` }, t('list.nextPage')));
};
