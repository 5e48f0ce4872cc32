// The "Versions" tab: every function version with its build status; view one; activate a ready one (rollback).
import { api, pipelinePath } from '../api.js';
import { announce, errorBox, formatTime, h, replace, showError } from '../dom.js';
import { functionBadge } from './badges.js';
import { confirmAction } from './confirm.js';
import { highlight } from './python-highlight.js';

export function mount(root, context) {
  const error = h('div', { class: 'message-slot' });
  const list = h('div', {}, h('p', { class: 'muted' }, 'Loading versions…'));
  const detail = h('div', { id: 'version-detail' });
  root.append(h('h2', {}, 'Versions'),
    h('p', { class: 'help' }, 'Every deploy makes a numbered version. A version runs once it is built; '
      + 'activating an older ready version is a rollback.'),
    error, list, detail);

  async function load() {
    try {
      const { versions, active_version: active } = await api.get(pipelinePath(context.id, '/functions/main/versions'));
      versions.sort((a, b) => b.version - a.version);
      replace(list, h('table', { class: 'data', id: 'versions-table' },
        h('caption', { class: 'visually-hidden' }, 'Function versions, newest first'),
        h('thead', {}, h('tr', {}, ['Version', 'Build', 'Created', 'Requirements', ''].map((c) =>
          h('th', { scope: 'col' }, c || h('span', { class: 'visually-hidden' }, 'Actions'))))),
        h('tbody', {}, versions.map((v) => h('tr', { 'data-version': v.version },
          h('th', { scope: 'row' }, `v${v.version}`, v.version === active ? h('span', { class: 'badge active' }, 'running') : null),
          h('td', {}, functionBadge(v.status)),
          h('td', {}, formatTime(v.created_at)),
          h('td', { class: 'mono small' }, (v.requirements_txt || '').trim() || h('span', { class: 'muted' }, 'none')),
          h('td', { class: 'row-actions' },
            h('button', { type: 'button', onclick: () => show(v.version) }, `View v${v.version}`),
            v.status === 'ready' && v.version !== active
              ? h('button', { type: 'button', onclick: () => activate(v.version) }, `Activate v${v.version}`)
              : null))))));
    } catch (e) {
      replace(list, errorBox(e));
    }
  }

  async function show(version) {
    try {
      const v = await api.get(pipelinePath(context.id, `/functions/main/versions/${version}`));
      const code = h('code', {});
      code.innerHTML = highlight(v.transformation_function ?? '');
      const title = h('h3', { tabindex: '-1' }, `Version ${v.version}`);
      replace(detail, h('div', { class: 'card' }, title,
        h('h4', {}, 'Build log'), h('pre', { class: 'log-text' }, v.build_log || '(empty)'),
        h('h4', {}, 'Handler'), h('pre', { class: 'code-view' }, code),
        v.environments?.length
          ? [h('h4', {}, 'Environment'), h('pre', { class: 'log-text' }, v.environments.map((e) => `${e.name}=${e.value}`).join('\n'))]
          : null));
      title.focus();
    } catch (e) {
      replace(detail, errorBox(e));
    }
  }

  async function activate(version) {
    if (!await confirmAction({
      title: `Run version ${version} again?`,
      message: 'The workers switch to this version for the events that come next.',
      confirmLabel: `Activate v${version}`,
    })) return;
    showError(error, null);
    try {
      await api.post(pipelinePath(context.id, `/functions/main/versions/${version}/activate`));
      announce(`Version ${version} activated`);
      await load();
      context.reload();
    } catch (e) {
      showError(error, e);
    }
  }

  load();
  return { unmount() {} };
}
