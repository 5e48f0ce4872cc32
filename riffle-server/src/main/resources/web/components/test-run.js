// "Test with a sample event": runs the newest function version once on an event; nothing is published.
import { api, pipelinePath } from '../api.js';
import { announce, formatClock, h, pretty, replace } from '../dom.js';

const SAMPLE = '{\n  "id": 1,\n  "amount": 150,\n  "items": ["apple", "pear"]\n}';

/** Returns { element, setNote(text) }; the note says which version a test runs. */
export function createTestRun(pipelineId) {
  const event = h('textarea', { id: 'test-event', rows: 6, spellcheck: 'false', class: 'mono', value: SAMPLE });
  const note = h('p', { class: 'help', id: 'test-note' });
  const button = h('button', { type: 'button', id: 'test-run', onclick: run }, 'Test with this event');
  const result = h('div', { id: 'test-result', 'aria-live': 'polite' });
  const element = h('section', { class: 'card', 'aria-labelledby': 'test-title' },
    h('h2', { id: 'test-title' }, 'Test with a sample event'),
    h('label', { for: 'test-event' }, 'Sample event (JSON object)'), event,
    note, button, result);

  async function run() {
    let parsed;
    try {
      parsed = JSON.parse(event.value);
    } catch (e) {
      replace(result, h('p', { class: 'message error', role: 'alert' }, 'The sample event is not valid JSON: ' + e.message));
      event.focus();
      return;
    }
    button.disabled = true;
    replace(result, h('p', { class: 'muted' }, 'Running…'));
    try {
      const answer = await api.post(pipelinePath(pipelineId, '/functions/main/test'), parsed);
      replace(result, render(answer));
      announce(`Test finished: ${answer.status}`);
    } catch (e) {
      replace(result, h('p', { class: 'message error', role: 'alert' }, e.message));
    } finally {
      button.disabled = false;
    }
  }

  return { element, setNote: (text) => { note.textContent = text; } };
}

function render(answer) {
  const ok = answer.status !== 'Failed';
  return h('div', { class: 'test-answer' },
    h('p', {}, h('span', { class: 'badge ' + (ok ? 'fn-ready' : 'fn-failed'), id: 'test-status' }, answer.status),
      h('span', { class: 'muted' }, ` version ${answer.version}`)),
    ok
      ? [h('h3', {}, answer.status === 'Filtered' ? 'No result: the handler returned None' : 'Result'),
        answer.status === 'Filtered' ? null : h('pre', { class: 'json', id: 'test-response' },
          pretty((answer.responses?.length ?? 0) > 1 ? answer.responses : answer.response))]
      : [h('h3', {}, 'Error'),
        h('pre', { class: 'log-text error-text', id: 'test-error' }, answer.error_details ?? ''),
        answer.stack_trace ? [h('h3', {}, 'Traceback'), h('pre', { class: 'log-text' }, answer.stack_trace)] : null],
    h('h3', {}, 'Logs it wrote'),
    answer.logs?.length
      ? h('ol', { class: 'log-lines', id: 'test-logs' }, answer.logs.map((l) => h('li', { class: 'level-' + (l.level ?? '').toLowerCase() },
        h('time', {}, formatClock(l.timestamp)), ' ', h('span', { class: 'level' }, l.level), ' ',
        l.payload?.message ?? pretty(l.payload))))
      : h('p', { class: 'muted' }, 'None.'));
}
