// The page's frame: who is signed in, the navigation by role (with live badges), the language
// menu, and signing out. The pages themselves are the router's (app.js).
import { session } from './api.js';
import { authConfig, signOutAtProvider } from './auth.js';
import { announce, h } from './dom.js';
import { has, language, LANGUAGES, PSEUDO, setLanguage, t } from './i18n.js';
import { pageOf, startLive, stopLive } from './live.js';

const NAV = [
  ['caseworker', '#/worklist', 'nav.worklist'],
  ['caseworker', '#/cases/new', 'nav.openCase'],
  ['liaison', '#/inbox', 'nav.inbox'],
  ['monitor', '#/removals', 'nav.removals'],
  ['monitor', '#/incidents', 'nav.incidents'],
  ['analyst', '#/reports', 'nav.reports'],
  ['admin', '#/reports', 'nav.reports'],
];

export const roles = () => session.claims?.roles ?? [];

/** Live notices (live.js) not yet seen, per list page: the nav shows them as badges. */
export const unseen = new Map();

export const navFor = () => {
  const seen = new Set();
  return NAV.filter(([role, href]) => roles().includes(role) && !seen.has(href) && seen.add(href));
};

/** The language menu: each language named in itself; choosing one reloads the page in it. */
export function languageMenu() {
  const current = language();
  const select = h(
    'select',
    { id: 'language', onchange: (event) => setLanguage(event.target.value) },
    LANGUAGES.map(([code, name]) => h('option', { value: code, lang: code, selected: code === current }, name)),
    // The pseudo-locale (tests) stays selected when it is in use, so the menu tells the truth.
    current === PSEUDO ? h('option', { value: PSEUDO, selected: true }, PSEUDO) : null,
  );
  return h('div', { class: 'language' }, h('label', { for: 'language' }, t('shell.language')), ' ', select);
}

/** The header for `path`; `reroute` re-renders the current page (a nav link to the page shown). */
export function renderShell(path, reroute) {
  const claims = session.claims;
  const who = document.getElementById('who');
  const nav = document.getElementById('nav');
  document.getElementById('language-slot')?.replaceChildren(languageMenu());
  if (!claims) {
    who.replaceChildren();
    nav.replaceChildren();
    return;
  }
  const expired = typeof claims.exp === 'number' && claims.exp * 1000 < Date.now();
  const roleNames = roles().map((r) => (has(`role.${r}`) ? t(`role.${r}`) : r));
  who.replaceChildren(
    h(
      'p',
      {},
      t('shell.signedInAs'),
      ' ',
      h('strong', {}, claims.sub ?? t('shell.noSub')),
      ' · ',
      roleNames.length ? roleNames.join(t('common.listSeparator')) : t('shell.noRole'),
      claims.state ? [' · ', t('shell.state', { state: claims.state })] : '',
      expired ? h('span', { class: 'tag warn' }, ' ', t('shell.tokenExpired')) : '',
    ),
    h('button', { type: 'button', class: 'secondary small', onclick: () => signOut() }, t('shell.signOut')),
  );
  nav.replaceChildren(
    h(
      'ul',
      {},
      navFor().map(([, href, key]) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href,
              'aria-current': path === href ? 'page' : null,
              // The list already shown: the same hash fires no hashchange, so reload it here.
              onclick: path === href ? () => void reroute() : null,
            },
            t(key),
            unseen.get(href)
              ? h('span', { class: 'badge' }, ' ', t('shell.newCount', { count: unseen.get(href) }))
              : null,
          ),
        ),
      ),
    ),
  );
  startLive((notice) => {
    const href = pageOf(notice, roles());
    if (!href) return;
    unseen.set(href, (unseen.get(href) ?? 0) + 1);
    renderShell(location.hash.split('?')[0], reroute);
  });
}

async function signOut() {
  stopLive();
  unseen.clear();
  // Signed in at a provider: signed out there too, which sends the browser back to /ui.
  if ((await authConfig()).signIn === 'oidc' && (await signOutAtProvider())) return;
  session.signOut();
  announce(t('shell.signedOut'));
  location.hash = '#/sign-in';
}
