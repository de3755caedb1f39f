// The REST client. The CSRF token comes from /api/auth/me (or login) and goes along on every write.

let csrfToken = '';

export function setCsrfToken(token) {
  csrfToken = token ?? '';
}

/** An API error with the server's message and code. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls the API; JSON in and out (FormData for uploads). Redirects to login when the session ended. */
export async function api(method, path, body, { redirectOn401 = true } = {}) {
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
    if (res.status === 401 && redirectOn401) {
      location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    }
    const err = data?.error ?? { message: `HTTP ${res.status}`, code: 'HTTP', status: res.status };
    throw new ApiError(err.status, err.code, err.message);
  }
  return data;
}

/** Query string from an object, leaving out empty values. */
export function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
