// One pipeline: header with pause/resume/delete, live status, chart and history (every 2 s), and tabs.
import { api, pipelinePath } from '../api.js';
import { announce, errorBox, h, poll, replace, showError } from '../dom.js';
import { stateBadge } from './badges.js';
import { createChart } from './charts.js';
import { confirmAction } from './confirm.js';
import { createStatusPanel } from './status-panel.js';
import { createHistoryPanel } from './history-panel.js';
import * as code from './code.js';
import * as versions from './versions.js';
import * as logs from './logs.js';
import * as deadLetters from './dead-letters.js';
import * as tokens from './tokens.js';

const STATUS_MS = 2000;
const TABS = [
  ['code', 'Code', code],
  ['versions', 'Versions', versions],
  ['logs', 'Logs', logs],
  ['dead-letters', 'Dead letters', deadLetters],
  ['tokens', 'Access tokens', tokens],
];

export function mount(root, params) {
  const id = params.id;
  const heading = h('h1', {}, 'Pipeline');
  const badge = h('span', {});
  const spaceLink = h('a', { href: '#/spaces' });
  const toggle = h('button', { type: 'button', id: 'pipeline-toggle', onclick: toggleState, disabled: true }, 'Pause');
  const remove = h('button', { type: 'button', class: 'danger', id: 'pipeline-delete', onclick: deletePipeline },
    'Delete pipeline');
  const error = h('div', { class: 'message-slot' });
  const statusPanel = createStatusPanel();
  const historyPanel = createHistoryPanel(id);
  const chart = createChart({ title: 'Throughput', series: ['Backlog', 'Results waiting', 'Dead letters'] });
  const tabNav = h('nav', { class: 'tabs', 'aria-label': 'Pipeline sections' });
  const tabPanel = h('section', { class: 'tab-panel', id: 'tab-panel' });
  const statusListeners = new Set();
  let pipeline = null;
  let tab = null; // { name, instance }

  root.append(
    h('div', { class: 'page-head' },
      h('div', {}, h('p', { class: 'breadcrumb' }, h('a', { href: '#/pipelines' }, 'Pipelines'), ' / ', spaceLink),
        h('div', { class: 'title-row' }, heading, badge)),
      h('div', { class: 'actions' }, toggle, remove)),
    error,
    h('div', { class: 'overview' }, statusPanel.element, chart.element),
    historyPanel.element,
    tabNav, tabPanel);

  /** What the tabs get: the pipeline, a way to reload it, and the status stream. */
  const context = {
    id,
    get pipeline() { return pipeline; },
    reload: loadPipeline,
    onStatus(fn) { statusListeners.add(fn); return () => statusListeners.delete(fn); },
  };

  async function loadPipeline() {
    try {
      pipeline = await api.get(pipelinePath(id));
      heading.textContent = pipeline.name;
      document.title = pipeline.name + ' · Riffle';
      replace(badge, stateBadge(pipeline.state));
      spaceLink.textContent = pipeline.space_name ?? 'space';
      spaceLink.href = '#/pipelines?space=' + encodeURIComponent(pipeline.space_id);
      toggle.textContent = pipeline.state === 'paused' ? 'Resume' : 'Pause';
      toggle.disabled = false;
      return pipeline;
    } catch (e) {
      showError(error, e.status === 404 ? 'This pipeline does not exist (any more).' : e);
      throw e;
    }
  }

  async function refreshStatus() {
    await Promise.all([refreshLiveStatus(), historyPanel.refresh()]);
  }

  async function refreshLiveStatus() {
    try {
      const status = await api.get(pipelinePath(id, '/status'));
      statusPanel.show(status);
      chart.add(Date.now(), [status.backlog, status.output_waiting, status.failed_waiting]);
      statusListeners.forEach((fn) => fn(status));
      if (pipeline && status.state !== pipeline.state) loadPipeline().catch(() => {});
    } catch (e) {
      statusPanel.show(null, e);
    }
  }

  async function toggleState() {
    const next = pipeline.state === 'paused' ? 'running' : 'paused';
    if (next === 'paused' && !await confirmAction({
      title: `Pause “${pipeline.name}”?`,
      message: 'Its workers stop. Events published meanwhile are kept and processed when you resume.',
      confirmLabel: 'Pause pipeline',
    })) return;
    toggle.disabled = true;
    showError(error, null);
    try {
      await api.patch(pipelinePath(id), { state: next });
      await loadPipeline();
      announce(next === 'paused' ? 'Pipeline paused' : 'Pipeline resumed');
    } catch (e) {
      showError(error, e);
      toggle.disabled = false;
    }
  }

  async function deletePipeline() {
    if (!await confirmAction({
      title: `Delete “${pipeline?.name ?? id}”?`,
      message: 'The pipeline, its events, results, dead letters, logs and access tokens are deleted. This cannot be undone.',
      confirmLabel: 'Delete pipeline', danger: true,
    })) return;
    try {
      await api.del(pipelinePath(id));
      location.hash = pipeline ? '#/pipelines?space=' + encodeURIComponent(pipeline.space_id) : '#/pipelines';
    } catch (e) {
      showError(error, e);
    }
  }

  function showTab(name) {
    const found = TABS.find(([key]) => key === name) ?? TABS[0];
    if (tab?.name === found[0]) return;
    tab?.instance.unmount?.();
    replace(tabNav, TABS.map(([key, label]) => h('a', {
      href: `#/pipelines/${encodeURIComponent(id)}/${key}`, 'aria-current': key === found[0] ? 'page' : null,
    }, label)));
    tabPanel.replaceChildren();
    tabPanel.setAttribute('aria-label', found[1]);
    tab = { name: found[0], instance: found[2].mount(tabPanel, context) ?? {} };
  }

  const stopStatus = poll(refreshStatus, STATUS_MS);
  loadPipeline().then(() => showTab(params.tab)).catch((e) => replace(tabPanel, errorBox(e)));

  return {
    update(next) {
      if (next.id !== id) return false;
      if (pipeline) showTab(next.tab);
      const title = tabPanel.querySelector('h2');
      if (title) { title.tabIndex = -1; title.focus(); }
      return true;
    },
    unmount() {
      stopStatus();
      tab?.instance.unmount?.();
      document.title = 'Riffle';
    },
  };
}
