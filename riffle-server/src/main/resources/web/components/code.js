// The "Code" tab: handler editor, requirements and environment; test with a sample event; deploy.
import { api, pipelinePath } from '../api.js';
import { errorBox, h, replace } from '../dom.js';
import { createDeploy } from './deploy.js';
import { createEditor } from './editor.js';
import { createEnvVars } from './env-vars.js';
import { createTestRun } from './test-run.js';

export function mount(root, context) {
  const editor = createEditor({ id: 'code-editor', label: 'Handler (Python)', rows: 22 });
  const requirements = h('textarea', { id: 'code-requirements', rows: 3, spellcheck: 'false', class: 'mono',
    placeholder: 'one package per line, e.g. requests==2.32.3' });
  const env = createEnvVars();
  const dirtyNote = h('p', { class: 'help', id: 'dirty-note' });
  const testRun = createTestRun(context.id);
  const deploy = createDeploy(context.id, { onFinished: (v) => {
    latest = v.version;
    saved = snapshot();
    update();
    context.reload();
  } });
  let saved = null;
  let latest = null;

  const snapshot = () => ({ source: editor.value, requirements: requirements.value, env: JSON.stringify(env.value) });
  const isDirty = () => saved && (saved.source !== editor.value || saved.requirements !== requirements.value
    || saved.env !== JSON.stringify(env.value));

  function update() {
    const dirty = isDirty();
    deploy.button.disabled = !dirty;
    dirtyNote.textContent = dirty ? 'You have changes that are not deployed.' : `No changes since version ${latest ?? '–'}.`;
    testRun.setNote(dirty
      ? `The test runs the newest deployed version (${latest ?? '–'}), not your unsaved edits: deploy them first.`
      : `The test runs version ${latest ?? '–'}, once, and publishes nothing.`);
  }
  editor.onInput(update);
  requirements.addEventListener('input', update);
  env.onInput(update);

  deploy.button.addEventListener('click', () => {
    deploy.run({ source: editor.value, requirements: requirements.value, environments: env.value,
      envChanged: saved.env !== JSON.stringify(env.value) });
  });

  root.append(h('h2', { class: 'visually-hidden' }, 'Code'),
    h('div', { class: 'code-layout' },
      h('div', { class: 'stack' }, editor.element,
        h('div', {}, h('label', { for: 'code-requirements' }, 'requirements.txt'), requirements),
        env.element),
      h('div', { class: 'stack' },
        h('section', { class: 'card', 'aria-labelledby': 'deploy-title' },
          h('h2', { id: 'deploy-title' }, 'Deploy'), dirtyNote, deploy.element),
        testRun.element)));

  (async () => {
    try {
      const artifact = await api.get(pipelinePath(context.id, '/functions/main/artifacts/latest'));
      editor.value = artifact.transformation_function;
      requirements.value = artifact.requirements_txt ?? '';
      env.value = context.pipeline?.environments ?? [];
      latest = artifact.version;
      saved = snapshot();
      update();
    } catch (e) {
      replace(root, errorBox(e));
    }
  })();

  return { unmount: deploy.stop };
}
