// Spaces: list, create, delete (a space that still holds pipelines cannot be deleted: 409).
import { api } from '../api.js';
import { announce, errorBox, formatTime, h, replace, showError } from '../dom.js';
import { confirmAction } from './confirm.js';

export function mount(root) {
  const list = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading spaces…'));
  const error = h('div', { class: 'message-slot' });
  const name = h('input', { id: 'space-name', name: 'name', required: true, maxlength: 200, autocomplete: 'off' });
  const form = h('form', { class: 'inline-form', onsubmit: create },
    h('label', { for: 'space-name' }, 'New space'),
    name,
    h('button', { type: 'submit', class: 'primary' }, 'Create space'));

  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Spaces'),
      h('p', { class: 'muted' }, 'A space groups pipelines; people get roles in a space.')),
    form, error, list);

  async function load() {
    try {
      const { spaces } = await api.get('/spaces');
      list.removeAttribute('aria-busy');
      replace(list, spaces.length === 0
        ? h('div', { class: 'empty' }, h('p', {}, 'No spaces yet.'), h('p', {}, 'Create one above to hold your pipelines.'))
        : table(spaces));
    } catch (e) {
      replace(list, errorBox(e));
    }
  }

  function table(spaces) {
    return h('table', { class: 'data', id: 'spaces-table' },
      h('caption', { class: 'visually-hidden' }, 'Your spaces'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Your role'),
        h('th', { scope: 'col' }, 'Created'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      h('tbody', {}, spaces.map((s) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: '#/pipelines?space=' + encodeURIComponent(s.id) }, s.name)),
        h('td', {}, s.permission ?? ''),
        h('td', {}, formatTime(s.created_at)),
        h('td', { class: 'row-actions' },
          h('a', { class: 'button', href: '#/pipelines/new?space=' + encodeURIComponent(s.id) }, 'New pipeline'),
          h('button', { type: 'button', class: 'danger', 'aria-label': `Delete space ${s.name}`, onclick: () => remove(s) },
            'Delete'))))));
  }

  async function create(event) {
    event.preventDefault();
    showError(error, null);
    try {
      const space = await api.post('/spaces', { name: name.value.trim() });
      name.value = '';
      announce(`Space ${space.name} created`);
      await load();
    } catch (e) {
      showError(error, e);
    }
  }

  async function remove(space) {
    const ok = await confirmAction({
      title: `Delete space “${space.name}”?`,
      message: 'The space is deleted for everyone. A space that still holds pipelines cannot be deleted.',
      confirmLabel: 'Delete space', danger: true,
    });
    if (!ok) return;
    showError(error, null);
    try {
      await api.del('/spaces/' + encodeURIComponent(space.id));
      announce(`Space ${space.name} deleted`);
      await load();
    } catch (e) {
      showError(error, e.status === 409 ? `Cannot delete “${space.name}”: ${e.message}` : e);
      error.querySelector('[role=alert]')?.focus?.();
    }
  }

  load();
  return { unmount() {} };
}
