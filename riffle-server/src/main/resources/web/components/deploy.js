// Deploy: upload the handler as a new function version, then follow its build until ready or failed.
import { api, pipelinePath } from '../api.js';
import { announce, h, replace } from '../dom.js';

const POLL_MS = 1000;

/** Returns { element, button, run({source, requirements, environments, envChanged}), stop() }. */
export function createDeploy(pipelineId, { onFinished }) {
  const button = h('button', { type: 'button', id: 'deploy', class: 'primary' }, 'Deploy');
  const progress = h('div', { id: 'deploy-status', 'aria-live': 'polite' });
  const element = h('div', { class: 'deploy' }, button, progress);
  let timer = null;

  async function run({ source, requirements, environments, envChanged }) {
    button.disabled = true;
    replace(progress, h('p', { class: 'muted' }, 'Uploading…'));
    try {
      const version = await upload({ source, requirements, environments, envChanged });
      replace(progress, h('p', {}, h('span', { class: 'badge fn-building' }, 'building…'), ` version ${version}`));
      follow(version);
    } catch (e) {
      replace(progress, h('p', { class: 'message error', role: 'alert' }, e.message));
      button.disabled = false;
    }
  }

  /**
   * Code and requirements go up as GlassFlow's multipart artifact. A changed environment goes with them in one
   * PATCH of the pipeline, so one deploy makes one version.
   */
  async function upload({ source, requirements, environments, envChanged }) {
    if (envChanged) {
      const detail = await api.patch(pipelinePath(pipelineId), {
        transformation_function: source, requirements_txt: requirements, environments,
      });
      return detail.function.latest_version;
    }
    const form = new FormData();
    form.append('file', new Blob([source], { type: 'text/x-python' }), 'handler.py');
    form.append('requirementsTxt', requirements);
    const answer = await api.upload(pipelinePath(pipelineId, '/functions/main/artifacts'), form);
    return answer.version;
  }

  function follow(version) {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        const v = await api.get(pipelinePath(pipelineId, `/functions/main/versions/${version}`));
        if (v.status === 'building') {
          follow(version);
          return;
        }
        const ready = v.status === 'ready';
        replace(progress,
          h('p', { class: 'message ' + (ready ? 'success' : 'error'), role: ready ? 'status' : 'alert' },
            ready ? `Version ${version} is ready and now runs.` : `Version ${version} failed to build; the previous version keeps running.`),
          h('details', { open: !ready }, h('summary', {}, 'Build log'), h('pre', { class: 'log-text', id: 'build-log' }, v.build_log ?? '')));
        announce(ready ? `Version ${version} deployed` : `Version ${version} failed to build`);
        button.disabled = false;
        onFinished?.(v);
      } catch (e) {
        replace(progress, h('p', { class: 'message error', role: 'alert' }, e.message));
        button.disabled = false;
      }
    }, POLL_MS);
  }

  return { element, button, run, stop: () => clearTimeout(timer) };
}
