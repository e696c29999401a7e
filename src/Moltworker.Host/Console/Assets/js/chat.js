// Chat with the default agent over the event socket: the message goes through the host's durable inbox, the turn's
// events show what the agent is doing while it works, and the answer arrives on the same socket.

import { h, fill } from './dom.js';

const CHAT = 'moltworker.chatId';

export class ChatPage {
  #live;
  #log = h('div.chat-log', { role: 'log', 'aria-live': 'polite' });
  #input;
  #chatId = localStorage.getItem(CHAT) ?? 'console';
  #stop = null;
  #working = new Map();

  constructor(container, live) {
    this.#live = live;
    this.#input = h('textarea.chat-input', { rows: 2, placeholder: 'Message the agent (Enter sends, Shift+Enter for a new line)',
      onkeydown: e => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); this.#send(); } } });
    const chatId = h('input.chat-id', { value: this.#chatId, 'aria-label': 'Chat id', onchange: () => {
      this.#chatId = chatId.value.trim() || 'console';
      localStorage.setItem(CHAT, this.#chatId);
    } });
    fill(container, h('section.card.chat', {},
      h('div.chat-head', {}, h('h2', {}, 'Chat'), h('label.muted', {}, 'chat id ', chatId)),
      this.#log,
      h('form.chat-form', { onsubmit: e => { e.preventDefault(); this.#send(); } }, this.#input, h('button', { type: 'submit' }, 'Send'))));
  }

  async open() {
    this.#stop = this.#live.onEvent(e => this.#onEvent(e));
    this.#input.focus();
  }

  close() { this.#stop?.(); }

  #onEvent(e) {
    if (e.chat_id !== this.#chatId) return;
    const bubble = [...this.#working.values()].find(b => b.taskId === e.task_id) ?? [...this.#working.values()].find(b => !b.taskId);
    if (!bubble) return;
    bubble.taskId ??= e.task_id;
    bubble.link.href = `#/tasks/${encodeURIComponent(e.task_id)}`;
    bubble.link.hidden = false;
    const d = e.data ?? {};
    const status = e.event === 'po_state' ? d.status.replace('_', ' ')
      : e.event === 'parallel_batch_started' ? `calling ${(d.tools ?? []).join(', ')}`
      : e.event === 'tool_call_completed' ? `${d.tool}: ${d.status}`
      : e.event === 'po_delegation_started' ? `asking ${d.target}`
      : e.event === 'approval_requested' ? `waiting for approval of ${d.tool}` : null;
    if (status) bubble.status.textContent = status;
  }

  async #send() {
    const text = this.#input.value.trim();
    if (!text) return;
    this.#input.value = '';
    this.#log.append(h('div.msg.user', {}, h('div.msg-text', {}, text)));
    const status = h('span.msg-status.muted', {}, 'sent');
    const link = h('a.msg-link', { hidden: true }, 'timeline');
    const body = h('div.msg-text', {}, '…');
    const el = h('div.msg.agent.pending', {}, body, h('div.msg-meta', {}, status, ' ', link));
    this.#log.append(el);
    el.scrollIntoView({ block: 'end' });
    let messageId = null;
    const bubble = { taskId: null, status, link };
    try {
      const answer = await this.#live.chat(this.#chatId, text, id => { messageId = id; this.#working.set(id, bubble); });
      body.textContent = answer.text;
      el.classList.toggle('error', answer.isError);
      status.textContent = answer.isError ? 'failed' : 'done';
      if (answer.taskId) { link.href = `#/tasks/${encodeURIComponent(answer.taskId)}`; link.hidden = false; }
    } catch (error) {
      body.textContent = error.message;
      el.classList.add('error');
      status.textContent = 'refused';
    } finally {
      this.#working.delete(messageId);
      el.classList.remove('pending');
      el.scrollIntoView({ block: 'end' });
    }
  }
}
