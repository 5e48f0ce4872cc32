// The "Access tokens" tab: the pipeline's data-plane tokens (publish and consume); create, copy, revoke.
import { api, pipelinePath } from '../api.js';
import { announce, errorBox, formatTime, h, replace, showError } from '../dom.js';
import { confirmAction } from './confirm.js';

export function mount(root, context) {
  const error = h('div', { class: 'message-slot' });
  const list = h('div', {}, h('p', { class: 'muted' }, 'Loading tokens…'));
  const name = h('input', { id: 'token-name', required: true, maxlength: 200, autocomplete: 'off' });
  root.append(h('h2', {}, 'Access tokens'),
    h('p', { class: 'help' }, 'Programs publish events and consume results with a pipeline access token in the ',
      h('code', {}, 'X-PIPELINE-ACCESS-TOKEN'), ' header. A revoked token stops working within 5 seconds.'),
    h('form', { class: 'inline-form', onsubmit: create },
      h('label', { for: 'token-name' }, 'New token name'), name,
      h('button', { type: 'submit', class: 'primary' }, 'Create token')),
    error, list);

  async function load() {
    try {
      const { access_tokens: tokens } = await api.get(pipelinePath(context.id, '/access_tokens'));
      replace(list, tokens.length === 0
        ? h('p', { class: 'empty' }, 'No access tokens: nothing can publish to this pipeline. Create one above.')
        : h('table', { class: 'data', id: 'tokens-table' },
          h('caption', { class: 'visually-hidden' }, 'Access tokens'),
          h('thead', {}, h('tr', {}, ['Name', 'Token', 'Created', ''].map((c) =>
            h('th', { scope: 'col' }, c || h('span', { class: 'visually-hidden' }, 'Actions'))))),
          h('tbody', {}, tokens.map(row))));
    } catch (e) {
      replace(list, errorBox(e));
    }
  }

  function row(t) {
    const value = h('input', { class: 'mono token-value', readonly: true, value: t.token, type: 'password',
      'aria-label': `Token ${t.name}` });
    const show = h('button', { type: 'button', 'aria-pressed': 'false', onclick: () => {
      const visible = value.type === 'password';
      value.type = visible ? 'text' : 'password';
      show.setAttribute('aria-pressed', String(visible));
      show.textContent = visible ? 'Hide' : 'Show';
    } }, 'Show');
    return h('tr', {},
      h('th', { scope: 'row' }, t.name),
      h('td', { class: 'token-cell' }, value, show,
        h('button', { type: 'button', onclick: (e) => copy(t.token, e.currentTarget) }, 'Copy')),
      h('td', {}, formatTime(t.created_at)),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke token ${t.name}`, onclick: () => revoke(t) }, 'Revoke')));
  }

  async function copy(text, button) {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Without a secure context (plain http on another host) the clipboard API is missing.
      const scratch = h('textarea', { class: 'visually-hidden', value: text });
      document.body.append(scratch);
      scratch.select();
      document.execCommand('copy');
      scratch.remove();
      button.focus();
    }
    button.textContent = 'Copied';
    announce('Token copied to the clipboard');
    setTimeout(() => { button.textContent = 'Copy'; }, 2000);
  }

  async function create(event) {
    event.preventDefault();
    showError(error, null);
    try {
      await api.post(pipelinePath(context.id, '/access_tokens'), { name: name.value.trim() });
      name.value = '';
      announce('Token created');
      await load();
    } catch (e) {
      showError(error, e);
    }
  }

  async function revoke(t) {
    if (!await confirmAction({ title: `Revoke “${t.name}”?`,
      message: 'Programs using this token can no longer publish or consume. This cannot be undone.',
      confirmLabel: 'Revoke token', danger: true })) return;
    showError(error, null);
    try {
      await api.del(pipelinePath(context.id, '/access_tokens/' + encodeURIComponent(t.id)));
      announce('Token revoked');
      await load();
    } catch (e) {
      showError(error, e);
    }
  }

  load();
  return { unmount() {} };
}
