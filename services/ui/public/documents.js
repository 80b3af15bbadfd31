// Documents of a case: the list with downloads, an upload form on the case page, and the
// file picker that goes with the readmission request form. Downloads are fetched with the
// bearer token and handed to the browser as a blob URL (a plain link could not send the
// token). Everything shown is text nodes (dom.js `h`), never HTML parsed from data.
import { api, ApiError, noAnswer, session } from './api.js';
import { announce, h, notice, table, text, uid } from './dom.js';
import { problemView } from './forms.js';
import { apiLanguage, formatNumber, t, valueLabel } from './i18n.js';

const enc = encodeURIComponent;

const KINDS = [
  'passport-copy',
  'id-card-copy',
  'birth-certificate',
  'photo',
  'fingerprint-record',
  'travel-document',
  'medical-certificate',
  'court-decision',
  'other',
];
/** Never shared with the origin State (the server refuses it with `document-not-shareable`). */
const NOT_SHAREABLE = ['medical-certificate', 'court-decision'];
const EXTENSIONS = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'image/tiff': 'tif' };
const ACCEPT = '.pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/jpeg,image/png,image/tiff';
const MAX_BYTES = 10 * 1024 * 1024;

/** Uploads one file; `requestId` shares it with the origin State. Throws ApiError like `api()`. */
export async function uploadDocument(caseId, file, kind, requestId) {
  const form = new FormData();
  form.append('kind', kind);
  if (requestId) form.append('requestId', requestId);
  form.append('file', file);
  let res;
  try {
    res = await fetch(`/v1/cases/${enc(caseId)}/documents`, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Accept-Language': apiLanguage(),
        Authorization: `Bearer ${session.token}`,
      },
      body: form,
    });
  } catch {
    throw noAnswer();
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401) window.dispatchEvent(new CustomEvent('rrc:unauthenticated'));
    throw new ApiError(res.status, data ?? undefined);
  }
  session.position = data.position;
  return data;
}

