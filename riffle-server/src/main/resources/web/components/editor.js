// The code editor: a transparent <textarea> over a <pre> that shows the same text highlighted as Python.
import { h } from '../dom.js';
import { highlight } from './python-highlight.js';

const INDENT = '    ';

/**
 * Creates an editor. Tab indents and Shift+Tab dedents; press Escape first to move focus out with Tab.
 * Returns { element, textarea, value (get/set), onInput(fn) }.
 */
export function createEditor({ id, label, value = '', rows = 18 }) {
  const listeners = [];
  const code = h('code', {});
  const pre = h('pre', { class: 'editor-highlight', 'aria-hidden': 'true' }, code);
  const help = h('p', { id: id + '-help', class: 'help' },
    'Tab indents, Shift+Tab dedents. Press Esc, then Tab, to leave the editor.');
  const textarea = h('textarea', {
    id, rows, class: 'editor-input', spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off',
    wrap: 'off', 'aria-describedby': help.id,
  });
  textarea.value = value;
  let escaped = false;

  const render = () => {
    // A trailing newline needs content after it, or the <pre> is one line shorter than the textarea.
    code.innerHTML = highlight(textarea.value) + '\n ';
    sync();
  };
  const sync = () => {
    pre.scrollTop = textarea.scrollTop;
    pre.scrollLeft = textarea.scrollLeft;
  };
  const changed = () => {
    render();
    listeners.forEach((fn) => fn(textarea.value));
  };

  textarea.addEventListener('input', changed);
  textarea.addEventListener('scroll', sync);
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') { escaped = true; return; }
    if (event.key === 'Tab' && !escaped && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      if (event.shiftKey) dedent(textarea); else indent(textarea);
      changed();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      newline(textarea);
      changed();
    }
    escaped = false;
  });
  textarea.addEventListener('blur', () => { escaped = false; });

  render();
  const element = h('div', { class: 'editor-field' },
    h('label', { for: id }, label),
    h('div', { class: 'editor' }, pre, textarea),
    help);
  return {
    element,
    textarea,
    get value() { return textarea.value; },
    set value(text) { textarea.value = text; render(); },
    onInput(fn) { listeners.push(fn); },
  };
}

function replaceSelection(ta, text, selectStart, selectEnd) {
  ta.setRangeText(text, ta.selectionStart, ta.selectionEnd, 'end');
  if (selectStart !== undefined) ta.setSelectionRange(selectStart, selectEnd);
}

function lineStart(text, pos) {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function indent(ta) {
  const { selectionStart: start, selectionEnd: end, value } = ta;
  if (start === end || !value.slice(start, end).includes('\n')) {
    replaceSelection(ta, INDENT);
    return;
  }
  const from = lineStart(value, start);
  const block = value.slice(from, end).replace(/^/gm, INDENT);
  ta.setSelectionRange(from, end);
  replaceSelection(ta, block, from, from + block.length);
}

function dedent(ta) {
  const { selectionStart: start, selectionEnd: end, value } = ta;
  const from = lineStart(value, start);
  const block = value.slice(from, end).replace(/^ {1,4}/gm, '');
  ta.setSelectionRange(from, end);
  replaceSelection(ta, block, from, from + block.length);
}

/** Enter keeps the current line's indentation, and adds a level after a line ending with ':'. */
function newline(ta) {
  const { selectionStart: start, value } = ta;
  const line = value.slice(lineStart(value, start), start);
  let indentation = /^\s*/.exec(line)[0];
  if (/:\s*(#.*)?$/.test(line)) indentation += INDENT;
  replaceSelection(ta, '\n' + indentation);
}
