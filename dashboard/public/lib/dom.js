// @ts-check
// DOM helpers. Text always goes in through text nodes / textContent: crawled content can never become markup.

const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction']);

/**
 * A child for {@link h}: nodes, text (strings, numbers), nested lists; null, undefined and false are skipped.
 * @typedef {Node | string | number | null | undefined | false | readonly unknown[]} Child
 */

/**
 * Properties for {@link h}: the special keys below, plus any element property (value, checked, disabled…).
 * @typedef {{ class?: string | (string | false | null | undefined)[], text?: unknown, on?: Record<string, (event: any) => unknown>,
 *   dataset?: Record<string, string>, attrs?: Record<string, unknown>, href?: string | null, [property: string]: unknown }} Props
 */

/**
 * Only http(s) and same-origin relative links survive; javascript:, data: and the rest become null.
 * @param {unknown} value
 * @returns {string | null}
 */
export function safeUrl(value) {
  if (typeof value !== 'string' || value === '') return null;
  try {
    const u = new URL(value, location.origin);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * Creates an element. `props`: class, text, attrs (never on* handlers), on (event listeners), dataset, and
 * plain properties (value, checked, disabled, type, name…). Children: nodes, strings (as text), arrays, null.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props | null} [props]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'on')
      for (const [ev, fn] of Object.entries(/** @type {Record<string, EventListener>} */ (value)))
        el.addEventListener(ev, fn);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'attrs') {
      for (const [name, v] of Object.entries(/** @type {Record<string, unknown>} */ (value))) {
        if (v === undefined || v === null || v === false || /^on/i.test(name)) continue;
        if (URL_ATTRS.has(name.toLowerCase())) {
          const url = safeUrl(String(v));
          if (url) el.setAttribute(name, url);
        } else el.setAttribute(name, v === true ? '' : String(v));
      }
    } else if (key === 'href') {
      const url = safeUrl(String(value));
      if (url) el.setAttribute('href', url);
    } else /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (el))[key] = value;
  }
  append(el, children);
  return el;
}

/**
 * Appends children (see {@link Child}) as nodes; text never becomes markup.
 * @template {Element} E
 * @param {E} el
 * @param {readonly Child[]} children
 * @returns {E}
 */
export function append(el, children) {
  for (const child of /** @type {unknown[]} */ (children.flat(Infinity))) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * The element with this id; the server's page shell always has it.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el;
}

/**
 * Replaces an element's children.
 * @template {Element} E
 * @param {E} el
 * @param {...Child} children
 * @returns {E}
 */
export function render(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/**
 * A link to an external original: opens in a new tab without referrer or opener.
 * @param {string | null | undefined} url
 * @param {string} [text]
 */
export function externalLink(url, text) {
  const href = safeUrl(url);
  if (!href) return h('span', { class: 'muted', text: text ?? url ?? '' });
  return h('a', { href, attrs: { target: '_blank', rel: 'noopener noreferrer nofollow' }, text: text ?? href });
}

/**
 * A <select> with [value, label] options.
 * @param {string} name
 * @param {readonly (readonly [string | number, string])[]} options
 * @param {string | number | null | undefined} value
 * @param {Props} [props]
 */
export function select(name, options, value, props = {}) {
  return h(
    'select',
    { name, ...props },
    options.map(([v, label]) => h('option', { value: v, text: label, selected: String(v) === String(value ?? '') })),
  );
}

/**
 * A labelled form field.
 * @param {string} label
 * @param {Child} control
 * @param {string} [hint]
 */
export function field(label, control, hint) {
  return h(
    'label',
    { class: 'field' },
    h('span', { class: 'field-label', text: label }),
    control,
    hint ? h('small', { class: 'hint', text: hint }) : null,
  );
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let toastTimer;
/**
 * A short message at the bottom of the screen (role=status for screen readers).
 * @param {string} message
 * @param {'ok' | 'error'} [kind]
 */
export function toast(message, kind = 'ok') {
  let el = document.getElementById('toast');
  if (!el) {
    el = h('div', { id: 'toast', attrs: { role: 'status', 'aria-live': 'polite' } });
    document.body.append(el);
  }
  el.className = `toast ${kind}`;
  el.textContent = message;
  clearTimeout(toastTimer);
  const shown = el;
  toastTimer = setTimeout(
    () => {
      shown.className = 'toast hidden';
    },
    kind === 'error' ? 6000 : 3000,
  );
}

/**
 * Toasts what went wrong: an API error's message (the server's zh-CN text) or the thrown value.
 * @param {unknown} error
 */
export function toastError(error) {
  toast(error instanceof Error ? error.message : String(error), 'error');
}

/**
 * Reads a form's fields into an object of trimmed strings.
 * @param {HTMLFormElement} form
 * @returns {Record<string, string>}
 */
export function formValues(form) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [k, v] of new FormData(form).entries()) if (typeof v === 'string') out[k] = v.trim();
  return out;
}
