// rrc's web UI: sign-in, navigation by role, and the list pages. Hash routes (#/worklist,
// #/cases/ID, …) so the server serves one page. No framework, no build step.
import { api, ApiError, bodySchema, decodeJwt, newIdempotencyKey, query, session } from './api.js';
import { authConfig, finishSignIn, initAuth, providerSignInPage, signOutAtProvider } from './auth.js';
import { casePage } from './case.js';
import { announce, h, humanise, navigate, notice, table, text } from './dom.js';
import { problemView, schemaForm } from './forms.js';
import { unreadBadge } from './messages.js';
import { reportsPage } from './reports.js';
import { pageOf, startLive, stopLive } from './live.js';

const main = document.getElementById('main');
const enc = encodeURIComponent;

const NAV = [
  ['caseworker', '#/worklist', 'Worklist'],
  ['caseworker', '#/cases/new', 'Open a case'],
  ['liaison', '#/inbox', 'Readmission requests'],
  ['monitor', '#/removals', 'Upcoming removals'],
  ['monitor', '#/incidents', 'Incidents and concerns'],
  ['analyst', '#/reports', 'Reports'],
  ['admin', '#/reports', 'Reports'],
];

const roles = () => session.claims?.roles ?? [];
/** Live notices (live.js) not yet seen, per list page: the nav shows them as badges. */
const unseen = new Map();
function onNotice(notice) {
  const href = pageOf(notice, roles());
  if (!href) return;
  unseen.set(href, (unseen.get(href) ?? 0) + 1);
  renderShell(location.hash.split('?')[0]);
}
const navFor = () => {
  const seen = new Set();
  return NAV.filter(([role, href]) => roles().includes(role) && !seen.has(href) && seen.add(href));
};

// ---------------------------------------------------------------------------------------
// Shell: who is signed in, the navigation

function renderShell(path) {
  const claims = session.claims;
  const who = document.getElementById('who');
  const nav = document.getElementById('nav');
  if (!claims) {
    who.replaceChildren();
    nav.replaceChildren();
    return;
  }
  const expired = typeof claims.exp === 'number' && claims.exp * 1000 < Date.now();
  who.replaceChildren(
    h(
      'p',
      {},
      'Signed in as ',
      h('strong', {}, claims.sub ?? '(no sub)'),
      ` · ${roles().join(', ') || 'no role'}`,
      claims.state ? ` · State ${claims.state}` : '',
      expired ? h('span', { class: 'tag warn' }, ' token expired') : '',
    ),
    h('button', { type: 'button', class: 'secondary small', onclick: signOut }, 'Sign out'),
  );
  nav.replaceChildren(
    h(
      'ul',
      {},
      navFor().map(([, href, label]) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href,
              'aria-current': path === href ? 'page' : null,
              // The list already shown: the same hash fires no hashchange, so reload it here.
              onclick: path === href ? () => void route() : null,
            },
            label,
            unseen.get(href) ? h('span', { class: 'badge' }, ` ${unseen.get(href)} new`) : null,
          ),
        ),
      ),
    ),
  );
  startLive(onNotice);
}

async function signOut() {
  stopLive();
  unseen.clear();
  // Signed in at a provider: signed out there too, which sends the browser back to /ui.
  if ((await authConfig()).signIn === 'oidc' && (await signOutAtProvider())) return;
  session.signOut();
  announce('Signed out.');
  location.hash = '#/sign-in';
}

// ---------------------------------------------------------------------------------------
// Sign-in

async function signInPage(params) {
  // A pasted token only where the server trusts its own secret; else the identity provider.
  const config = await authConfig();
  if (config.signIn !== 'token') return providerSignInPage(config, params);
  const error = h('div', { 'aria-live': 'polite', tabindex: '-1' });
  const input = h('textarea', {
    id: 'token',
    name: 'token',
    rows: 4,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'token-hint',
  });
  const form = h(
    'form',
    { class: 'sign-in' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'token' }, 'Token'),
      h(
        'p',
        { class: 'hint', id: 'token-hint' },
        'A bearer token (JWT). For a local server, print one with ',
        h('code', {}, 'npx rrc token --role caseworker --state DE'),
        '. It is kept in this browser tab only (sessionStorage).',
      ),
      input,
    ),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Sign in')),
    error,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim().replace(/^Bearer\s+/i, '');
    const claims = decodeJwt(token);
    const fail = (message) => {
      error.replaceChildren(notice('error', h('p', { role: 'alert' }, message)));
      error.focus();
    };
    if (!claims || !Array.isArray(claims.roles)) return fail('That is not a token from rrc: it has no roles.');
    if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now())
      return fail('That token has expired. Make a new one.');
    session.signIn(token);
    try {
      await api('/v1/agreements?limit=1'); // any signed-in read: does the server accept the token?
    } catch (e) {
      session.signOut();
      return fail(
        e.status === 401 ? 'The server does not accept this token.' : `Could not check the token: ${e.message}`,
      );
    }
    announce(`Signed in as ${claims.sub}.`);
    location.hash = '#/';
  });
  return h('div', {}, h('h1', { tabindex: '-1' }, 'Sign in'), form);
}

