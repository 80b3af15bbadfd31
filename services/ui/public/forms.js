// Forms generated from the JSON schema of a request body (the OpenAPI document), and the
// display of Problem Details answers: 409 rules in plain words, 400 errors by their fields.
import { ruleTexts } from './api.js';
import { h, uid } from './dom.js';
import { fieldLabel, has, t, valueLabel } from './i18n.js';

const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
const isDate = (schema) => schema.type === 'string' && schema.pattern === DATE_PATTERN;
const isInstant = (schema) => schema.type === 'string' && schema.format === 'date-time';
const isMemberId = (schema) => schema.type === 'string' && String(schema.pattern ?? '').includes('principal');
const isStateCode = (schema) => schema.type === 'string' && schema.pattern === '^[A-Z]{2}$';

/** Fields whose values come from the case: a select instead of a text box. */
const PICKERS = {
  memberId: (ctx) => ctx.members,
  concernId: (ctx) => ctx.concerns,
  obstacleId: (ctx) => ctx.obstacles,
  claimId: (ctx) => ctx.claims,
  agreementId: (ctx) => ctx.agreements,
};

/** A field's hint, when the catalogue has one (`hint.<name>`). */
const hintOf = (name) => (has(`hint.${name}`) ? t(`hint.${name}`) : undefined);

/** A field's label: `field.<name>` from the catalogue (every schema property has one). */
const labelOf = (name) => fieldLabel(name);

/** The catalogue's words for one row of a list of objects (`row.<name>`), e.g. "Household member 1". */
const rowLabel = (name, kind, n) =>
  has(`row.${name}`) ? t(`row.${name}`, { kind, n }) : t('row.default', { kind, n, name: fieldLabel(name) });

const optional = (required) => (required ? null : h('span', { class: 'optional' }, ' ', t('form.optional')));

