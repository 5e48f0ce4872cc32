// The fetch wrapper: every call of the REST API goes through here.

const TOKEN_KEY = 'riffle.token';

/** The personal access token of this browser tab (sessionStorage: gone when the tab closes). */
export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** A failed call: `status` is the HTTP status (0 when the server did not answer), the message its detail. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
  }
}

/**
 * Calls `/v1{path}`. Options: `json` (a body sent as JSON), `body` (FormData or a string), `pipelineToken`
 * (sends X-PIPELINE-ACCESS-TOKEN instead of the personal token), `headers` (more request headers). Resolves to the parsed JSON, or null
 * for an empty answer (204); rejects with an ApiError carrying the server's problem `detail`.
 */
export async function request(method, path, { json, body, pipelineToken, headers: extra } = {}) {
  const headers = new Headers({ Accept: 'application/json', ...extra });
  if (pipelineToken !== undefined) {
    // The data plane: never send the personal token there, even when the pipeline token is not known yet.
    if (!pipelineToken) throw new ApiError(0, 'This pipeline has no access token to use.');
    headers.set('X-PIPELINE-ACCESS-TOKEN', pipelineToken);
  } else if (session.token()) {
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
    if (response.status === 401 && pipelineToken === undefined) {
      window.dispatchEvent(new CustomEvent('riffle:unauthorized'));
    }
    throw new ApiError(response.status, problemDetail(response, text));
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
