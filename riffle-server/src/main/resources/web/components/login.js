// Sign in with a personal access token (identity providers come later).
import { api, session } from '../api.js';
import { h, showError } from '../dom.js';

export function mount(root, params) {
  const error = h('div', { class: 'message-slot' });
  const input = h('input', {
    id: 'login-token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false',
    required: true, 'aria-describedby': 'login-help',
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'card narrow', onsubmit: signIn },
    h('h1', {}, 'Sign in to Riffle'),
    params.expired ? h('p', { class: 'message warning', role: 'status' },
      'Your token was not accepted any more. Sign in again.') : null,
    h('label', { for: 'login-token' }, 'Personal access token'),
    input,
    h('div', { id: 'login-help', class: 'help' },
      h('p', {}, 'The first start of Riffle writes the admin\'s token to ', h('code', {}, '~/.riffle/admin.token'),
        ' (or ', h('code', {}, '$RIFFLE_DATA_DIR/admin.token'), ' when you set a data dir). Copy it with:'),
      h('pre', { class: 'command' }, 'cat ~/.riffle/admin.token'),
      h('p', {}, 'The token is kept only in this browser tab and is forgotten when you close it.')),
    error,
    submit);

  async function signIn(event) {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      showError(error, 'Paste your personal access token first.');
      input.focus();
      return;
    }
    submit.disabled = true;
    showError(error, null);
    session.signIn(token);
    try {
      await api.get('/spaces');
      location.hash = '#/pipelines';
    } catch (e) {
      session.signOut();
      showError(error, e.status === 401 ? 'That token was not accepted: check that you copied all of it.' : e);
      input.focus();
    } finally {
      submit.disabled = false;
    }
  }

  root.append(form);
  return { unmount() {} };
}