/** Fetches the bytes with the token and saves them under a name made from the document's id. */
async function download(caseId, doc) {
  const { data } = await api(`/v1/cases/${enc(caseId)}/documents/${enc(doc.documentId)}`, {
    accept: doc.mediaType,
  });
  const url = URL.createObjectURL(data);
  const link = h('a', { href: url, download: `document-${doc.documentId}.${EXTENSIONS[doc.mediaType] ?? 'bin'}` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const sizeText = (bytes) =>
  bytes >= 1024 * 1024
    ? t('documents.mib', { size: formatNumber(bytes / (1024 * 1024), { maximumFractionDigits: 1 }) })
    : t('documents.kib', { size: formatNumber(Math.max(1, Math.round(bytes / 1024))) });

/** A file input and a kind select, with the same labels, hints and error slots as other fields. */
function fileAndKind({ kinds, required }) {
  const fileId = uid('file');
  const kindId = uid('kind');
  const hintId = uid('hint');
  const errId = uid('err');
  const file = h('input', { type: 'file', id: fileId, accept: ACCEPT, 'aria-describedby': `${hintId} ${errId}` });
  const kind = h(
    'select',
    { id: kindId },
    h('option', { value: '' }, t('form.choose')),
    kinds.map((k) => h('option', { value: k }, valueLabel(k))),
  );
  const err = h('p', { class: 'field-error', id: errId, hidden: true });
  const el = [
    h(
      'div',
      { class: 'field' },
      h(
        'label',
        { for: fileId },
        t('documents.file'),
        required ? null : h('span', { class: 'optional' }, ' ', t('form.optional')),
      ),
      h('p', { class: 'hint', id: hintId }, t('documents.fileHint')),
      file,
      err,
    ),
    h('div', { class: 'field' }, h('label', { for: kindId }, t('documents.kindOfDocument')), kind),
  ];
  /** The chosen file and kind, `null` for none, or a message saying what is missing. */
  const read = () => {
    err.hidden = true;
    err.textContent = '';
    const chosen = file.files?.[0];
    if (!chosen) return required ? t('documents.chooseFile') : null;
    if (chosen.size > MAX_BYTES) return t('documents.tooLarge');
    if (!kind.value) return t('documents.chooseKind');
    return { file: chosen, kind: kind.value };
  };
  const fail = (message) => {
    err.hidden = false;
    err.textContent = message;
    file.setAttribute('aria-invalid', 'true');
  };
  return { el, read, fail };
}

/**
 * What the readmission request form gets: a document sent with the request (shared with the
 * origin State, so only kinds that may be shared). `el` goes into the form; `read()` before
 * submitting; `upload(caseId, requestId)` after the request is recorded.
 */
export function requestAttachment() {
  const picker = fileAndKind({ kinds: KINDS.filter((k) => !NOT_SHAREABLE.includes(k)), required: false });
  let chosen = null;
  return {
    el: h(
      'fieldset',
      { class: 'group' },
      h('legend', {}, t('documents.withRequest')),
      h('p', { class: 'hint' }, t('documents.withRequestHint')),
      picker.el,
    ),
    /** Checks the choice before the request is sent; throws with a field message when incomplete. */
    check() {
      const value = picker.read();
      if (typeof value === 'string') {
        picker.fail(value);
        throw new ApiError(400, { status: 400, title: t('documents.notReady'), detail: value });
      }
      chosen = value;
    },
    /** Uploads the chosen file (if any) as part of the request just recorded; answers a message. */
    async upload(caseId, requestId) {
      if (!chosen) return '';
      try {
        const { document: doc } = await uploadDocument(caseId, chosen.file, chosen.kind, requestId);
        return ` ${t('documents.sentWithRequest', { requestId, kind: valueLabel(doc.kind) })}`;
      } catch (error) {
        // The request is recorded either way: say so, and what became of the file.
        return ` ${t('documents.requestButNotDocument', { message: error.message })}`;
      }
    },
  };
}

/** The case page's documents: the list (what the caller may see) and, for a caseworker, an upload form. */
export async function documentsSection(c, { canUpload, reload }) {
  const heading = h('h2', { id: 'sec-documents', tabindex: '-1' }, t('section.documents'));
  const body = h('div', {});
  const sectionEl = h('section', { class: 'panel', 'aria-labelledby': 'sec-documents' }, heading, body);
  let items;
  try {
    items = (await api(`/v1/cases/${enc(c.caseId)}/documents`)).data.items ?? [];
  } catch (error) {
    body.append(await problemView(error));
    return sectionEl;
  }
  const status = h('div', { 'aria-live': 'polite', class: 'result', tabindex: '-1' });
  const downloadButton = (_value, doc) =>
    h(
      'button',
      {
        type: 'button',
        class: 'secondary small',
        onclick: async () => {
          try {
            await download(c.caseId, doc);
            announce(t('documents.downloaded', { kind: valueLabel(doc.kind) }));
          } catch (error) {
            status.replaceChildren(await problemView(error));
          }
        },
      },
      t('documents.download', { kind: valueLabel(doc.kind) }),
    );
  body.append(
    items.length
      ? table(items, [
          ['kind', t('incidents.kind'), valueLabel],
          ['mediaType', t('documents.type')],
          ['size', t('documents.size'), (v) => sizeText(v)],
          ['requestId', t('documents.sharedWith'), (v) => text(v)],
          ['uploadedAt', t('documents.uploaded')],
          ['uploadedBy', t('case.by')],
          ['documentId', t('documents.downloadColumn'), downloadButton],
        ])
      : h('p', { class: 'empty' }, t('documents.none')),
    status,
  );
  if (canUpload) body.append(uploadForm(c, reload));
  return sectionEl;
}

function uploadForm(c, reload) {
  const picker = fileAndKind({ kinds: KINDS, required: true });
  const requests = Array.from({ length: c.readmissionRequest ? Number(c.readmissionRequest.requestId.slice(1)) : 0 })
    .map((_, i) => `q${i + 1}`)
    .reverse();
  const shareId = uid('share');
  const share = h(
    'select',
    { id: shareId },
    h('option', { value: '' }, t('documents.notShared')),
    requests.map((q) => h('option', { value: q }, t('documents.sharedWithRequest', { requestId: q }))),
  );
  const result = h('div', { class: 'result', 'aria-live': 'polite', tabindex: '-1' });
  const button = h('button', { type: 'submit' }, t('documents.uploadButton'));
  const form = h(
    'form',
    { class: 'schema-form', novalidate: true, 'aria-label': t('documents.uploadTitle') },
    h('h3', {}, t('documents.uploadTitle')),
    picker.el,
    h('div', { class: 'field' }, h('label', { for: shareId }, t('documents.sharing')), share),
    h('div', { class: 'buttons' }, button),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    result.replaceChildren();
    const value = picker.read();
    if (typeof value === 'string') {
      picker.fail(value);
      result.replaceChildren(notice('error', value));
      return;
    }
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const { document: doc } = await uploadDocument(c.caseId, value.file, value.kind, share.value || undefined);
      const message = t('documents.uploadedMessage', { kind: valueLabel(doc.kind) });
      announce(message);
      await reload(message);
    } catch (error) {
      result.replaceChildren(await problemView(error));
      result.focus();
    } finally {
      button.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
  return form;
}
