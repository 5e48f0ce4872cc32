// Small DOM helpers shared by the components: element creation, messages and formatting.

/**
 * Creates an element. Attributes starting with "on" add listeners; `value`, `checked`, `disabled` and
 * `hidden` are set as properties; children may be strings, nodes, arrays, null or false.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (['value', 'checked', 'disabled', 'hidden'].includes(name)) {
      el[name] = value;
    } else if (name === 'class') {
      el.className = value;
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces the content of `el` with `children`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** An error box (role=alert) for an exception or a message; empty when `error` is null. */
export function errorBox(error) {
  if (!error) return h('div', { class: 'message-slot' });
  const text = error instanceof Error ? error.message : String(error);
  return h('div', { class: 'message error', role: 'alert' }, text);
}

/** Shows `error` (or clears it) inside an existing slot element. */
export function showError(slot, error) {
  slot.replaceChildren();
  if (error) slot.append(errorBox(error));
}

/** Says `text` to screen readers through the page's polite live region. */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 50);
}

export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function formatClock(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso ?? '';
  return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

export function formatNumber(n) {
  return n == null ? '–' : Number(n).toLocaleString();
}

export function pretty(value) {
  return JSON.stringify(value, null, 2);
}

/** Moves focus to the page's main heading after a navigation, as a screen reader user expects. */
export function focusHeading(root) {
  const heading = root.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

/** Calls `fn` now and then every `ms` milliseconds, never overlapping; returns a stop function. */
export function poll(fn, ms) {
  let stopped = false;
  let timer;
  const tick = async () => {
    try {
      await fn();
    } finally {
      if (!stopped) timer = setTimeout(tick, ms);
    }
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}