// ---------------------------------------------------------------------------------------
// Finding a case by id; the cases seen in this tab

function goToCase() {
  const input = h('input', { id: 'go-case', type: 'text', autocomplete: 'off', class: 'medium' });
  const recent = session.recentCases;
  return h(
    'section',
    { class: 'panel' },
    h('h2', {}, 'Go to a case'),
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
      h('div', { class: 'field' }, h('label', { for: 'go-case' }, 'Case id'), input),
      h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Open')),
    ),
    recent.length
      ? [
          h('h3', {}, 'Seen in this tab'),
          h(
            'ul',
            {},
            recent.map((id) => h('li', {}, h('a', { href: `#/cases/${enc(id)}` }, id))),
          ),
        ]
      : null,
  );
}

const caseLink = (id) => h('a', { href: `#/cases/${enc(id)}` }, id);

/** A list page's fetch: answers the items, or a notice when the server does not serve it yet. */
async function listOrNotice(path, what) {
  try {
    const { data } = await api(path);
    return { items: data.items ?? (Array.isArray(data) ? data : []), nextCursor: data.nextCursor ?? null };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      return {
        notice: notice('info', h('p', {}, `The ${what} is not available on this server yet. Open cases by id below.`)),
      };
    }
    return { notice: await problemView(e) };
  }
}

/** A filter form that writes its values into the route's query string. */
function filterForm(route, fields) {
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
          ...(name === 'originState' ? { maxlength: 2, class: 'short' } : {}),
        }),
      );
    }),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Show')),
  );
}

const nextPage = (route, params, nextCursor) => {
  if (!nextCursor) return null;
  const q = new URLSearchParams(params);
  q.set('cursor', nextCursor);
  return h('p', {}, h('a', { href: `${route}?${q}` }, 'Next page'));
};

// ---------------------------------------------------------------------------------------
// Caseworker

const STATUSES = ['intake', 'voluntary-departure', 'readmission', 'removal-planned', 'departed', 'closed'];

async function worklistPage(params) {
  const status = params.get('status') ?? '';
  const overdue = params.get('overdue') ?? '';
  const originState = params.get('originState') ?? '';
  const list = await listOrNotice(
    `/v1/cases${query({ status, overdue, originState, cursor: params.get('cursor'), minPosition: session.position })}`,
    'worklist',
  );
  return h(
    'div',
    {},
    h('h1', { tabindex: '-1' }, 'Worklist'),
    h('p', { class: 'lead' }, `Cases of ${session.claims?.state ?? 'your State'}, the next deadline first.`),
    filterForm('#/worklist', [
      [
        'status',
        'Status',
        'select',
        status,
        [['', 'Open cases'], ['all', 'All cases'], ...STATUSES.map((s) => [s, humanise(s)])],
      ],
      ['originState', 'Origin State', 'text', originState],
      ['overdue', 'Overdue only', 'checkbox', overdue],
    ]),
    h(
      'section',
      { class: 'panel', 'aria-live': 'polite' },
      h('h2', {}, 'Cases'),
      list.notice ??
        (list.items.length
          ? table(list.items, [
              ['caseId', 'Case', caseLink],
              ['reference', 'Reference'],
              ['status', 'Status', (v) => h('span', { class: `badge badge-${v}` }, v)],
              ['originState', 'Origin'],
              ['openedOn', 'Opened on'],
              [
                'nextDeadline',
                'Next deadline',
                (v) => (v && typeof v === 'object' ? `${humanise(v.kind)}: ${v.dueOn}` : text(v)),
              ],
              ['overdue', 'Overdue', (v) => (v ? h('strong', { class: 'warn' }, 'Overdue') : 'No')],
              [
                'openObstacles',
                'Open obstacles',
                (v) => (Array.isArray(v) ? v.map(humanise).join(', ') || '—' : text(v)),
              ],
              ['holds', 'Holds', (v) => (Array.isArray(v) ? v.map(humanise).join(', ') || '—' : text(v))],
              ['unreadMessages', 'Messages', unreadBadge],
            ])
          : h('p', { class: 'empty' }, 'No cases match.')),
      list.nextCursor ? nextPage('#/worklist', params, list.nextCursor) : null,
    ),
    goToCase(),
  );
}

