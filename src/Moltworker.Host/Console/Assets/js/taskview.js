// One task: its waterfall, thread tree and details; live while it runs, with replay once it is finished.

import { api } from './api.js';
import { h, fill, clock } from './dom.js';
import { buildTimeline, buildThreads, parseAt } from './timeline.js';
import { renderWaterfall, renderBarDetail } from './waterfall.js';
import { renderThreads } from './threads.js';
import { Replay } from './replay.js';

const FINISHED = new Set(['completed', 'failed']);

export class TaskView {
  #live;
  #taskId;
  #task = null;
  #events = new Map();
  #offset = null;
  #selected = null;
  #until = Infinity;
  #stopLive = null;
  #ticker = null;
  #replay = null;
  #drawPending = false;
  #parts;

  constructor(container, live, taskId) {
    this.#live = live;
    this.#taskId = taskId;
    this.#parts = {
      header: h('div.task-header'),
      replay: h('div.task-replay'),
      waterfall: h('div.waterfall', { dataset: { task: taskId } }),
      detail: h('div.bar-detail'),
      threads: h('div.threads'),
    };
    fill(container,
      this.#parts.header, this.#parts.replay,
      h('section.card', {}, h('h3', {}, 'Timeline'), this.#parts.waterfall),
      h('div.task-columns', {},
        h('section.card', {}, h('h3', {}, 'Details'), this.#parts.detail),
        h('section.card', {}, h('h3', {}, 'Threads'), this.#parts.threads)));
    renderBarDetail(this.#parts.detail, null);
  }

  /** Loads the task and its stored events; follows it live while it runs. */
  async open() {
    // Subscribe before reading the log, so an event published in between is not lost (ids de-duplicate).
    this.#stopLive = this.#live.onEvent(e => {
      if (e.task_id !== this.#taskId) return;
      const at = parseAt(e.at);
      this.#offset = Math.min(this.#offset ?? Infinity, Date.now() - at);
      this.#events.set(e.id, e);
      if (e.event === 'task_completed' || e.event === 'task_failed') this.#refreshTask();
      this.#draw();
    });
    const [task, log] = await Promise.all([api(`/api/tasks/${encodeURIComponent(this.#taskId)}`), api(`/api/tasks/${encodeURIComponent(this.#taskId)}/events`)]);
    for (const e of log.events) this.#events.set(e.id, e);
    this.#setTask(task);
    this.#ticker = setInterval(() => { if (this.#timeline().running) this.#draw(); }, 250);
  }

  close() {
    this.#stopLive?.();
    clearInterval(this.#ticker);
    this.#replay?.stop();
  }

  async #refreshTask() {
    try { this.#setTask(await api(`/api/tasks/${encodeURIComponent(this.#taskId)}`)); } catch { /* shown at the next change */ }
  }

  #setTask(task) {
    this.#task = task;
    const status = h(`span.pill.status-${task.status}`, { dataset: { status: task.status } }, task.status);
    fill(this.#parts.header,
      h('h2', {}, 'Task ', h('code', {}, task.id), ' ', status),
      h('p.muted', {}, `${task.agent} · ${task.channel}:${task.chatId} · phase ${task.phase}, step ${task.step} · started ${clock(task.createdAt)}`),
      task.lastError ? h('p.error', {}, task.lastError) : null,
      task.finalText ? h('details', {}, h('summary', {}, 'Answer'), h('pre.answer', {}, task.finalText)) : null);
    if (FINISHED.has(task.status) && !this.#replay && this.#events.size > 0) {
      this.#replay = new Replay(this.#parts.replay, this.#sorted(), until => { this.#until = until; this.#draw(true); });
    }
    this.#draw();
  }

  #sorted() { return [...this.#events.values()].sort((a, b) => a.id - b.id); }

  #timeline() { return buildTimeline(this.#sorted(), this.#until); }

  #draw(now = false) {
    if (now) return this.#render();
    if (this.#drawPending) return;
    this.#drawPending = true;
    requestAnimationFrame(() => { this.#drawPending = false; this.#render(); });
  }

  #render() {
    const events = this.#sorted();
    const timeline = buildTimeline(events, this.#until);
    const hostNow = this.#until !== Infinity ? this.#until : this.#offset === null ? null : Date.now() - this.#offset;
    renderWaterfall(this.#parts.waterfall, timeline, {
      now: hostNow,
      selected: this.#selected?.key,
      onSelect: bar => { this.#selected = bar; renderBarDetail(this.#parts.detail, bar); this.#render(); },
    });
    renderThreads(this.#parts.threads, buildThreads(events.filter(e => parseAt(e.at) <= this.#until)));
    this.#parts.waterfall.dataset.running = String(timeline.running);
  }
}
