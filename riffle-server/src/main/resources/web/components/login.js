// Sign in for a session cookie: single sign-on through the OIDC provider when the server has one, else email and
// password; or a pasted personal access token (traded for a session, not kept by the browser).
import { api } from '../api.js';
import { announce, h, showError } from '../dom.js';

export function mount(root, params) {
  const error = h('div', { class: 'message-slot' });
  const email = h('input', {
    id: 'login-email', name: 'email', type: 'email', autocomplete: 'username', spellcheck: 'false',
    required: true,
  });
  const password = h('input', {
    id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true,
    'aria-describedby': 'login-password-help',
  });
  const token = h('input', {
    id: 'login-token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false',
    required: true, 'aria-describedby': 'login-help',
  });
  // A hidden fieldset is also disabled, so its required fields neither block nor join the submission.
  const passwordFields = h('fieldset', { class: 'plain', id: 'login-password-fields' },
    h('legend', { class: 'visually-hidden' }, 'Email and password'),
    h('label', { for: 'login-email' }, 'Email'),
    email,
    h('label', { for: 'login-password' }, 'Password'),
    password,
    h('p', { id: 'login-password-help', class: 'help' },
      'Your administrator creates your account. Signing in opens a session in this browser; it ends when you ',
      'sign out, after a while without use, or at the latest a day later.'));
  const tokenFields = h('fieldset', { class: 'plain', id: 'login-token-fields' },
    h('legend', { class: 'visually-hidden' }, 'Personal access token'),
    h('label', { for: 'login-token' }, 'Personal access token'),
    token,
    h('div', { id: 'login-help', class: 'help' },
      h('p', {}, 'The first start of Riffle writes the admin\'s token to ', h('code', {}, '~/.riffle/admin.token'),
        ' (or ', h('code', {}, '$RIFFLE_DATA_DIR/admin.token'), ' when you set a data dir). Copy it with:'),
      h('pre', { class: 'command' }, 'cat ~/.riffle/admin.token'),
      h('p', {}, 'The token opens a session; this browser does not keep the token itself.')));
  const submit = h('button', { type: 'submit', class: 'primary', id: 'login-submit' }, 'Sign in');
  const switcher = h('button', {
    type: 'button', class: 'link-button', id: 'login-switch', 'aria-controls': 'login-password-fields login-token-fields',
    onclick: () => { setMethod(method === 'password' ? 'token' : 'password'); firstField().focus(); },
  });
  // Shown instead of the password form when the server signs people in through its OIDC provider.
  const sso = h('div', { class: 'plain', id: 'login-sso', hidden: true },
    h('a', { class: 'button primary', id: 'login-oidc', href: '/v1/auth/oidc/login' }, 'Sign in with single sign-on'),
    h('p', { class: 'help' }, 'You sign in at your organisation\'s identity provider and come back here.'));
  const form = h('form', { class: 'card narrow', id: 'login-form', onsubmit: signIn },
    h('h1', {}, 'Sign in to Riffle'),
    params.expired ? h('p', { class: 'message warning', role: 'status' },
      'Your session has ended (signed out, unused for too long, or expired). Sign in again.') : null,
    params.error ? h('p', { class: 'message error', role: 'alert', id: 'login-sso-error' },
      'Single sign-on failed: ' + params.error) : null,
    sso,
    passwordFields,
    tokenFields,
    error,
    h('div', { class: 'actions login-actions' }, submit, switcher));

  let method = params.method === 'token' ? 'token' : 'password';
  let oidcLogin = null; // the provider's sign-in URL when the server has one
  setMethod(method);
  api.authConfig().then((config) => {
    oidcLogin = config?.oidc?.web_login ?? null;
    setMethod(method);
  }).catch(() => {});

  function setMethod(next) {
    method = next;
    const byPassword = method === 'password';
    sso.hidden = !(byPassword && oidcLogin);
    passwordFields.hidden = !byPassword || Boolean(oidcLogin);
    passwordFields.disabled = passwordFields.hidden;
    tokenFields.hidden = byPassword;
    tokenFields.disabled = byPassword;
    submit.hidden = byPassword && Boolean(oidcLogin);
    const other = oidcLogin ? 'Use single sign-on instead' : 'Use email and password instead';
    switcher.textContent = byPassword ? 'Use an access token instead' : other;
    showError(error, null);
  }

  function firstField() {
    return method === 'password' ? (email.value ? password : email) : token;
  }

  async function signIn(event) {
    event.preventDefault();
    showError(error, null);
    submit.disabled = true;
    try {
      if (method === 'password') await signInWithPassword(); else await signInWithToken();
    } finally {
      submit.disabled = false;
    }
  }

  async function signInWithPassword() {
    if (!email.value.trim() || !password.value) {
      fail(email.value.trim() ? password : email, 'Enter your email and password.');
      return;
    }
    try {
      await api.login(email.value.trim(), password.value);
    } catch (e) {
      if (e.status === 401) {
        password.value = '';
        fail(password, 'Wrong email or password. Check both and try again.');
      } else if (e.status === 429) {
        fail(password, lockedMessage(e.retryAfter));
      } else {
        fail(password, e);
      }
      return;
    }
    announce('Signed in');
    location.hash = '#/pipelines';
  }

  async function signInWithToken() {
    const value = token.value.trim();
    if (!value) {
      fail(token, 'Paste your personal access token first.');
      return;
    }
    try {
      await api.loginWithToken(value);
      token.value = '';
      announce('Signed in');
      location.hash = '#/pipelines';
    } catch (e) {
      fail(token, e.status === 401 ? 'That token was not accepted: check that you copied all of it.' : e);
    }
  }

  function fail(field, message) {
    showError(error, message);
    field.setAttribute('aria-invalid', 'true');
    field.addEventListener('input', () => field.removeAttribute('aria-invalid'), { once: true });
    field.focus();
  }

  root.append(form);
  return { unmount() {} };
}

/** "Too many failed sign-ins ...: try again in 14 minutes (at 10:42)." from a Retry-After in seconds. */
export function lockedMessage(retryAfter) {
  const base = 'Too many failed sign-ins for this email';
  if (retryAfter == null) return base + '. Wait a while, then try again.';
  const at = new Date(Date.now() + retryAfter * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const wait = retryAfter < 60 ? `${retryAfter} second${retryAfter === 1 ? '' : 's'}`
    : `${Math.ceil(retryAfter / 60)} minute${Math.ceil(retryAfter / 60) === 1 ? '' : 's'}`;
  return `${base}: try again in ${wait} (at ${at}).`;
}
