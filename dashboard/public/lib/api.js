// @ts-check
// The REST client. The CSRF token comes from /api/auth/me (or login) and goes along on every write.
import { toast, toastError } from './dom.js';

let csrfToken = '';

/**
 * The logged-in user as /api/auth/me (and login) answer: `can` holds the permission names of the server's ROLES.
 * @typedef {{ user: { id: number, username: string, displayName: string, role: string, roleLabel: string }, csrfToken: string,
 *   can: Record<string, boolean> }} Me
 */

/**
 * What app.js hands every page module's default export, next to the `<main>` element.
 * @typedef {{ me: Me }} PageContext
 */

/**
 * The token every write sends as x-csrf-token.
 * @param {string | null | undefined} token
 */
export function setCsrfToken(token) {
  csrfToken = token ?? '';
}

/** An API error with the server's message and code. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let loggedOut = false;

/**
 * Called when the user logs out: requests still in flight (a page's refresh) then answer 401, and must not send the
 * browser to the login page with `next` while the logout itself is navigating there.
 */
export function markLoggedOut() {
  loggedOut = true;
}

/**
 * Calls the API; JSON in and out (FormData for uploads). Redirects to login when the session ended.
 * The answer is the route's JSON as is (its shape is the OpenAPI document's, not checked here).
 * @param {'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} method
 * @param {string} path
 * @param {unknown} [body]
 * @param {{ redirectOn401?: boolean }} [options]
 * @returns {Promise<any>}
 */
export async function api(method, path, body, { redirectOn401 = true } = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  const data = res.headers.get('content-type')?.includes('application/json') ? await res.json() : null;
  if (!res.ok) {
    if (res.status === 401 && redirectOn401 && !loggedOut) {
      location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    }
    const err = data?.error ?? { message: `HTTP ${res.status}`, code: 'HTTP', status: res.status };
    throw new ApiError(err.status, err.code, err.message);
  }
  return data;
}

/**
 * Query string from an object, leaving out empty values.
 * @param {Record<string, unknown>} params
 */
export function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * A user's action: calls the API, toasts `message` when it worked or the server's error when not.
 * @param {'POST' | 'PUT' | 'PATCH' | 'DELETE'} method
 * @param {string} path
 * @param {unknown} body
 * @param {string} message
 * @returns {Promise<any>} the answer, or null when the call failed (already reported)
 */
export async function apiAction(method, path, body, message) {
  try {
    const res = await api(method, path, body ?? {});
    toast(message);
    return res ?? true;
  } catch (e) {
    toastError(e);
    return null;
  }
}
