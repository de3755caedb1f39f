// DOM helpers. Text always goes in through text nodes / textContent: crawled content can never become markup.

const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction']);

/** Only http(s) and same-origin relative links survive; javascript:, data: and the rest become null. */
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
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'attrs') {
      for (const [name, v] of Object.entries(value)) {
        if (v === undefined || v === null || v === false || /^on/i.test(name)) continue;
        if (URL_ATTRS.has(name.toLowerCase())) {
          const url = safeUrl(String(v));
          if (url) el.setAttribute(name, url);
        } else el.setAttribute(name, v === true ? '' : String(v));
      }
    } else if (key === 'href') {
      const url = safeUrl(String(value));
      if (url) el.setAttribute('href', url);
    } else el[key] = value;
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children. */
export function render(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A link to an external original: opens in a new tab without referrer or opener. */
export function externalLink(url, text) {
  const href = safeUrl(url);
  if (!href) return h('span', { class: 'muted', text: text ?? url ?? '' });
  return h('a', { href, attrs: { target: '_blank', rel: 'noopener noreferrer nofollow' }, text: text ?? href });
}

/** A <select> with [value, label] options. */
export function select(name, options, value, props = {}) {
  return h('select', { name, ...props }, options.map(([v, label]) => h('option', { value: v, text: label, selected: String(v) === String(value ?? '') })));
}

/** A labelled form field. */
export function field(label, control, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'field-label', text: label }), control, hint ? h('small', { class: 'hint', text: hint }) : null);
}

let toastTimer;
/** A short message at the bottom of the screen (role=status for screen readers). */
export function toast(message, kind = 'ok') {
  let el = document.getElementById('toast');
  if (!el) {
    el = h('div', { id: 'toast', attrs: { role: 'status', 'aria-live': 'polite' } });
    document.body.append(el);
  }
  el.className = `toast ${kind}`;
  el.textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.className = 'toast hidden'; }, kind === 'error' ? 6000 : 3000);
}

/** Reads a form's fields into an object of trimmed strings. */
export function formValues(form) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) if (typeof v === 'string') out[k] = v.trim();
  return out;
}
