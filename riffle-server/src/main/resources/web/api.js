// The fetch wrapper: every call of the REST API goes through here.

/**
 * The browser session: an HttpOnly cookie the server sets (this code never sees it) and, in memory only, the
 * signed-in user and the session's CSRF token, which every state-changing call sends as X-CSRF-Token.
 */
export const session = {
  user: null,
  csrf: null,
  signedIn: () => session.user !== null,
  /** Adopts a session answer of /auth/session. */
  set(answer) {
    session.user = answer?.user ?? null;
    session.csrf = answer?.csrf_token ?? null;
  },
  /** Asks the server whether this browser has a live session; resolves to true when it has. */
  async load() {
    try {
      session.set(await request('GET', '/auth/session', { anonymous: true }));
    } catch (e) {
      if (e.status !== 401) throw e;
      session.set(null);
    }
    return session.signedIn();
  },
  /** Ends the session on the server (its cookie is cleared) and forgets it here. */
  async signOut() {
    if (session.signedIn()) await request('DELETE', '/auth/session', { anonymous: true }).catch(() => {});
    session.set(null);
  },
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A failed call: `status` is the HTTP status (0 when the server did not answer), the message its detail;
 * `retryAfter` the seconds of a Retry-After header (429, 503), else null.
 */
export class ApiError extends Error {
  constructor(status, detail, retryAfter = null) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

/**
 * Calls `/v1{path}` with the session cookie. Options: `json` (a body sent as JSON), `body` (FormData or a string),
 * `pipelineToken` (sends X-PIPELINE-ACCESS-TOKEN and no cookie), `anonymous` (a 401 then does not end the session),
 * `headers` (more request headers). Resolves to the parsed JSON, or null
 * for an empty answer (204); rejects with an ApiError carrying the server's problem `detail`.
 */
export async function request(method, path, { json, body, pipelineToken, anonymous = false, headers: extra } = {}) {
  const headers = new Headers({ Accept: 'application/json', ...extra });
  if (pipelineToken !== undefined) {
    // The data plane: never send the personal token there, even when the pipeline token is not known yet.
    if (!pipelineToken) throw new ApiError(0, 'This pipeline has no access token to use.');
    headers.set('X-PIPELINE-ACCESS-TOKEN', pipelineToken);
  } else if (session.csrf && !SAFE_METHODS.has(method)) {
    headers.set('X-CSRF-Token', session.csrf);
  }
  if (json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(json);
  }
  let response;
  try {
    const credentials = pipelineToken !== undefined ? 'omit' : 'same-origin';
    response = await fetch('/v1' + path, { method, headers, body, cache: 'no-store', credentials });
  } catch (e) {
    throw new ApiError(0, 'The Riffle server did not answer (' + e.message + '). Is it running?');
  }
  const text = await response.text();
  if (!response.ok) {
    if (response.status === 401 && pipelineToken === undefined && !anonymous) {
      window.dispatchEvent(new CustomEvent('riffle:unauthorized'));
    }
    const retry = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    throw new ApiError(response.status, problemDetail(response, text), Number.isNaN(retry) ? null : retry);
  }
  return text ? JSON.parse(text) : null;
}

function problemDetail(response, text) {
  let detail = '';
  try {
    const problem = JSON.parse(text);
    detail = problem.detail ?? problem.msg ?? problem.title ?? '';
  } catch {
    detail = text.slice(0, 300);
  }
  detail = detail || response.statusText || 'the request failed';
  const retry = response.headers.get('Retry-After');
  if (response.status === 429 && retry) detail += ` (try again in ${retry} s)`;
  return `${detail} (HTTP ${response.status})`;
}

export const api = {
  /** How this server signs people in (password, OIDC). */
  authConfig: () => request('GET', '/auth/config', { anonymous: true }),
  /** Email and password for a session; the session's answer is adopted. */
  login: async (email, password) => {
    session.set(await request('POST', '/auth/session', { json: { email, password }, anonymous: true }));
  },
  /** A personal access token for a session (the token itself is not kept by the browser). */
  loginWithToken: async (token) => {
    session.set(await request('POST', '/auth/session', {
      anonymous: true, headers: { 'Personal-Access-Token': token },
    }));
  },
  get: (path) => request('GET', path),
  post: (path, json) => request('POST', path, { json }),
  patch: (path, json) => request('PATCH', path, { json }),
  del: (path) => request('DELETE', path),
  upload: (path, formData) => request('POST', path, { body: formData }),
  /** Data plane: publish and consume with a pipeline access token. */
  data: (path, pipelineToken, json, headers) => request('POST', path, { json, pipelineToken: pipelineToken ?? null, headers }),
};

/** `/pipelines/{id}` with the id escaped, plus `rest`. */
export function pipelinePath(id, rest = '') {
  return '/pipelines/' + encodeURIComponent(id) + rest;
}
