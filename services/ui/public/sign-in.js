// Sign-in with a pasted token (a server that trusts its own secret); with an identity provider,
// auth.js's page instead.
import { api, decodeJwt, session } from './api.js';
import { authConfig, providerSignInPage } from './auth.js';
import { announce, h, notice } from './dom.js';
import { t } from './i18n.js';

export async function signInPage(params) {
  const config = await authConfig();
  if (config.signIn !== 'token') return providerSignInPage(config, params);
  const error = h('div', { 'aria-live': 'polite', tabindex: '-1' });
  const input = h('textarea', {
    id: 'token',
    name: 'token',
    rows: 4,
    autocomplete: 'off',
    spellcheck: 'false',
    dir: 'ltr', // a token is Latin letters and digits, whatever the page's direction
    'aria-describedby': 'token-hint',
  });
  const form = h(
    'form',
    { class: 'sign-in' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'token' }, t('signIn.token')),
      h(
        'p',
        { class: 'hint', id: 'token-hint' },
        t('signIn.tokenHintBefore'),
        ' ',
        h('code', { dir: 'ltr' }, 'npx rrc token --role caseworker --state DE'),
        ' ',
        t('signIn.tokenHintAfter'),
      ),
      input,
    ),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('signIn.submit'))),
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
    if (!claims || !Array.isArray(claims.roles)) return fail(t('signIn.notRrcToken'));
    if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) return fail(t('signIn.expired'));
    session.signIn(token);
    try {
      await api('/v1/agreements?limit=1'); // any signed-in read: does the server accept the token?
    } catch (e) {
      session.signOut();
      return fail(e.status === 401 ? t('signIn.refused') : t('signIn.couldNotCheck', { message: e.message }));
    }
    announce(t('signIn.signedIn', { sub: claims.sub }));
    location.hash = '#/';
  });
  return h('div', {}, h('h1', { tabindex: '-1' }, t('signIn.title')), form);
}
