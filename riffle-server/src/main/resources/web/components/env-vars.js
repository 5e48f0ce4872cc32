// An editable list of environment variables (name = value) for the function.
import { h } from '../dom.js';

/** Returns { element, value (get/set: [{name, value}]), onInput(fn) }. */
export function createEnvVars(initial = []) {
  const listeners = [];
  const rows = h('div', { class: 'env-rows' });
  const empty = h('p', { class: 'muted' }, 'None.');
  const add = h('button', { type: 'button', onclick: () => { addRow('', ''); rows.lastChild.querySelector('input').focus(); } },
    'Add variable');
  const element = h('fieldset', { class: 'env-vars' },
    h('legend', {}, 'Environment variables'),
    h('p', { class: 'help' }, 'The worker sees only these, plus PATH, LANG and HOME.'),
    rows, empty, add);
  let counter = 0;
  const changed = () => {
    empty.hidden = rows.children.length > 0;
    listeners.forEach((fn) => fn());
  };

  function addRow(name, value) {
    const n = ++counter;
    const nameInput = h('input', { id: `env-name-${n}`, value: name, class: 'env-name', spellcheck: 'false',
      pattern: '[A-Za-z_][A-Za-z0-9_]*', title: 'letters, digits and _; not starting with a digit', oninput: changed });
    const valueInput = h('input', { id: `env-value-${n}`, value, class: 'env-value', spellcheck: 'false', oninput: changed });
    const row = h('div', { class: 'env-row' },
      h('label', { for: nameInput.id, class: 'visually-hidden' }, `Name of variable ${n}`), nameInput,
      h('span', { 'aria-hidden': 'true' }, '='),
      h('label', { for: valueInput.id, class: 'visually-hidden' }, `Value of variable ${n}`), valueInput,
      h('button', { type: 'button', class: 'link-button', 'aria-label': `Remove variable ${n}`, onclick: () => {
        row.remove();
        changed();
        add.focus();
      } }, 'Remove'));
    rows.append(row);
    changed();
  }

  const set = (vars) => { rows.replaceChildren(); vars.forEach((v) => addRow(v.name, v.value)); };
  set(initial);
  empty.hidden = rows.children.length > 0;
  return {
    element,
    get value() {
      return [...rows.children].map((row) => ({
        name: row.querySelector('.env-name').value.trim(),
        value: row.querySelector('.env-value').value,
      })).filter((v) => v.name);
    },
    set value(vars) { set(vars); },
    onInput(fn) { listeners.push(fn); },
  };
}