/** `2026-11-05T08:30` from a datetime-local input → `2026-11-05T08:30:00+01:00` (this browser's offset). */
export function toOffsetIso(local) {
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return local;
  const pad = (n) => String(Math.abs(Math.trunc(n))).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:00` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

function localOffsetText() {
  return toOffsetIso('2000-01-01T00:00').slice(-6);
}

/** The pieces every field has: a label, an optional hint, an error slot. */
function labelled(id, label, required, hint) {
  const hintId = hint ? uid('hint') : null;
  const errId = uid('err');
  return {
    hintId,
    errId,
    describedBy: [hintId, errId].filter(Boolean).join(' '),
    label: h('label', { for: id }, label, optional(required)),
    hint: hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    err: h('p', { class: 'field-error', id: errId, hidden: true }),
  };
}

function scalarField(name, schema, required, ctx) {
  const id = uid('f');
  const picks = PICKERS[name]?.(ctx) ?? (isMemberId(schema) ? ctx.members : undefined);

  if (schema.type === 'boolean') {
    const parts = labelled(id, labelOf(name), true, hintOf(name));
    const control = h('input', { type: 'checkbox', id, 'aria-describedby': parts.describedBy });
    const el = h('div', { class: 'field field-check' }, control, parts.label, parts.hint, parts.err);
    return { el, read: (path, reg) => (reg.set(path, { err: parts.err, control }), control.checked) };
  }

  let control;
  let hint = hintOf(name);
  let read = () => (control.value === '' ? undefined : control.value);
  if (schema.enum || (picks && picks.length > 0)) {
    const options = schema.enum ? schema.enum.map((v) => ({ value: v, label: valueLabel(v) })) : picks;
    control = h(
      'select',
      { id },
      h('option', { value: '' }, required ? t('form.choose') : t('form.none')),
      options.map((o) => h('option', { value: o.value }, o.label)),
    );
  } else if (schema.type === 'integer' || schema.type === 'number') {
    control = h('input', {
      id,
      type: 'number',
      inputmode: 'numeric',
      min: schema.minimum,
      max: schema.maximum,
      step: schema.type === 'integer' ? 1 : 'any',
    });
    if (schema.minimum !== undefined && schema.maximum !== undefined)
      hint ??= t('form.range', { min: schema.minimum, max: schema.maximum });
    read = () => (control.value === '' ? undefined : Number(control.value));
  } else if (isDate(schema)) {
    control = h('input', { id, type: 'date' });
  } else if (isInstant(schema)) {
    control = h('input', { id, type: 'datetime-local', step: 60 });
    hint ??= t('form.localTime', { offset: localOffsetText() });
    read = () => (control.value === '' ? undefined : toOffsetIso(control.value));
  } else if ((schema.maxLength ?? 0) > 500) {
    control = h('textarea', { id, rows: 3, maxlength: schema.maxLength });
  } else if (isStateCode(schema)) {
    control = h('input', { id, type: 'text', maxlength: 2, autocomplete: 'off', class: 'short' });
    hint ??= t('form.stateCode');
    read = () => (control.value.trim() === '' ? undefined : control.value.trim().toUpperCase());
  } else {
    control = h('input', { id, type: 'text', maxlength: schema.maxLength, autocomplete: 'off' });
  }
  const parts = labelled(id, labelOf(name), required, hint);
  control.setAttribute('aria-describedby', parts.describedBy);
  if (required) control.setAttribute('aria-required', 'true');
  const el = h('div', { class: 'field' }, parts.label, parts.hint, control, parts.err);
  return { el, read: (path, reg) => (reg.set(path, { err: parts.err, control }), read()) };
}

/** A list of choices (enum values, household members): one checkbox each. */
function checkboxGroup(name, options, required) {
  const parts = labelled(uid('g'), labelOf(name), required, hintOf(name));
  const boxes = options.map((o) => {
    const id = uid('c');
    return {
      value: o.value,
      el: h(
        'div',
        { class: 'check' },
        h('input', { type: 'checkbox', id, value: o.value }),
        h('label', { for: id }, o.label),
      ),
    };
  });
  const legend = h('legend', {}, labelOf(name), optional(required));
  const el = h(
    'fieldset',
    { class: 'field-group', 'aria-describedby': parts.describedBy },
    legend,
    parts.hint,
    h(
      'div',
      { class: 'checks' },
      boxes.map((b) => b.el),
    ),
    parts.err,
  );
  return {
    el,
    read(path, reg) {
      reg.set(path, { err: parts.err, control: boxes[0]?.el.querySelector('input') });
      const values = boxes.filter((b) => b.el.querySelector('input').checked).map((b) => b.value);
      return values.length === 0 && !required ? undefined : values;
    },
  };
}

/** A list of objects: rows the user adds and removes. */
function rowsField(name, schema, required, ctx) {
  const rows = [];
  const list = h('div', { class: 'rows' });
  const err = h('p', { class: 'field-error', id: uid('err'), hidden: true });
  const renumber = () =>
    rows.forEach((row, i) => {
      row.legend.textContent = rowLabel(name, 'legend', i + 1);
      row.remove.textContent = rowLabel(name, 'remove', i + 1);
    });
  const addButton = h('button', { type: 'button', class: 'secondary' }, rowLabel(name, 'add', 0));
  addButton.addEventListener('click', () => {
    const fields = objectFields(schema.items, ctx);
    const legend = h('legend');
    const remove = h('button', { type: 'button', class: 'secondary small' });
    const row = { fields, legend, remove, el: h('fieldset', { class: 'row' }, legend, fields.el, remove) };
    remove.addEventListener('click', () => {
      rows.splice(rows.indexOf(row), 1);
      row.el.remove();
      renumber();
      addButton.focus();
    });
    rows.push(row);
    list.append(row.el);
    renumber();
    row.el.querySelector('input, select, textarea')?.focus();
  });
  const legend = h('legend', {}, labelOf(name), optional(required));
  const el = h('fieldset', { class: 'field-group', 'aria-describedby': err.id }, legend, list, addButton, err);
  return {
    el,
    read(path, reg) {
      reg.set(path, { err, control: addButton });
      const values = rows.map((row, i) => row.fields.read(`${path}.${i}`, reg));
      return values.length === 0 && !required ? undefined : values;
    },
  };
}

function arrayField(name, schema, required, ctx) {
  const items = schema.items ?? {};
  if (items.type === 'object') return rowsField(name, schema, required, ctx);
  if (items.enum)
    return checkboxGroup(
      name,
      items.enum.map((v) => ({ value: v, label: valueLabel(v) })),
      required,
    );
  if (isMemberId(items) && ctx.members?.length) return checkboxGroup(name, ctx.members, required);
  // A list of short texts: one box, comma-separated.
  const text = scalarField(name, { type: 'string', maxLength: 500 }, required, ctx);
  return {
    el: text.el,
    read(path, reg) {
      const raw = text.read(path, reg);
      const values = (raw ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      return values.length === 0 && !required ? undefined : values;
    },
  };
}

const isEmpty = (value) =>
  Object.values(value).every((v) => v === undefined || v === false || (Array.isArray(v) && v.length === 0));

function objectField(name, schema, required, ctx) {
  const inner = objectFields(schema, ctx);
  const err = h('p', { class: 'field-error', id: uid('err'), hidden: true });
  const legend = h('legend', {}, labelOf(name), optional(required));
  const el = h('fieldset', { class: 'field-group', 'aria-describedby': err.id }, legend, inner.el, err);
  return {
    el,
    read(path, reg) {
      reg.set(path, { err, control: el.querySelector('input, select, textarea') });
      const value = inner.read(path, reg);
      return !required && isEmpty(value) ? undefined : value;
    },
  };
}

function field(name, schema, required, ctx) {
  if (schema.type === 'object') return objectField(name, schema, required, ctx);
  if (schema.type === 'array') return arrayField(name, schema, required, ctx);
  return scalarField(name, schema, required, ctx);
}

function objectFields(schema, ctx) {
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(([key, sub]) => [
    key,
    field(key, sub, required.has(key), ctx),
  ]);
  return {
    el: h(
      'div',
      { class: 'fields' },
      fields.map(([, f]) => f.el),
    ),
    read(path, reg) {
      const value = {};
      for (const [key, f] of fields) {
        const v = f.read(path ? `${path}.${key}` : key, reg);
        if (v !== undefined) value[key] = v;
      }
      return value;
    },
  };
}

/**
 * A form for a request body. `onSubmit(value)` answers a success message (or throws an
 * ApiError, shown in the form: field errors beside their fields). `ctx` holds the
 * case's members, concerns, obstacles, claims and agreements for the pickers.
 */
export function schemaForm(schema, ctx, { submitLabel, disabled = false, onSubmit, extra = null }) {
  const root = objectFields(schema ?? { type: 'object', properties: {} }, ctx);
  const button = h('button', { type: 'submit' }, submitLabel);
  const result = h('div', { class: 'result', 'aria-live': 'polite', tabindex: '-1' });
  const form = h(
    'form',
    { class: 'schema-form', novalidate: true },
    // `extra`: fields outside the JSON body (a document to upload with a readmission request).
    h('fieldset', { class: 'form-body', disabled }, root.el, extra, h('div', { class: 'buttons' }, button)),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (disabled) return;
    clearErrors(form);
    result.replaceChildren();
    const reg = new Map();
    const value = root.read('', reg);
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const message = await onSubmit(value);
      if (message && form.isConnected) result.replaceChildren(h('div', { class: 'notice notice-ok' }, message));
    } catch (error) {
      result.replaceChildren(await problemView(error, reg));
      result.focus();
    } finally {
      button.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
  return form;
}

function clearErrors(form) {
  for (const err of form.querySelectorAll('.field-error')) {
    err.hidden = true;
    err.textContent = '';
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}

/** The registered field for an error path: the exact one, else its nearest parent. */
function slotFor(reg, rawPath) {
  let path = String(rawPath ?? '')
    .replace(/^\//, '')
    .replaceAll('/', '.');
  while (path) {
    const slot = reg.get(path);
    if (slot) return slot;
    path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
  }
  return undefined;
}

/**
 * Schema messages (the server's, in English: they are zod's) in plainer words in the UI's
 * language; a message we do not know is shown as the server worded it.
 */
function plain(message) {
  const m = String(message ?? 'invalid');
  if (/received undefined/.test(m)) return t('error.required');
  if (/^Invalid option/.test(m)) return t('error.chooseOption');
  if (/expected a date/.test(m)) return t('error.enterDate');
  if (/Invalid ISO datetime|datetime/i.test(m)) return t('error.enterDateTime');
  if (/^unknown field$/.test(m)) return t('error.unknownField');
  if (/too big|too long|at most/i.test(m)) return t('error.tooLong');
  if (/too small|at least/i.test(m)) return t('error.tooShort');
  if (/^Invalid string|pattern|Invalid input/i.test(m)) return t('error.invalid');
  return m;
}

export const ruleItem = (rule, texts) => h('li', {}, texts[rule] ?? rule, ' ', h('code', { dir: 'ltr' }, rule));

/**
 * A Problem Details answer for people: the rules in plain words, the detail, the field
 * errors (also placed beside their fields when `reg` knows them) and the request id.
 */
export async function problemView(error, reg = new Map()) {
  const p = error?.problem ?? { title: t('problem.somethingWrong'), detail: String(error?.message ?? error) };
  const status = error?.status ?? p.status;
  const texts = await ruleTexts();
  const parts = [
    h(
      'p',
      { class: 'problem-title' },
      h('strong', {}, p.title ?? t('problem.refused')),
      status ? ` (HTTP ${status})` : '',
    ),
  ];
  if (p.rules?.length) {
    parts.push(h('p', {}, t('problem.rulesThatStop', { count: p.rules.length })));
    parts.push(
      h(
        'ul',
        { class: 'rules' },
        p.rules.map((r) => ruleItem(r, texts)),
      ),
    );
    if (status !== 409 && p.detail) parts.push(h('p', {}, p.detail));
  } else if (p.detail) {
    parts.push(h('p', {}, p.detail));
  }
  if (status === 404) parts.push(h('p', {}, t('problem.notFoundHint')));
  if (status === 412) parts.push(h('p', {}, t('problem.movedOnHint')));
  if (p.errors?.length) {
    const items = p.errors.map((error) => {
      const e = { path: error.path, message: plain(error.message) };
      const slot = slotFor(reg, e.path);
      const where = e.path
        ? fieldLabel(
            String(e.path)
              .split('.')
              .filter((s) => !/^\d+$/.test(s))
              .pop() ?? e.path,
          )
        : t('problem.request');
      if (slot) {
        slot.err.hidden = false;
        slot.err.textContent = slot.err.textContent ? `${slot.err.textContent} ${e.message}` : e.message;
        slot.control?.setAttribute('aria-invalid', 'true');
        if (slot.control?.id)
          return h(
            'li',
            {},
            h(
              'a',
              { href: `#${slot.control.id}`, 'data-focus': slot.control.id },
              t('common.labelled', { label: where, value: e.message }),
            ),
          );
      }
      return h('li', {}, t('common.labelled', { label: where, value: e.message }));
    });
    parts.push(h('ul', { class: 'errors', onclick: focusLinkedField }, items));
  }
  if (p.requestId && (status ?? 500) >= 500)
    parts.push(h('p', { class: 'hint' }, t('problem.requestId', { requestId: p.requestId })));
  return h('div', { class: 'notice notice-error', role: 'alert' }, parts);
}

/** Links in an error list move focus to their field (the hash is the router's). */
function focusLinkedField(event) {
  const id = event.target?.closest?.('a[data-focus]')?.dataset.focus;
  if (!id) return;
  event.preventDefault();
  document.getElementById(id)?.focus();
}
