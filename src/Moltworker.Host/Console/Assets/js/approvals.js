// Pending approval requests (GET /api/approvals), answered with POST /api/approvals/{id}; kept fresh from the
// approval events.

import { api } from './api.js';
import { h, fill, clock } from './dom.js';

export class ApprovalsPage {
  #live;
  #list = h('div.approval-list');
  #message = h('p.muted');
  #stop = null;

  constructor(container, live) {
    this.#live = live;
    fill(container, h('section.card', {}, h('h2', {}, 'Approvals'), this.#message, this.#list));
  }

  async open() {
    this.#stop = this.#live.onEvent(e => { if (e.event === 'approval_requested' || e.event === 'approval_resolved') this.#load(); });
    await this.#load();
  }

  close() { this.#stop?.(); }

  async #load() {
    const { approvals } = await api('/api/approvals');
    this.#message.textContent = approvals.length ? '' : 'Nothing waits for approval.';
    fill(this.#list, approvals.map(a => this.#card(a)));
  }

  #card(a) {
    const remember = h('input', { type: 'checkbox' });
    const error = h('p.error', { hidden: true });
    const answer = async approve => {
      try {
        await api(`/api/approvals/${encodeURIComponent(a.id)}`, { method: 'POST', body: { approve, remember: remember.checked } });
        await this.#load();
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      }
    };
    return h('article.approval', { dataset: { approval: a.id } },
      h('h3', {}, a.tool, ' ', h('span.muted.small', {}, a.id)),
      h('p', {}, `${a.channel}:${a.chatId}`, a.userId ? ` · asked by ${a.userId}` : '', ' · task ',
        h('a', { href: `#/tasks/${encodeURIComponent(a.taskId)}` }, a.taskId), ` · expires ${clock(a.expiresAt)}`),
      a.reason ? h('blockquote', {}, a.reason) : null,
      h('pre', {}, formatArguments(a.arguments)),
      h('div.actions', {},
        h('button.approve', { type: 'button', onclick: () => answer(true) }, 'Approve'),
        h('button.deny', { type: 'button', onclick: () => answer(false) }, 'Deny'),
        h('label', {}, remember, ' always in this chat')),
      error);
  }
}

function formatArguments(args) {
  if (typeof args !== 'string') return JSON.stringify(args, null, 2);
  try { return JSON.stringify(JSON.parse(args), null, 2); } catch { return args; }
}

/** Keeps the navigation's badge at the number of pending requests. */
export async function watchApprovalCount(live, badge) {
  const update = async () => {
    try {
      const { approvals } = await api('/api/approvals');
      badge.textContent = String(approvals.length);
      badge.hidden = approvals.length === 0;
    } catch { badge.hidden = true; }
  };
  live.onEvent(e => { if (e.event === 'approval_requested' || e.event === 'approval_resolved') update(); });
  await update();
}
