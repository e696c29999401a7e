// The task list, kept live from the event stream, beside the selected task's view.

import { api } from './api.js';
import { h, fill, clock } from './dom.js';
import { TaskView } from './taskview.js';

const CHANGES = new Set(['task_started', 'task_completed', 'task_failed', 'task_resumed', 'approval_requested', 'approval_resolved']);

export class TasksPage {
  #live;
  #tasks = new Map();
  #list = h('tbody');
  #detail = h('div.task-detail');
  #selected;
  #view = null;
  #stop = null;
  #loading = new Set();

  constructor(container, live, selected) {
    this.#live = live;
    this.#selected = selected;
    fill(container, h('div.tasks-page', {},
      h('section.card.task-list', {}, h('h2', {}, 'Tasks'),
        h('table', {}, h('thead', {}, h('tr', {}, ['Task', 'Status', 'Chat', 'Agent', 'Updated'].map(c => h('th', {}, c)))), this.#list)),
      this.#detail));
  }

  async open() {
    // A task's first events may come before it can be read: any event of a task not listed yet tries again.
    this.#stop = this.#live.onEvent(e => { if (CHANGES.has(e.event) || !this.#tasks.has(e.task_id)) this.#refresh(e.task_id); });
    const page = await api('/api/tasks?limit=50');
    for (const t of page.tasks) this.#tasks.set(t.id, t);
    this.#render();
    if (this.#selected) {
      this.#view = new TaskView(this.#detail, this.#live, this.#selected);
      await this.#view.open();
    } else {
      fill(this.#detail, h('p.muted', {}, 'Pick a task to see its timeline.'));
    }
  }

  close() {
    this.#stop?.();
    this.#view?.close();
  }

  async #refresh(id) {
    if (this.#loading.has(id)) return;
    this.#loading.add(id);
    try {
      this.#tasks.set(id, await api(`/api/tasks/${encodeURIComponent(id)}`));
      this.#render();
    } catch { /* a task not stored yet shows at its next event */ } finally {
      this.#loading.delete(id);
    }
  }

  #render() {
    const rows = [...this.#tasks.values()].sort((a, b) => (b.createdAt > a.createdAt ? 1 : b.createdAt < a.createdAt ? -1 : 0));
    fill(this.#list, rows.length === 0 ? h('tr', {}, h('td', { colSpan: 5 }, h('span.muted', {}, 'No tasks yet.'))) : rows.map(t =>
      h('tr.task-row', { dataset: { task: t.id, status: t.status }, className: t.id === this.#selected ? 'task-row selected' : 'task-row' },
        h('td', {}, h('a', { href: `#/tasks/${encodeURIComponent(t.id)}` }, t.id)),
        h('td', {}, h(`span.pill.status-${t.status}`, {}, t.status)),
        h('td', {}, `${t.channel}:${t.chatId}`),
        h('td', {}, t.agent),
        h('td', {}, clock(t.updatedAt)))));
  }
}
