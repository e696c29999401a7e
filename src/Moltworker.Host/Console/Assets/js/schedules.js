// Schedules (GET /api/schedules): each with its chat, timing, what runs, next run and whether it is paused, with
// Pause/Resume (POST /api/schedules/{id}/pause|resume) and Remove (DELETE /api/schedules/{id}). Reloaded when a
// schedule fires (schedule_fired), since its next run moves then.

import { api } from './api.js';
import { h, fill } from './dom.js';

export class SchedulesPage {
  #live;
  #rows = h('tbody');
  #message = h('p.muted');
  #error = h('p.error', { hidden: true });
  #stop = null;

  constructor(container, live) {
    this.#live = live;
    fill(container, h('section.card', {}, h('h2', {}, 'Schedules'), this.#message, this.#error,
      h('table.schedule-table', {},
        h('thead', {}, h('tr', {}, ['ID', 'Chat', 'When', 'What', 'Next run', 'State', ''].map(t => h('th', {}, t)))),
        this.#rows)));
  }

  async open() {
    this.#stop = this.#live.onEvent(e => { if (e.event === 'schedule_fired') this.#load().catch(error => this.#show(error)); });
    await this.#load();
  }

  close() { this.#stop?.(); }

  async #load() {
    const schedules = await api('/api/schedules');
    this.#message.textContent = schedules.length ? '' : 'No schedules. Add one in a chat (/schedule add …), with POST /api/schedules or moltworker schedules add.';
    fill(this.#rows, schedules.map(s => this.#row(s)));
  }

  #row(s) {
    const act = async (path, method) => {
      try {
        await api(path, { method });
        this.#error.hidden = true;
        await this.#load();
      } catch (error) { this.#show(error); }
    };
    const base = `/api/schedules/${encodeURIComponent(s.id)}`;
    return h('tr.schedule-row', { dataset: { schedule: s.id, paused: String(s.paused) } },
      h('td', {}, h('code', {}, s.id)),
      h('td', {}, `${s.channel}:${s.chatId}`),
      h('td', {}, timing(s)),
      h('td', {}, s.what),
      h('td.next-run', {}, s.paused ? '—' : new Date(s.nextRunAt).toLocaleString(undefined, { hour12: false })),
      h('td.schedule-state', {}, s.paused ? 'paused' : s.lastError ? 'last run failed' : 'active'),
      h('td.actions', {},
        s.paused
          ? h('button.resume', { type: 'button', onclick: () => act(`${base}/resume`, 'POST') }, 'Resume')
          : h('button.pause', { type: 'button', onclick: () => act(`${base}/pause`, 'POST') }, 'Pause'),
        ' ',
        h('button.deny.remove', { type: 'button', onclick: () => act(base, 'DELETE') }, 'Remove')));
  }

  #show(error) {
    this.#error.textContent = error.message;
    this.#error.hidden = false;
  }
}

function timing(s) {
  if (s.kind === 'cron') return `cron "${s.cron}" ${s.timeZone}`;
  if (s.kind === 'interval') return `every ${s.everySeconds % 3600 === 0 ? `${s.everySeconds / 3600}h` : s.everySeconds % 60 === 0 ? `${s.everySeconds / 60}m` : `${s.everySeconds}s`}`;
  return `once at ${new Date(s.at).toLocaleString(undefined, { hour12: false })}`;
}
