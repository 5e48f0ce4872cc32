// The router: maps location.hash to a view component and mounts it into <main>.
import { session } from './api.js';
import { focusHeading } from './dom.js';
import * as login from './components/login.js';
import * as spaces from './components/spaces.js';
import * as pipelines from './components/pipelines.js';
import * as pipelineNew from './components/pipeline-new.js';
import * as pipelineDetail from './components/pipeline-detail.js';

// [pattern, view, names of the captured groups]; first match wins.
const ROUTES = [
  [/^\/login$/, login, []],
  [/^\/spaces$/, spaces, []],
  [/^\/pipelines$/, pipelines, []],
  [/^\/pipelines\/new$/, pipelineNew, []],
  [/^\/pipelines\/([^/]+)(?:\/([a-z-]+))?$/, pipelineDetail, ['id', 'tab']],
];

const main = document.getElementById('main');
let current = null; // { view, instance }

/** Parses '#/pipelines/abc/logs?space=x' into { path, params }. */
function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/pipelines';
  const [path, query = ''] = raw.split('?');
  const params = Object.fromEntries(new URLSearchParams(query));
  return { path, params };
}

function resolve(path) {
  for (const [pattern, view, names] of ROUTES) {
    const match = pattern.exec(path);
    if (match) {
      const params = {};
      names.forEach((name, i) => { if (match[i + 1] !== undefined) params[name] = decodeURIComponent(match[i + 1]); });
      return { view, params };
    }
  }
  return null;
}

function route() {
  const { path, params: query } = parseHash();
  if (!session.signedIn() && path !== '/login') {
    location.replace('#/login');
    return;
  }
  const found = resolve(path);
  if (!found) {
    location.replace('#/pipelines');
    return;
  }
  const params = { ...query, ...found.params };
  updateNav(path);
  // A view that can follow a change of its own parameters (a pipeline's tabs) keeps its state and timers.
  if (current && current.view === found.view && current.instance.update?.(params)) {
    return;
  }
  current?.instance.unmount?.();
  main.replaceChildren();
  current = { view: found.view, instance: found.view.mount(main, params) ?? {} };
  focusHeading(main);
}

function updateNav(path) {
  const signedIn = session.signedIn();
  document.getElementById('nav').hidden = !signedIn;
  for (const link of document.querySelectorAll('#nav a')) {
    const active = path.startsWith('/' + link.dataset.section);
    if (active) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
}

document.getElementById('sign-out').addEventListener('click', async () => {
  // Ends the session on the server: its cookie stops working everywhere, not only in this tab.
  await session.signOut();
  location.hash = '#/login';
});

window.addEventListener('riffle:unauthorized', () => {
  if (parseHash().path === '/login') return;
  session.set(null);
  location.hash = '#/login?expired=1';
});

window.addEventListener('hashchange', route);
session.load().catch(() => false).then(route);
