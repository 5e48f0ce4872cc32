// Small status badges shared by the pipeline list and the pipeline page.
import { h } from '../dom.js';

const FUNCTION_LABELS = { ready: 'ready', building: 'building…', failed: 'build failed' };

export function stateBadge(state) {
  return h('span', { class: 'badge state-' + state }, state ?? 'unknown');
}

export function functionBadge(status) {
  return h('span', { class: 'badge fn-' + status }, FUNCTION_LABELS[status] ?? status ?? 'unknown');
}
