// The "Dead letters" tab: take failed events one at a time, read their error, replay or discard them.
import { api, pipelinePath } from '../api.js';
import { announce, formatTime, h, pretty, replace, showError } from '../dom.js';
import { confirmAction } from './confirm.js';

/**
 * Taking a dead letter removes it from the server's queue (GlassFlow's consume is a destructive read), so the
 * letters taken are kept in this tab's sessionStorage until they are replayed or discarded.
 */
export function mount(root, context) {
  const storageKey = 'riffle.dead-letters.' + context.id;
  const error = h('div', { class: 'message-slot' });
  const waiting = h('span', { id: 'dead-letters-waiting' }, '–');
  const take = h('button', { type: 'button', id: 'take-dead-letter', class: 'primary', onclick: takeNext, disabled: true },
    'Take the next dead letter');
  const list = h('div', { id: 'dead-letter-list', class: 'stack' });
  root.append(h('h2', {}, 'Dead letters'),
    h('p', { class: 'help' }, 'Events whose handler raised (or timed out, or crashed the worker) wait here with their error. ',
      'Taking one removes it from the queue; fix the code and deploy, then Replay publishes the event again.'),
    h('div', { class: 'toolbar' }, h('span', {}, 'Waiting on the server: ', h('strong', {}, waiting)), take),
    error, list);

  let token = null; // the pipeline's first access token, once read
  let letters = JSON.parse(sessionStorage.getItem(storageKey) ?? '[]');
  const save = () => sessionStorage.setItem(storageKey, JSON.stringify(letters));
  const stopStatus = context.onStatus((s) => { waiting.textContent = String(s.failed_waiting ?? '–'); });

  const tokenRead = api.get(pipelinePath(context.id, '/access_tokens')).then(({ access_tokens: tokens }) => {
    token = tokens[0]?.token ?? null;
    if (!token) showError(error, 'This pipeline has no access token: create one under Access tokens to read dead letters.');
    take.disabled = !token;
  }).catch((e) => showError(error, e));

  async function takeNext() {
    showError(error, null);
    take.disabled = true;
    try {
      const letter = await api.data(pipelinePath(context.id, '/topics/failed/events/consume'), token);
      if (!letter) {
        announce('No dead letters are waiting');
        showError(error, null);
        error.append(h('p', { class: 'message', role: 'status' }, 'No dead letters are waiting.'));
      } else {
        letters.unshift({ ...letter, taken_at: new Date().toISOString() });
        save();
        render();
        list.querySelector('h3')?.focus();
      }
    } catch (e) {
      showError(error, e);
    } finally {
      take.disabled = !token;
    }
  }

  async function replay(letter, button) {
    button.disabled = true;
    try {
      await tokenRead;
      // The same key for the same letter: a double click or a retry publishes it once.
      await api.data(pipelinePath(context.id, '/topics/input/events'), token, letter.payload,
        { 'Idempotency-Key': 'replay-' + letter.req_id });
      forget(letter);
      announce('Dead letter replayed');
      list.prepend(h('p', { class: 'message success', role: 'status' },
        `Replayed event ${letter.req_id}: it was published to the pipeline again.`));
    } catch (e) {
      button.disabled = false;
      showError(error, e);
    }
  }

  async function discard(letter) {
    if (!await confirmAction({ title: 'Discard this dead letter?',
      message: 'It was already taken from the server; discarding it here loses the event.',
      confirmLabel: 'Discard', danger: true })) return;
    forget(letter);
  }

  function forget(letter) {
    letters = letters.filter((l) => l.req_id !== letter.req_id);
    save();
    render();
  }

  function render() {
    replace(list, letters.length === 0
      ? h('p', { class: 'empty' }, 'No dead letter taken. Take the next one to see its payload, error and traceback.')
      : letters.map(card));
  }

  function card(letter) {
    const replayButton = h('button', { type: 'button', class: 'primary replay' }, 'Replay');
    replayButton.addEventListener('click', () => replay(letter, replayButton));
    return h('article', { class: 'card dead-letter', 'data-request': letter.req_id },
      h('h3', { tabindex: '-1' }, 'Event ', h('code', {}, letter.req_id)),
      h('p', { class: 'muted' }, `Received ${formatTime(letter.receive_time)}`,
        letter.attempts ? ` · ${letter.attempts} attempt${letter.attempts === 1 ? '' : 's'}` : ''),
      h('h4', {}, 'Error'), h('pre', { class: 'log-text error-text' }, letter.error_details ?? ''),
      h('h4', {}, 'Payload'), h('pre', { class: 'json' }, pretty(letter.payload)),
      letter.stack_trace ? h('details', {}, h('summary', {}, 'Traceback'), h('pre', { class: 'log-text' }, letter.stack_trace)) : null,
      h('div', { class: 'actions' }, replayButton,
        h('button', { type: 'button', onclick: () => discard(letter) }, 'Discard')));
  }

  render();
  return { unmount: stopStatus };
}
