// The "Logs" tab: the function's log entries, followed live (a page every second), filtered by level.
import { api, pipelinePath } from '../api.js';
import { formatClock, h, pretty } from '../dom.js';

const FOLLOW_MS = 1000;
const PAGE_SIZE = 200;
const MAX_LINES = 2000;
const LEVELS = [['100', 'Debug and above'], ['200', 'Info and above'], ['400', 'Warnings and errors'], ['500', 'Errors only']];

export function mount(root, context) {
  const level = h('select', { id: 'log-level', onchange: restart },
    LEVELS.map(([code, label]) => h('option', { value: code, selected: code === '100' }, label)));
  const follow = h('input', { type: 'checkbox', id: 'log-follow', checked: true, onchange: () => {
    if (follow.checked) schedule(0); else { clearTimeout(timer); setState('Paused.'); }
  } });
  const clear = h('button', { type: 'button', onclick: () => { lines.replaceChildren(); updateEmpty(); } }, 'Clear');
  const state = h('p', { class: 'help', id: 'log-state', 'aria-live': 'polite' });
  const empty = h('p', { class: 'empty', id: 'log-empty' }, 'No log lines yet. Lines appear here as the handler runs.');
  const lines = h('ol', { class: 'log-lines live', id: 'log-lines', tabindex: '0', 'aria-label': 'Function log lines' });
  root.append(h('h2', {}, 'Logs'),
    h('div', { class: 'toolbar' },
      h('label', { for: 'log-level' }, 'Level'), level,
      h('label', { class: 'check' }, follow, ' Follow live'),
      clear),
    state, empty, lines);

  let next = null;
  let timer = null;
  let generation = 0;

  // Only a change is written: the element is a live region, and a rewrite would be read out every second.
  function setState(text) {
    if (state.textContent !== text) state.textContent = text;
  }

  function updateEmpty() {
    empty.hidden = lines.children.length > 0;
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(fetchPage, ms);
  }

  function restart() {
    generation++;
    next = null;
    lines.replaceChildren();
    updateEmpty();
    schedule(0);
  }

  async function fetchPage() {
    const mine = generation;
    const query = new URLSearchParams({ page_size: String(PAGE_SIZE), severity_code: level.value });
    if (next) query.set('page_token', next);
    try {
      const page = await api.get(pipelinePath(context.id, '/functions/main/logs?' + query));
      if (mine !== generation) return;
      next = page.next || next;
      add(page.logs);
      setState(follow.checked ? 'Following: new lines appear every second.' : 'Paused.');
      // A full page means more is waiting: fetch it at once.
      if (follow.checked) schedule(page.logs.length >= PAGE_SIZE ? 0 : FOLLOW_MS);
    } catch (e) {
      if (mine !== generation) return;
      setState('Could not read logs: ' + e.message + ' Retrying…');
      if (follow.checked) schedule(FOLLOW_MS * 3);
    }
  }

  function add(entries) {
    if (!entries.length) return;
    const atBottom = lines.scrollTop + lines.clientHeight >= lines.scrollHeight - 4;
    for (const entry of entries) {
      const lvl = (entry.level ?? '').toLowerCase();
      lines.append(h('li', { class: 'level-' + lvl },
        h('time', { datetime: entry.timestamp }, formatClock(entry.timestamp)), ' ',
        h('span', { class: 'level' }, entry.level ?? ''), ' ',
        h('span', { class: 'text' }, entry.payload?.message ?? pretty(entry.payload))));
    }
    while (lines.children.length > MAX_LINES) lines.firstChild.remove();
    if (atBottom) lines.scrollTop = lines.scrollHeight;
    updateEmpty();
  }

  updateEmpty();
  schedule(0);
  return { unmount: () => { generation++; clearTimeout(timer); } };
}
