// The fetch wrapper: every call of the REST API goes through here.

const TOKEN_KEY = 'riffle.token';
const LOGIN_TOKEN_ID_KEY = 'riffle.loginTokenId';

/**
 * The personal access token of this browser tab (sessionStorage: gone when the tab closes). A token issued by a
 * password login also keeps its id, so that signing out can revoke it.
 */
export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  /** The id of the token when this tab got it from a password login, else null. */
  loginTokenId: () => sessionStorage.getItem(LOGIN_TOKEN_ID_KEY),
  signIn(token, loginTokenId = null) {
    sessionStorage.setItem(TOKEN_KEY, token);
    if (loginTokenId) sessionStorage.setItem(LOGIN_TOKEN_ID_KEY, loginTokenId);
    else sessionStorage.removeItem(LOGIN_TOKEN_ID_KEY);
  },
  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(LOGIN_TOKEN_ID_KEY);
  },
};

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
 * Calls `/v1{path}`. Options: `json` (a body sent as JSON), `body` (FormData or a string), `pipelineToken`
 * (sends X-PIPELINE-ACCESS-TOKEN instead of the personal token), `anonymous` (sends no token; a 401 then does not
 * end the session), `headers` (more request headers). Resolves to the parsed JSON, or null
 * for an empty answer (204); rejects with an ApiError carrying the server's problem `detail`.
 */
export async function request(method, path, { json, body, pipelineToken, anonymous = false, headers: extra } = {}) {
  const headers = new Headers({ Accept: 'application/json', ...extra });
  if (pipelineToken !== undefined) {
    // The data plane: never send the personal token there, even when the pipeline token is not known yet.
    if (!pipelineToken) throw new ApiError(0, 'This pipeline has no access token to use.');
    headers.set('X-PIPELINE-ACCESS-TOKEN', pipelineToken);
  } else if (session.token() && !anonymous) {
    headers.set('Personal-Access-Token', session.token());
  }
  if (json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch('/v1' + path, { method, headers, body, cache: 'no-store' });
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
  /** Email and password for a personal access token; sends no token of its own. */
  login: (email, password) => request('POST', '/auth/login', { json: { email, password }, anonymous: true }),
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