async function openCasePage() {
  const schema = await bodySchema('/v1/cases');
  const form = schemaForm(
    schema,
    { members: [] },
    {
      submitLabel: 'Open case',
      onSubmit: async (body) => {
        const { data } = await api('/v1/cases', {
          method: 'POST',
          body,
          headers: { 'Idempotency-Key': newIdempotencyKey() },
        });
        session.position = data.position;
        session.rememberCase(data.caseId);
        announce(`Case ${data.caseId} opened.`);
        location.hash = `#/cases/${enc(data.caseId)}`;
        return `Case ${data.caseId} opened.`;
      },
    },
  );
  return h(
    'div',
    {},
    h('h1', { tabindex: '-1' }, 'Open a case'),
    h(
      'p',
      { class: 'lead' },
      `The destination State is your token's State (${session.claims?.state ?? '—'}). Household members get ids m1, m2, … in order.`,
    ),
    h('section', { class: 'panel' }, form),
  );
}

// ---------------------------------------------------------------------------------------
// Liaison

async function inboxPage(params) {
  const status = params.get('status') ?? 'pending';
  const list = await listOrNotice(
    `/v1/liaison/requests${query({ status, cursor: params.get('cursor'), minPosition: session.position })}`,
    'inbox',
  );
  return h(
    'div',
    {},
    h('h1', { tabindex: '-1' }, 'Readmission requests'),
    h('p', { class: 'lead' }, `Requests addressed to ${session.claims?.state ?? 'your State'}.`),
    filterForm('#/inbox', [
      [
        'status',
        'Show',
        'select',
        status,
        [
          ['pending', 'Pending'],
          ['accepted', 'Accepted'],
          ['rejected', 'Rejected'],
          ['all', 'All'],
        ],
      ],
    ]),
    h(
      'section',
      { class: 'panel', 'aria-live': 'polite' },
      h('h2', {}, 'Requests'),
      list.notice ??
        (list.items.length
          ? table(list.items, [
              ['caseId', 'Case', caseLink],
              ['reference', 'Reference'],
              ['status', 'Status'],
              ['procedure', 'Procedure'],
              ['destinationState', 'From'],
              ['submittedOn', 'Submitted on'],
              ['replyDueOn', 'Reply due on'],
              ['overdue', 'Overdue', (v) => (v ? h('strong', { class: 'warn' }, 'Overdue') : 'No')],
              ['travelDocumentDueOn', 'Travel document due'],
              ['unreadMessages', 'Messages', unreadBadge],
            ])
          : h('p', { class: 'empty' }, 'No requests.')),
      nextPage('#/inbox', params, list.nextCursor),
    ),
    goToCase(),
  );
}

// ---------------------------------------------------------------------------------------
// Monitor

const yesNo = (ok, good = 'Yes', bad = 'No') => h('span', { class: ok ? 'ok' : 'warn' }, ok ? good : bad);

/** The safeguard status of a removal; monitor, assessment and fitness are needed for escorted ones. */
function safeguardCell(s, item) {
  if (!s || typeof s !== 'object') return text(s);
  const escorted = item.mode === 'escorted';
  const needed = (ok) => (escorted ? yesNo(ok) : h('span', {}, ok ? 'Yes' : 'No (not needed)'));
  return h(
    'ul',
    { class: 'compact' },
    h('li', {}, 'Monitor: ', needed(s.monitorAssigned)),
    h('li', {}, 'Use-of-force assessment: ', needed(s.useOfForceAssessed)),
    h('li', {}, 'Fit to travel: ', needed(s.fitToTravelCertified)),
    s.children ? h('li', {}, `Children assessed: ${s.childrenAssessed} of ${s.children}`) : null,
    h(
      'li',
      {},
      'Unanswered critical concerns: ',
      yesNo(!s.unansweredCriticalConcerns, '0', String(s.unansweredCriticalConcerns)),
    ),
  );
}

async function removalsPage(params) {
  const from = params.get('from') ?? new Date().toISOString().slice(0, 10);
  const to = params.get('to') ?? '';
  const list = await listOrNotice(
    `/v1/monitoring/removals${query({ from, to, cursor: params.get('cursor'), minPosition: session.position })}`,
    'list of removals',
  );
  return h(
    'div',
    {},
    h('h1', { tabindex: '-1' }, 'Upcoming removals'),
    filterForm('#/removals', [
      ['from', 'From', 'date', from],
      ['to', 'To', 'date', to],
    ]),
    h(
      'section',
      { class: 'panel', 'aria-live': 'polite' },
      h('h2', {}, 'Removals and their safeguards'),
      list.notice ??
        (list.items.length
          ? table(list.items, [
              ['caseId', 'Case', caseLink],
              ['departureAt', 'Departure'],
              ['mode', 'Mode', (v) => humanise(v ?? '')],
              ['originState', 'To'],
              ['travellers', 'Travellers'],
              ['status', 'Status'],
              ['safeguards', 'Safeguards', safeguardCell],
            ])
          : h('p', { class: 'empty' }, 'No removals in this period.')),
      nextPage('#/removals', params, list.nextCursor),
    ),
    goToCase(),
  );
}

