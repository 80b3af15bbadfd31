// rrc's web UI: the router and the start. Hash routes (#/worklist, #/cases/ID, …) so the
// server serves one page. No framework, no build step. The pages live in their own modules:
// shell.js (header, navigation, language), sign-in.js, worklist.js (caseworker and liaison
// lists), monitoring.js, case.js, reports.js.
import { session } from './api.js';
import { finishSignIn, initAuth } from './auth.js';
import { casePage } from './case.js';
import { h } from './dom.js';
import { problemView } from './forms.js';
import { initI18n, t } from './i18n.js';
import { incidentsPage, removalsPage } from './monitoring.js';
import { reportsPage } from './reports.js';
import { navFor, renderShell, roles, unseen } from './shell.js';
import { signInPage } from './sign-in.js';
import { inboxPage, openCasePage, worklistPage } from './worklist.js';

const main = document.getElementById('main');

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
  renderShell(path, route);
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
        h('h1', { tabindex: '-1' }, t('router.notFound')),
        h('p', {}, h('a', { href: '#/' }, t('router.startPage'))),
      );
    else if (found[2] && !roles().includes(found[2]))
      content = h(
        'div',
        {},
        h('h1', { tabindex: '-1' }, t('router.notForRole')),
        h('p', {}, t('router.pageForRole', { role: t(`role.${found[2]}`) })),
      );
    else content = await found[1](found[0], params);
  } catch (e) {
    content = h(
      'div',
      {},
      h('h1', { tabindex: '-1' }, e.status === 404 ? t('router.notFound') : t('router.couldNotLoad')),
      await problemView(e),
      e.status === 401 ? h('p', {}, h('a', { href: '#/sign-in' }, t('router.signInAgain'))) : null,
    );
  }
  if (gen !== generation) return; // the user went elsewhere meanwhile
  main.removeAttribute('aria-busy');
  main.replaceChildren(content);
  const heading = main.querySelector('h1');
  document.title = heading ? t('router.documentTitle', { heading: heading.textContent }) : 'rrc';
  if (routed) heading?.focus();
  routed = true;
}
let routed = false;

document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', route);
window.addEventListener('rrc:unauthenticated', () => renderShell(location.hash.split('?')[0], route));
window.addEventListener('rrc:signed-out', () => location.replace('#/sign-in?reason=expired'));

/** Back from the identity provider with a code: finish signing in before the first route. */
async function start() {
  await initI18n();
  applyStaticTexts();
  await initAuth();
  await finishSignIn();
  await route();
}
void start();

/** The shell's own words (index.html holds English until the catalogue is loaded). */
function applyStaticTexts() {
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]'))
    el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}
