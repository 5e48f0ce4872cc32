// The history of a pipeline (GET /v1/pipelines/{id}/history): versions created, builds, scale events; newest first.
import { api, pipelinePath } from '../api.js';
import { formatTime, h, replace } from '../dom.js';

const LIMIT = 50;
const KINDS = {
  version_created: ['New version', ''],
  build_ready: ['Built', 'fn-ready'],
  build_failed: ['Build failed', 'fn-failed'],
  scaled: ['Scaled', 'fn-building'],
  audit: ['Change', ''],
};

export function createHistoryPanel(id) {
  const body = h('div', { class: 'history-body' }, h('p', { class: 'muted' }, 'Loading history…'));
  const element = h('section', { class: 'card history-panel', 'aria-labelledby': 'history-title', id: 'history-panel' },
    h('h2', { id: 'history-title' }, 'History'), body);
  let shown = null; // the JSON of what is shown: unchanged answers leave the list (and its scroll position) alone

  function item(event) {
    const [label, cls] = KINDS[event.kind] ?? [event.kind, ''];
    return h('li', { class: 'history-event', 'data-kind': event.kind },
      h('time', { datetime: event.at }, formatTime(event.at)),
      h('span', { class: 'badge ' + cls }, label),
      h('span', { class: 'history-message' }, event.message ?? ''));
  }

  /** Reads the history again; shows it when it changed, or the error that prevented reading it. */
  async function refresh() {
    let answer;
    try {
      answer = await api.get(pipelinePath(id, `/history?limit=${LIMIT}`));
    } catch (e) {
      shown = null;
      replace(body, h('p', { class: 'message error' }, 'History unavailable: ' + e.message));
      return;
    }
    const json = JSON.stringify(answer.events);
    if (json === shown) return;
    shown = json;
    replace(body, answer.events.length === 0
      ? h('p', { class: 'muted' }, 'Nothing has happened yet.')
      : h('ol', { class: 'history-list', id: 'history-list', tabindex: '0', 'aria-label': 'Pipeline history, newest first' },
        answer.events.map(item)));
  }

  return { element, refresh };
}
