// The pipeline list: state, function status, backlog and waiting results at a glance, refreshed every 3 s.
import { api, pipelinePath } from '../api.js';
import { errorBox, formatNumber, h, poll, replace } from '../dom.js';
import { functionBadge, stateBadge } from './badges.js';

const REFRESH_MS = 3000;

export function mount(root, params) {
  const spaceFilter = params.space ?? '';
  const filter = h('select', { id: 'space-filter', onchange: () => {
    location.hash = filter.value ? '#/pipelines?space=' + encodeURIComponent(filter.value) : '#/pipelines';
  } }, h('option', { value: '' }, 'All spaces'));
  const newLink = h('a', { class: 'button primary', href: '#/pipelines/new' + (spaceFilter ? '?space=' + encodeURIComponent(spaceFilter) : '') },
    'New pipeline');
  const list = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading pipelines…'));
  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Pipelines'), newLink),
    h('div', { class: 'toolbar' }, h('label', { for: 'space-filter' }, 'Space'), filter),
    list);

  api.get('/spaces').then(({ spaces }) => {
    for (const s of spaces) filter.append(h('option', { value: s.id, selected: s.id === spaceFilter }, s.name));
  }).catch(() => {});

  let shown = '';
  async function load() {
    try {
      const query = spaceFilter ? '?space_id=' + encodeURIComponent(spaceFilter) : '';
      const { pipelines } = await api.get('/pipelines' + query);
      const statuses = await Promise.all(pipelines.map((p) =>
        api.get(pipelinePath(p.id, '/status')).catch((e) => ({ error: e.message }))));
      list.removeAttribute('aria-busy');
      const signature = JSON.stringify([pipelines, statuses]);
      if (signature === shown) return; // unchanged: keep the DOM (and the keyboard focus in it)
      shown = signature;
      replace(list, pipelines.length === 0 ? empty() : table(pipelines, statuses));
    } catch (e) {
      shown = '';
      replace(list, errorBox(e));
    }
  }

  function empty() {
    return h('div', { class: 'empty' },
      h('p', {}, spaceFilter ? 'This space holds no pipelines yet.' : 'No pipelines yet.'),
      h('p', {}, 'A pipeline runs your Python ', h('code', {}, 'handler(data, log)'), ' on every event. ',
        h('a', { href: newLink.getAttribute('href') }, 'Create one from a template'), '.'));
  }

  function table(pipelines, statuses) {
    return h('table', { class: 'data', id: 'pipelines-table' },
      h('caption', { class: 'visually-hidden' }, 'Pipelines with their live status'),
      h('thead', {}, h('tr', {}, ['Name', 'Space', 'State', 'Function', 'Backlog', 'In flight', 'Results waiting',
        'Dead letters'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, pipelines.map((p, i) => row(p, statuses[i]))));
  }

  function row(p, s) {
    return h('tr', { 'data-pipeline': p.id },
      h('th', { scope: 'row' }, h('a', { href: '#/pipelines/' + encodeURIComponent(p.id) }, p.name)),
      h('td', {}, p.space_name ?? ''),
      h('td', {}, stateBadge(p.state)),
      h('td', {}, s.error ? h('span', { class: 'muted' }, 'status unavailable') : functionBadge(s.function_status)),
      h('td', { class: 'num' }, formatNumber(s.backlog)),
      h('td', { class: 'num' }, formatNumber(s.in_flight)),
      h('td', { class: 'num', 'data-field': 'output_waiting' }, formatNumber(s.output_waiting)),
      h('td', { class: 'num' + (s.failed_waiting > 0 ? ' alert' : '') }, formatNumber(s.failed_waiting)));
  }

  const stop = poll(load, REFRESH_MS);
  return { unmount: stop };
}
