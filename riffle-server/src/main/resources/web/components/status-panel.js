// The live status of a pipeline: function status (with the build error), backlog, in flight, replicas, restarts.
import { formatNumber, h, replace } from '../dom.js';
import { functionBadge } from './badges.js';

export function createStatusPanel() {
  const body = h('div', { class: 'status-body' }, h('p', { class: 'muted' }, 'Loading status…'));
  const element = h('section', { class: 'card status-panel', 'aria-labelledby': 'status-title', id: 'status-panel' },
    h('h2', { id: 'status-title' }, 'Status'), body);

  function metric(label, value, field, alert = false) {
    return h('div', { class: 'metric' + (alert ? ' alert' : '') },
      h('dt', {}, label), h('dd', { 'data-field': field }, value));
  }

  /** Shows a status answer of GET /v1/pipelines/{id}/status, or the error that prevented reading it. */
  function show(status, error) {
    if (error) {
      replace(body, h('p', { class: 'message error' }, 'Status unavailable: ' + error.message));
      return;
    }
    const versions = status.active_version === status.latest_version
      ? `v${status.active_version}`
      : `v${status.active_version ?? '–'} running, v${status.latest_version} newest`;
    replace(body,
      h('dl', { class: 'metrics' },
        metric('Function', h('span', {}, functionBadge(status.function_status), h('span', { class: 'muted versions' }, versions)),
          'function_status'),
        metric('Events stored', formatNumber(status.input_stored), 'input_stored'),
        metric('Backlog', formatNumber(status.backlog), 'backlog'),
        metric('In flight', formatNumber(status.in_flight), 'in_flight'),
        metric('Results waiting', formatNumber(status.output_waiting), 'output_waiting'),
        metric('Dead letters', formatNumber(status.failed_waiting), 'failed_waiting', status.failed_waiting > 0),
        metric('Replicas', formatNumber(status.replicas), 'replicas'),
        metric('Worker restarts', formatNumber(status.worker_restarts), 'worker_restarts', status.worker_restarts > 0)),
      status.function_status === 'failed'
        ? h('div', { class: 'message error', id: 'build-error' },
          h('strong', {}, `Version ${status.latest_version} failed to build; `
            + (status.active_version ? `version ${status.active_version} keeps running.` : 'nothing runs yet.')),
          h('pre', { class: 'log-text' }, status.error ?? ''))
        : null,
      status.last_error
        ? h('div', { class: 'message warning' }, h('strong', {}, 'Last worker error: '), status.last_error)
        : null);
  }

  return { element, show };
}
