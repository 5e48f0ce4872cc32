// Create a pipeline from a template handler.
import { api } from '../api.js';
import { h, showError } from '../dom.js';
import { confirmAction } from './confirm.js';
import { createEditor } from './editor.js';
import { TEMPLATES } from './templates.js';

export function mount(root, params) {
  const error = h('div', { class: 'message-slot' });
  const name = h('input', { id: 'pipeline-name', name: 'name', required: true, maxlength: 200, autocomplete: 'off' });
  const space = h('select', { id: 'pipeline-space', name: 'space', required: true });
  const template = h('select', { id: 'pipeline-template', name: 'template', onchange: useTemplate },
    TEMPLATES.map((t) => h('option', { value: t.id }, t.name)));
  const editor = createEditor({ id: 'pipeline-code', label: 'Handler (Python)', value: TEMPLATES[0].source });
  const requirements = h('textarea', { id: 'pipeline-requirements', rows: 3, spellcheck: 'false',
    placeholder: 'one package per line, e.g. requests==2.32.3' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create pipeline');
  let edited = false;
  editor.onInput(() => { edited = true; });

  root.append(h('form', { class: 'stack', onsubmit: create },
    h('div', { class: 'page-head' }, h('h1', {}, 'New pipeline')),
    h('div', { class: 'grid-2' },
      h('div', {}, h('label', { for: 'pipeline-name' }, 'Name'), name),
      h('div', {}, h('label', { for: 'pipeline-space' }, 'Space'), space)),
    h('div', {}, h('label', { for: 'pipeline-template' }, 'Template'), template),
    editor.element,
    h('div', {}, h('label', { for: 'pipeline-requirements' }, 'requirements.txt (optional)'), requirements),
    error,
    h('div', { class: 'actions' }, submit, h('a', { class: 'button', href: '#/pipelines' }, 'Cancel'))));

  api.get('/spaces').then(({ spaces }) => {
    if (spaces.length === 0) {
      showError(error, 'Create a space first: every pipeline lives in a space.');
      submit.disabled = true;
    }
    for (const s of spaces) space.append(h('option', { value: s.id, selected: s.id === params.space }, s.name));
  }).catch((e) => showError(error, e));

  async function useTemplate() {
    if (edited && !await confirmAction({ title: 'Replace your edits?',
      message: 'The handler you edited is replaced by the template.', confirmLabel: 'Use template' })) return;
    editor.value = TEMPLATES.find((t) => t.id === template.value).source;
    edited = false;
  }

  async function create(event) {
    event.preventDefault();
    showError(error, null);
    submit.disabled = true;
    try {
      const created = await api.post('/pipelines', {
        name: name.value.trim(),
        space_id: space.value,
        transformation_function: editor.value,
        requirements_txt: requirements.value,
      });
      location.hash = '#/pipelines/' + encodeURIComponent(created.id);
    } catch (e) {
      showError(error, e);
      submit.disabled = false;
    }
  }

  return { unmount() {} };
}
