// Messages about a readmission request between the two authorities: the thread on the case
// page (caseworkers of the destination State, the origin State's liaison, monitors read-only)
// with a compose box, and the unread badge of the worklist and the inbox. Every text is a
// text node (dom.js `h`): a message is never parsed as HTML.
import { api, newIdempotencyKey, session } from './api.js';
import { announce, formatInstant, h, uid } from './dom.js';
import { problemView } from './forms.js';
import { t } from './i18n.js';

const enc = encodeURIComponent;
const MAX = 4000;
/** While the page shows a thread, look for new messages this often (reading marks them read). */
const POLL_MS = 30_000;

/** The unread count of a worklist or inbox row: a badge with words, or nothing. */
export function unreadBadge(count) {
  if (!count) return h('span', { class: 'unread-none' }, '—');
  const words = t('messages.unread', { count });
  return h('span', { class: 'badge badge-unread', title: words }, words);
}

/** The side the signed-in user writes for on this case, or null (a monitor, or no request yet). */
function writerFor(c, liaison) {
  const claims = session.claims ?? {};
  const roles = claims.roles ?? [];
  if (liaison) return roles.includes('liaison') ? 'liaison' : null;
  return roles.includes('caseworker') && claims.state === c.destinationState ? 'caseworker' : null;
}

/** The request ids the case made, newest first: `q3, q2, q1` for the current `q3`. */
function requestIds(current) {
  const n = Number(/^q(\d+)$/.exec(current ?? '')?.[1] ?? 0);
  return Array.from({ length: n }, (_, i) => `q${n - i}`);
}

/**
 * The "Messages" section of the case page: the current request's thread (earlier requests on
 * a select), oldest first, in a `role="log"` list so new messages are announced; a compose box
 * for the two authorities. Reading the thread here marks it read for the reader's side.
 */
export async function messagesSection(c, { liaison }) {
  const requests = requestIds(c.readmissionRequest?.requestId);
  const heading = h('h2', { id: 'sec-messages', tabindex: '-1' }, t('section.messages'));
  const panel = h('section', { class: 'panel messages', 'aria-labelledby': 'sec-messages' }, heading);
  if (requests.length === 0) {
    panel.append(h('p', { class: 'empty' }, t('messages.openWithRequest')));
    return panel;
  }
  let requestId = requests[0];
  const list = h('ol', { class: 'thread', 'aria-live': 'polite', 'aria-label': t('messages.log') });
  const status = h('div', { class: 'thread-status' });
  const shown = new Set();

  const refresh = async ({ quiet = false } = {}) => {
    let data;
    try {
      ({ data } = await api(`/v1/cases/${enc(c.caseId)}/readmission-requests/${enc(requestId)}/messages`));
    } catch (e) {
      status.replaceChildren(await problemView(e));
      return;
    }
    status.replaceChildren();
    const fresh = data.items.filter((m) => !shown.has(m.messageId));
    for (const m of fresh) {
      shown.add(m.messageId);
      list.append(messageItem(m, c, liaison));
    }
    if (shown.size === 0) status.replaceChildren(h('p', { class: 'empty' }, t('messages.none')));
    if (!quiet && fresh.length > 0 && shown.size > fresh.length)
      announce(t('messages.newCount', { count: fresh.length }));
  };

  if (requests.length > 1) {
    const id = uid('thread-request');
    const select = h(
      'select',
      {
        id,
        onchange: async (event) => {
          requestId = event.target.value;
          shown.clear();
          list.replaceChildren();
          await refresh({ quiet: true });
        },
      },
      requests.map((q, i) => h('option', { value: q }, i === 0 ? t('messages.currentRequest', { requestId: q }) : q)),
    );
    panel.append(h('div', { class: 'field' }, h('label', { for: id }, t('section.request')), select));
  }
  panel.append(list, status);
  const writer = writerFor(c, liaison);
  if (writer) panel.append(composeForm(c, () => requestId, refresh));
  else panel.append(h('p', { class: 'hint' }, t('messages.readOnly')));
  await refresh({ quiet: true });

  // Stops by itself once the page moved on (the section left the document).
  const timer = setInterval(() => {
    if (!panel.isConnected) clearInterval(timer);
    else void refresh();
  }, POLL_MS);
  return panel;
}

function messageItem(m, c, liaison) {
  // The liaison does not see the case's "destination/origin" wording: name the State instead.
  const who = t('messages.from', {
    role: m.from.role === 'caseworker' ? 'caseworker' : 'liaison',
    state: m.from.state,
  });
  const mine = liaison ? m.from.role === 'liaison' : m.from.role === 'caseworker';
  return h(
    'li',
    { class: `message ${mine ? 'message-mine' : 'message-theirs'}`, 'data-message-id': m.messageId },
    h(
      'p',
      { class: 'message-meta' },
      h('strong', {}, who),
      ' · ',
      h('time', { datetime: m.sentAt }, formatInstant(m.sentAt)),
    ),
    m.text === null
      ? h('p', { class: 'message-text empty' }, t('messages.erased'))
      : h('p', { class: 'message-text' }, m.text),
  );
}

function composeForm(c, currentRequest, refresh) {
  const id = uid('message');
  const countId = `${id}-count`;
  const textarea = h('textarea', {
    id,
    name: 'text',
    rows: 4,
    maxlength: MAX,
    required: true,
    'aria-describedby': countId,
  });
  const limitText = () => t('messages.limit', { max: MAX });
  const count = h('p', { id: countId, class: 'hint' }, limitText());
  const result = h('div', { class: 'compose-result', 'aria-live': 'polite' });
  // One key per text: sending the same text again after a lost answer posts it once.
  let key = null;
  textarea.addEventListener('input', () => {
    key = null;
    count.textContent = t('messages.count', { count: textarea.value.length, max: MAX });
  });
  const send = h('button', { type: 'submit' }, t('messages.send'));
  const form = h(
    'form',
    {
      class: 'compose',
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        result.replaceChildren();
        send.disabled = true;
        try {
          const { data } = await api(
            `/v1/cases/${enc(c.caseId)}/readmission-requests/${enc(currentRequest())}/messages`,
            {
              method: 'POST',
              body: { text: textarea.value },
              headers: { 'Idempotency-Key': (key ??= newIdempotencyKey()) },
            },
          );
          session.position = data.position;
          key = null;
          textarea.value = '';
          count.textContent = limitText();
          textarea.removeAttribute('aria-invalid');
          await refresh({ quiet: true });
          announce(t('messages.sent'));
          textarea.focus();
        } catch (e) {
          textarea.setAttribute('aria-invalid', 'true');
          result.replaceChildren(await problemView(e));
        } finally {
          send.disabled = false;
        }
      },
    },
    h('div', { class: 'field' }, h('label', { for: id }, t('messages.new')), textarea, count),
    send,
    result,
  );
  return form;
}
