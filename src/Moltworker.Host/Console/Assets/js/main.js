// The console's start: make sure the API lets us in (asking for a key once if it must), open the event socket,
// then show the page the address names (#/chat, #/tasks, #/tasks/{id}, #/schedules, #/approvals, #/health).

import { api, apiKey, ApiError } from './api.js';
import { Live } from './live.js';
import { ChatPage } from './chat.js';
import { TasksPage } from './tasks.js';
import { ApprovalsPage, watchApprovalCount } from './approvals.js';
import { HealthPage } from './health.js';
import { SchedulesPage } from './schedules.js';
import { h, fill } from './dom.js';

const view = document.getElementById('view');
const live = new Live();
let page = null;

/** Resolves once a request to the API succeeds, asking for a key while the host answers 401. */
async function authenticate() {
  for (;;) {
    try {
      await api('/api/tasks?limit=1');
      return;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      apiKey.clear();
      apiKey.set(await askForKey(error.message));
    }
  }
}

function askForKey(reason) {
  const dialog = document.getElementById('key-dialog');
  const form = document.getElementById('key-form');
  const input = document.getElementById('key-input');
  const message = document.getElementById('key-error');
  message.textContent = reason;
  message.hidden = !reason;
  input.value = '';
  dialog.showModal();
  return new Promise(resolve => {
    form.addEventListener('submit', e => {
      e.preventDefault();
      dialog.close();
      resolve(input.value.trim());
    }, { once: true });
  });
}

function route() {
  const [, segment = '', id] = location.hash.replace(/^#\/?/, '#/').split('/').map(decodeURIComponent);
  const name = segment || 'chat';
  for (const link of document.querySelectorAll('nav a')) link.classList.toggle('active', link.dataset.route === name);
  return { name, id };
}

async function show() {
  page?.close();
  const { name, id } = route();
  page = name === 'tasks' ? new TasksPage(view, live, id)
    : name === 'schedules' ? new SchedulesPage(view, live)
    : name === 'approvals' ? new ApprovalsPage(view, live)
    : name === 'health' ? new HealthPage(view)
    : new ChatPage(view, live);
  try {
    await page.open();
  } catch (error) {
    fill(view, h('section.card', {}, h('h2', {}, 'Could not load this page'), h('p.error', {}, error.message)));
  }
  document.body.dataset.page = name;
}

async function start() {
  const state = document.getElementById('connection');
  live.onState(s => { state.textContent = s; state.dataset.state = s; });
  const forget = document.getElementById('forget-key');
  forget.addEventListener('click', () => { apiKey.clear(); location.reload(); });
  try {
    await authenticate();
  } catch (error) {
    fill(view, h('section.card', {}, h('h2', {}, 'The host did not answer'), h('p.error', {}, error.message)));
    return;
  }
  forget.hidden = !apiKey.get();
  live.connect().catch(() => { /* shown as offline; it retries by itself */ });
  watchApprovalCount(live, document.getElementById('approval-count'));
  window.addEventListener('hashchange', show);
  await show();
  document.body.dataset.ready = 'true';
  performance.mark('console-ready');   // interactive: the first page is drawn and answers input (the console benchmark reads it)
}

start();