async function incidentsPage(params) {
  const kind = params.get('kind') ?? '';
  const list = await listOrNotice(
    `/v1/monitoring/incidents${query({ kind, cursor: params.get('cursor'), minPosition: session.position })}`,
    'list of incidents',
  );
  return h(
    'div',
    {},
    h('h1', { tabindex: '-1' }, 'Incidents and concerns'),
    filterForm('#/incidents', [
      [
        'kind',
        'Show',
        'select',
        kind,
        [
          ['', 'Everything'],
          ['use-of-force', 'Use of force'],
          ['concern', 'Safeguard concerns'],
        ],
      ],
    ]),
    h(
      'section',
      { class: 'panel', 'aria-live': 'polite' },
      h('h2', {}, 'Newest first'),
      list.notice ??
        (list.items.length
          ? table(list.items, [
              ['at', 'When'],
              ['kind', 'Kind', (v) => humanise(v ?? '')],
              ['caseId', 'Case', caseLink],
              [
                'severity',
                'Severity or techniques',
                (v, i) => (i.kind === 'use-of-force' ? text(i.techniques) : text(v)),
              ],
              [
                'prohibited',
                'Prohibited technique',
                (v, i) => (i.kind === 'use-of-force' ? yesNo(!v, 'No', 'Yes') : '—'),
              ],
              [
                'status',
                'Status',
                (v, i) => (i.kind === 'use-of-force' ? `reported by ${text(i.reportedBy)}` : text(v)),
              ],
            ])
          : h('p', { class: 'empty' }, 'Nothing reported.')),
      nextPage('#/incidents', params, list.nextCursor),
    ),
    goToCase(),
  );
}

// ---------------------------------------------------------------------------------------
// Router

const ROUTES = [
  [/^#\/sign-in$/, (_m, p) => signInPage(p), null],
  [/^#\/worklist$/, (_m, p) => worklistPage(p), 'caseworker'],
  [/^#\/cases\/new$/, () => openCasePage(), 'caseworker'],
  [/^#\/cases\/([^/]+)$/, (m) => casePage(decodeURIComponent(m[1])), null],
  [/^#\/inbox$/, (_m, p) => inboxPage(p), 'liaison'],
  [/^#\/removals$/, (_m, p) => removalsPage(p), 'monitor'],
  [/^#\/incidents$/, (_m, p) => incidentsPage(p), 'monitor'],
  [/^#\/reports$/, (_m, p) => reportsPage(p), null],
];

let generation = 0;

async function route() {
  const hash = location.hash || '#/';
  if (!hash.startsWith('#/')) return; // an in-page anchor, not a route
  const [path, search] = hash.split('?');
  const params = new URLSearchParams(search ?? '');
  unseen.delete(path);
  renderShell(path);
  if (!session.token && path !== '#/sign-in') return void location.replace('#/sign-in');
  if (path === '#/' || path === '#') {
    return void location.replace(navFor()[0]?.[1] ?? '#/reports');
  }
  const found = ROUTES.map(([re, view, role]) => [re.exec(path), view, role]).find(([m]) => m);
  const gen = ++generation;
  main.setAttribute('aria-busy', 'true');
  let content;
  try {
    if (!found)
      content = h(
        'div',
        {},
        h('h1', { tabindex: '-1' }, 'Not found'),
        h('p', {}, h('a', { href: '#/' }, 'Go to the start page.')),
      );
    else if (found[2] && !roles().includes(found[2]))
      content = h(
        'div',
        {},
        h('h1', { tabindex: '-1' }, 'Not for your role'),
        h('p', {}, `This page is for the ${found[2]} role.`),
      );
    else content = await found[1](found[0], params);
  } catch (e) {
    content = h(
      'div',
      {},
      h('h1', { tabindex: '-1' }, e.status === 404 ? 'Not found' : 'Could not load this page'),
      await problemView(e),
      e.status === 401 ? h('p', {}, h('a', { href: '#/sign-in' }, 'Sign in again.')) : null,
    );
  }
  if (gen !== generation) return; // the user went elsewhere meanwhile
  main.removeAttribute('aria-busy');
  main.replaceChildren(content);
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} · rrc` : 'rrc';
  if (routed) heading?.focus();
  routed = true;
}
let routed = false;

document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', route);
window.addEventListener('rrc:unauthenticated', () => renderShell(location.hash.split('?')[0]));
window.addEventListener('rrc:signed-out', () => location.replace('#/sign-in?reason=expired'));

/** Back from the identity provider with a code: finish signing in before the first route. */
async function start() {
  await initAuth();
  await finishSignIn();
  await route();
}
void start();
